// Prometheus gauges of the running trading environment's audit sink, read at each scrape from the trading slot (0
// when none runs): records appended, failed attempts, refused and dropped records, the queue and whether it is failing.
import { Gauge, type Registry } from 'prom-client';
import type { TradingSlot } from '../trading/trading-slot.ts';

/** The metric names registered. */
export const AUDIT_METRIC_NAMES = [
  'kitepilot_audit_records_appended',
  'kitepilot_audit_append_failures',
  'kitepilot_audit_records_rejected',
  'kitepilot_audit_records_dropped',
  'kitepilot_audit_records_pending',
  'kitepilot_audit_failing',
] as const;

/** Registers the audit sink gauges on `registry`. */
export function registerAuditMetrics(registry: Registry, slot: TradingSlot): void {
  const help: Record<(typeof AUDIT_METRIC_NAMES)[number], string> = {
    kitepilot_audit_records_appended: 'Audit records the running trading environment appended',
    kitepilot_audit_append_failures: 'Failed audit append attempts (retried)',
    kitepilot_audit_records_rejected: 'Audit records the store refused (not written; alerted)',
    kitepilot_audit_records_dropped: 'Audit records dropped: queue overflow or unwritten at close (alerted)',
    kitepilot_audit_records_pending: 'Audit records waiting to be appended',
    kitepilot_audit_failing: 'The last audit append failed and the sink is retrying (1)',
  };
  for (const name of AUDIT_METRIC_NAMES) {
    new Gauge({
      name,
      help: help[name],
      registers: [registry],
      collect() {
        const stats = slot.current?.env.audit.stats();
        const value =
          stats === undefined
            ? 0
            : {
                kitepilot_audit_records_appended: stats.appended,
                kitepilot_audit_append_failures: stats.failures,
                kitepilot_audit_records_rejected: stats.rejected,
                kitepilot_audit_records_dropped: stats.dropped,
                kitepilot_audit_records_pending: stats.pending,
                kitepilot_audit_failing: stats.failing ? 1 : 0,
              }[name];
        this.set(value);
      },
    });
  }
}
