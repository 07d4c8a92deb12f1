import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { TradingEnvironment } from '../trading/trading-environment.ts';
import type { TradingSlot } from '../trading/trading-slot.ts';
import { registerAuditMetrics } from './audit-metrics.ts';
import type { AuditSinkStats } from './audit-sink.ts';

describe('registerAuditMetrics', () => {
  it('reports the running sink at each scrape, and zeros without trading', async () => {
    const registry = new Registry();
    const slot: TradingSlot = { current: null };
    registerAuditMetrics(registry, slot);
    expect(await registry.metrics()).toMatch(/^kitepilot_audit_records_appended 0$/m);
    let stats: AuditSinkStats = {
      appended: 7,
      failures: 2,
      rejected: 1,
      dropped: 0,
      pending: 3,
      failing: true,
    };
    const env = { audit: { stats: () => stats } } as unknown as TradingEnvironment;
    slot.current = { env, close: async () => undefined };
    const text = await registry.metrics();
    expect(text).toMatch(/^kitepilot_audit_records_appended 7$/m);
    expect(text).toMatch(/^kitepilot_audit_append_failures 2$/m);
    expect(text).toMatch(/^kitepilot_audit_records_rejected 1$/m);
    expect(text).toMatch(/^kitepilot_audit_records_pending 3$/m);
    expect(text).toMatch(/^kitepilot_audit_failing 1$/m);
    stats = { ...stats, appended: 10, pending: 0, failing: false };
    expect(await registry.metrics()).toMatch(/^kitepilot_audit_failing 0$/m);
  });
});
