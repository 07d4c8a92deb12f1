// The Grafana dashboards and Prometheus rules of deploy/ against the code: every PromQL expression names only metrics
// the running app registers (the app's registry with everything wired that registers at start or with ingest) or
// recording rules defined in deploy/prometheus/rules.yml; every SQL query runs on the schema after migrations
// (PGlite), naming only tables that exist; every data source a panel names is provisioned.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pino from 'pino';
import type { Registry } from 'prom-client';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { TestClock } from '@kitepilot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../http/metrics.ts';
import { registerIngestMetrics } from '../market-data/ingest-metrics.ts';
import { registerTradingMetrics } from '../trading/trading-metrics.ts';
import { ObservedTradingSlot } from './observed-trading-slot.ts';
import { startObservability, type Observability } from './observability.ts';

const DEPLOY = fileURLToPath(new URL('../../../../deploy/', import.meta.url));

interface Target {
  readonly datasource?: { readonly uid?: string; readonly type?: string };
  readonly expr?: string;
  readonly rawSql?: string;
}
interface Panel {
  readonly title: string;
  readonly datasource?: { readonly uid?: string };
  readonly targets?: readonly Target[];
}
interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly Panel[];
  readonly templating: {
    readonly list: readonly {
      readonly name: string;
      readonly query?: string;
      readonly datasource?: { uid?: string };
    }[];
  };
}

const dashboards: readonly { readonly file: string; readonly json: Dashboard }[] = readdirSync(
  `${DEPLOY}grafana/dashboards`,
)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({
    file,
    json: JSON.parse(readFileSync(`${DEPLOY}grafana/dashboards/${file}`, 'utf8')) as Dashboard,
  }));

/** Returns the recording rules of rules.yml: `- record: name` followed by `expr:` inline or as a folded block. */
function recordingRules(): Map<string, string> {
  const lines = readFileSync(`${DEPLOY}prometheus/rules.yml`, 'utf8').split('\n');
  const rules = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const record = /^\s*- record:\s*(\S+)\s*$/.exec(lines[i] ?? '');
    if (record === null) continue;
    const exprLine = lines[i + 1] ?? '';
    const inline = /^(\s*)expr:\s*(.*)$/.exec(exprLine);
    if (inline === null) throw new Error(`rule ${record[1]} has no expr on the next line`);
    let expr = inline[2] ?? '';
    if (expr === '>-' || expr === '|') {
      const indent = (inline[1] ?? '').length;
      const block: string[] = [];
      for (let j = i + 2; j < lines.length && /^\s*$/.test(lines[j] ?? '') === false; j++) {
        const line = lines[j] ?? '';
        if (line.length - line.trimStart().length <= indent) break;
        block.push(line.trim());
      }
      expr = block.join(' ');
    }
    rules.set(record[1] ?? '', expr);
  }
  return rules;
}

/** Returns the metric and rule names an expression reads (tokens starting kitepilot_ or kitepilot:). */
function namesIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...new Set(withoutStrings.match(/\bkitepilot[_:][A-Za-z0-9_:]*/g) ?? [])];
}

/** Grafana's macros and this repository's variables, replaced by what Grafana would send for a trading day. */
function concreteSql(sql: string): string {
  const from = "'2026-11-23T03:45:00Z'::timestamptz";
  const to = "'2026-11-23T10:00:00Z'::timestamptz";
  return sql
    .replace(/\$__timeFilter\(([^)]+)\)/g, (_m, col: string) => `${col} BETWEEN ${from} AND ${to}`)
    .replace(/\$__timeGroupAlias\(([^,]+),\s*'(\d+)m'\)/g, (_m, col: string, minutes: string) => {
      const s = Number(minutes) * 60;
      return `to_timestamp(floor(extract(epoch FROM ${col}) / ${s}) * ${s}) AS "time"`;
    })
    .replaceAll('$namespace', 'simulated')
    .replaceAll('$instrument', 'NIFTY26NOVFUT.NFO')
    .replaceAll('$bar_interval', '1m');
}

function provisionedUids(): Set<string> {
  const text = readFileSync(`${DEPLOY}grafana/provisioning/datasources/datasources.yaml`, 'utf8');
  return new Set([...text.matchAll(/^\s*uid:\s*(\S+)\s*$/gm)].map((m) => m[1] ?? ''));
}

describe('deploy/ dashboards and rules', () => {
  let store: Store | undefined;
  let registry: Registry | undefined;
  let observability: Observability | undefined;
  const registered = new Map<string, string>();

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    // The registry as the running app builds it: default process metrics, trading gauges, observability, and the
    // ingest service's metrics (registered when it starts recording).
    registry = createMetricsRegistry();
    const slot = new ObservedTradingSlot();
    registerTradingMetrics(registry, slot);
    observability = startObservability({
      registry,
      slot,
      sql: store.driver,
      clock: new TestClock(0),
      logger: pino({ level: 'silent' }),
      env: {},
    });
    registerIngestMetrics(registry, 'real', () => ({
      ticksReceived: 0,
      ticksAccepted: 0,
      ticksQuarantined: {},
      ticksWritten: 0,
      ticksPending: 0,
      ticksOverflowed: 0,
      barsWritten: 0,
      gapsRecorded: 0,
      connectionStates: [],
      lastTickLagMs: null,
    }));
    for (const m of await registry.getMetricsAsJSON()) registered.set(m.name, String(m.type));
  });
  afterAll(async () => {
    await observability?.close();
    await store?.close();
  });

  /** Returns why `name` is not something Prometheus would have from the app, or null. */
  function unknownName(name: string, rules: ReadonlyMap<string, string>): string | null {
    if (name.includes(':')) return rules.has(name) ? null : `recording rule ${name} is not in rules.yml`;
    if (registered.has(name)) return null;
    const base = name.replace(/_(bucket|sum|count)$/, '');
    if (base !== name && registered.get(base) === 'histogram') return null;
    return `metric ${name} is not registered by the app`;
  }

  it('finds the five dashboards, each with panels and a unique uid', () => {
    expect(dashboards.map((d) => d.file).sort()).toEqual([
      'depth.json',
      'market-overview.json',
      'open-interest.json',
      'price-chart.json',
      'system-health.json',
    ]);
    expect(new Set(dashboards.map((d) => d.json.uid)).size).toBe(dashboards.length);
    for (const d of dashboards) expect(d.json.panels.length).toBeGreaterThan(0);
  });

  it('reads only registered metrics and defined recording rules in every PromQL expression', () => {
    const rules = recordingRules();
    expect([...rules.keys()]).toContain('kitepilot:broker_reject_ratio:rate15m');
    const problems: string[] = [];
    let expressions = 0;
    for (const [rule, expr] of rules) {
      for (const name of namesIn(expr)) {
        if (name.includes(':')) problems.push(`rule ${rule} reads another rule ${name}`);
        const why = unknownName(name, new Map());
        if (why !== null) problems.push(`rule ${rule}: ${why}`);
      }
    }
    for (const { file, json } of dashboards) {
      for (const panel of json.panels) {
        for (const target of panel.targets ?? []) {
          if (target.expr === undefined) continue;
          expressions++;
          const names = namesIn(target.expr);
          if (names.length === 0) continue;
          for (const name of names) {
            const why = unknownName(name, rules);
            if (why !== null) problems.push(`${file} "${panel.title}": ${why}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(expressions).toBeGreaterThan(20);
  });

  it('catches a metric the app does not register (the check itself can fail)', () => {
    expect(unknownName('kitepilot_orders_total', new Map())).toBeNull();
    expect(unknownName('kitepilot_tick_to_signal_seconds_bucket', new Map())).toBeNull();
    expect(unknownName('kitepilot_orders_total_bucket', new Map())).toBe(
      'metric kitepilot_orders_total_bucket is not registered by the app',
    );
    expect(unknownName('kitepilot:nothing:rate5m', recordingRules())).toBe(
      'recording rule kitepilot:nothing:rate5m is not in rules.yml',
    );
  });

  it('runs every SQL query and variable query on the migrated schema, naming only existing tables', async () => {
    const sql = store?.driver;
    if (sql === undefined) throw new Error('the store is not open');
    const tables = new Set(
      (
        await sql.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        )
      ).rows.map((r) => r.table_name),
    );
    const queries: { where: string; text: string }[] = [];
    for (const { file, json } of dashboards) {
      for (const panel of json.panels) {
        for (const target of panel.targets ?? []) {
          if (target.rawSql !== undefined)
            queries.push({ where: `${file} "${panel.title}"`, text: target.rawSql });
        }
      }
      for (const v of json.templating.list) {
        if (v.datasource?.uid === 'kitepilot-postgres' && v.query !== undefined) {
          queries.push({ where: `${file} variable ${v.name}`, text: v.query });
        }
      }
    }
    expect(queries.length).toBeGreaterThanOrEqual(15);
    const problems: string[] = [];
    for (const q of queries) {
      const concrete = concreteSql(q.text);
      if (concrete.includes('$')) problems.push(`${q.where}: unreplaced macro or variable in ${concrete}`);
      const ctes = new Set(
        [...concrete.matchAll(/\b(?:WITH|,)\s*([a-z_]+)\s+AS\s*\(/gi)].map((m) => m[1] ?? ''),
      );
      // Relations after FROM / JOIN: not `extract(epoch FROM col)`, not a LATERAL subquery, not a function call.
      for (const m of concrete.matchAll(
        /(?<!epoch\s)\b(?:FROM|JOIN)\s+(?!LATERAL\b)([a-z_]+)\b(?!\s*\()/gi,
      )) {
        const name = m[1] ?? '';
        if (!tables.has(name) && !ctes.has(name)) problems.push(`${q.where}: no table ${name}`);
      }
      try {
        await sql.query(concrete);
      } catch (error) {
        problems.push(`${q.where}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('rejects a query naming a column that does not exist (the check itself can fail)', async () => {
    const sql = store?.driver;
    if (sql === undefined) throw new Error('the store is not open');
    await expect(
      sql.query(concreteSql("SELECT oi_change FROM bars WHERE namespace = '$namespace'")),
    ).rejects.toThrow(/oi_change/);
  });

  it('uses only provisioned data sources, Prometheus for PromQL and PostgreSQL for SQL', () => {
    const uids = provisionedUids();
    expect(uids).toEqual(new Set(['kitepilot-prometheus', 'kitepilot-postgres']));
    for (const { file, json } of dashboards) {
      for (const panel of json.panels) {
        for (const target of panel.targets ?? []) {
          const uid = target.datasource?.uid ?? panel.datasource?.uid;
          expect(uids.has(uid ?? ''), `${file} "${panel.title}" data source ${uid}`).toBe(true);
          if (target.expr !== undefined) expect(uid).toBe('kitepilot-prometheus');
          if (target.rawSql !== undefined) expect(uid).toBe('kitepilot-postgres');
        }
      }
    }
  });
});
