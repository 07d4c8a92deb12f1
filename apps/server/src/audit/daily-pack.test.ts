import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { strFromU8, unzipSync } from 'fflate';
import { createStore, migrate, PgliteDriver, SqlAuditRepository, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDailyPack, DAILY_PACK_FORMAT, type DailyPackManifest } from './daily-pack.ts';
import { PACK_ACCOUNT, PACK_DATE, seedDailyPackFixture } from './daily-pack.testing.ts';

const tables = ['orders', 'fills', 'signals', 'risk-decisions', 'order-events', 'audit-events'];

describe('buildDailyPack', () => {
  let store: Store;
  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    await seedDailyPackFixture(store);
  });
  afterAll(async () => {
    await store.close();
  });

  it('holds every table of the day as JSONL and CSV, the config, the verification and a manifest of sha256', async () => {
    const pack = await buildDailyPack(store, PACK_DATE, PACK_ACCOUNT);
    expect(pack.fileName).toBe('kitepilot-daily-pack-2026-11-23-acc_pack.zip');
    const files = unzipSync(pack.zip);
    expect(Object.keys(files)).toEqual([
      'manifest.json',
      ...tables.flatMap((t) => [`${t}.jsonl`, `${t}.csv`]),
      'config.json',
      'audit-verification.json',
    ]);
    const manifest = JSON.parse(strFromU8(files['manifest.json'] as Uint8Array)) as DailyPackManifest;
    expect(manifest).toMatchObject({
      format: DAILY_PACK_FORMAT,
      date: PACK_DATE,
      accountId: 'acc_pack',
      day: { fromUtc: '2026-11-22T18:30:00.000Z', fromIst: '2026-11-23T00:00:00.000+05:30' },
      chain: { ok: true, throughSeq: 4 },
    });
    expect(manifest).toEqual(pack.manifest);
    for (const entry of manifest.files) {
      const data = files[entry.name] as Uint8Array;
      expect(createHash('sha256').update(data).digest('hex'), entry.name).toBe(entry.sha256);
      expect(data.length).toBe(entry.bytes);
    }
    const records = Object.fromEntries(manifest.files.map((f) => [f.name, f.records]));
    expect(records).toMatchObject({
      'orders.jsonl': 1,
      'fills.csv': 1,
      'signals.jsonl': 1,
      'risk-decisions.jsonl': 1,
      'order-events.jsonl': 1,
      // The day's account records and system record; the record of the next day and the start of the day before are out.
      'audit-events.jsonl': 3,
      'config.json': null,
    });

    const text = (name: string) => strFromU8(files[name] as Uint8Array);
    const order = JSON.parse(text('orders.jsonl').trim()) as Record<string, unknown>;
    expect(order).toMatchObject({
      clientOrderId: 'ord_pack1',
      status: 'FILLED',
      filledValuePaise: 314740,
      filledValue: '3147.40',
      averagePricePaise: 157370,
      createdAtUtc: '2026-11-23T04:45:00.000Z',
      createdAtIst: '2026-11-23T10:15:00.000+05:30',
    });
    const csv = text('orders.csv').split('\r\n');
    expect(csv[0]).toMatch(/^clientOrderId,intentId,.*,createdAtUtc,createdAtIst,updatedAtUtc,updatedAtIst$/);
    expect(csv[1]).toContain(',2026-11-23T04:45:00.000Z,2026-11-23T10:15:00.000+05:30,');
    expect(csv).toHaveLength(3);
    expect(text('signals.csv')).toContain('"breakout above ""the high"", with a comma"');
    expect(text('order-events.csv')).toContain('"{""status"":""COMPLETE"",""average_price"":1573.7}"');
    expect(text('fills.jsonl')).toContain(
      '"tsEventUtc":"2026-11-23T04:45:00.800Z","tsEventIst":"2026-11-23T10:15:00.800+05:30"',
    );
    expect(text('audit-events.csv').split('\r\n')[0]).toBe(
      'seq,accountId,kind,actor,tsUtc,tsIst,payload,prevHash,hash',
    );
    expect(text('audit-events.jsonl')).not.toContain('order.submitted');

    const config = JSON.parse(text('config.json')) as {
      inForceAtEnd: { seq: number };
      runs: { config: unknown }[];
    };
    expect(config.inForceAtEnd).toMatchObject({ seq: 1, kind: 'system.started', configHash: 'a'.repeat(64) });
    expect(config.runs).toHaveLength(1);
    expect(text('config.json')).not.toContain('run-secret');
    expect(config.runs[0]?.config).toMatchObject({ kite: { apiSecret: '[redacted]' } });
    expect(JSON.parse(text('audit-verification.json'))).toMatchObject({ ok: true, throughSeq: 4, count: 4 });
  });

  it('gives byte-identical ZIPs for the same data, in any time zone and after later records', async () => {
    const first = await buildDailyPack(store, PACK_DATE, PACK_ACCOUNT);
    const previous = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      expect(Buffer.from(await buildDailyPack(store, PACK_DATE, PACK_ACCOUNT).then((p) => p.zip))).toEqual(
        Buffer.from(first.zip),
      );
    } finally {
      if (previous === undefined) delete process.env['TZ'];
      else process.env['TZ'] = previous;
    }
    await new SqlAuditRepository(store.driver).append({
      accountId: null,
      ts: Date.UTC(2026, 10, 25),
      kind: 'system.stopped',
      actor: 'system',
      payload: {},
    });
    expect(Buffer.from((await buildDailyPack(store, PACK_DATE, PACK_ACCOUNT)).zip)).toEqual(
      Buffer.from(first.zip),
    );
    const other = await buildDailyPack(store, '2026-11-24', PACK_ACCOUNT);
    expect(Buffer.from(other.zip)).not.toEqual(Buffer.from(first.zip));
    expect(other.manifest.files.find((f) => f.name === 'orders.jsonl')?.records).toBe(0);
  });

  it('records a broken chain in the pack', async () => {
    await store.driver.transaction(async (tx) => {
      await tx.exec('SET LOCAL session_replication_role = replica');
      await tx.exec(`UPDATE audit_events SET payload = '{"killSwitch": true}' WHERE seq = 4`);
    });
    const pack = await buildDailyPack(store, PACK_DATE, PACK_ACCOUNT);
    expect(pack.manifest.chain).toEqual({ ok: false, throughSeq: 4, lastHash: null });
    const verification = JSON.parse(strFromU8(unzipSync(pack.zip)['audit-verification.json'] as Uint8Array));
    expect(verification).toMatchObject({ ok: false, seq: 4, kind: 'edited' });
  });

  it('refuses a date that is not a calendar date', async () => {
    await expect(buildDailyPack(store, '2026-02-30', PACK_ACCOUNT)).rejects.toThrow(/not a calendar date/);
  });
});
