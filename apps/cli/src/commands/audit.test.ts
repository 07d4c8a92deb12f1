import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PACK_ACCOUNT,
  PACK_DATE,
  seedDailyPackFixture,
} from '../../../server/src/audit/daily-pack.testing.ts';
import { registerAuditCommand, runAuditList, runAuditVerify } from './audit.ts';
import { registerDailyPackCommand, runDailyPack } from './daily-pack.ts';
import { withStore, type CommandIo } from './market-data-cli.ts';

let dir: string;
const out: string[] = [];
let io: CommandIo;
const printed = () => out.splice(0).join('');
const now = () => Date.UTC(2026, 10, 23, 12, 0);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-audit-cli-'));
  io = {
    write: (t) => out.push(t),
    env: { KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'), KITEPILOT_STORAGE_DURABLE: 'false' },
  };
  await withStore({}, io, (store) => seedDailyPackFixture(store));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kitepilot audit', () => {
  it('lists records in seq order with IST times, filtered by kind and account', async () => {
    const all = await runAuditList({}, io);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const table = printed();
    expect(table.split('\n')[0]).toMatch(/^seq +time \(IST\) +account +kind +actor +payload$/);
    expect(table).toMatch(/2 +2026-11-23T10:15:00\.000\+05:30 +acc_pack +risk\.allowed +str_pack/);
    expect((await runAuditList({ kind: 'order.*', json: true }, io)).map((e) => e.seq)).toEqual([3, 5]);
    const lines = printed()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ts: string; tsIst: string });
    expect(lines[0]).toMatchObject({
      ts: '2026-11-23T04:45:00.900Z',
      tsIst: '2026-11-23T10:15:00.900+05:30',
    });
    expect(
      (await runAuditList({ from: PACK_DATE, to: PACK_DATE, account: PACK_ACCOUNT }, io)).map((e) => e.seq),
    ).toEqual([2, 3, 4]);
    expect(printed()).not.toContain('order.submitted');
    await runAuditList({ kind: 'nothing.here' }, io);
    expect(printed()).toBe('no audit records match\n');
    await expect(runAuditList({ from: 'soon' }, io)).rejects.toThrow(/--from "soon" is neither an IST date/);
    await expect(runAuditList({ account: 'pack' }, io)).rejects.toThrow(/--account: .*"pack"/);
  });

  it('verifies the chain, records the anchor, and then reports a deleted last record', async () => {
    const ok = await runAuditVerify({}, io, now);
    expect(ok).toMatchObject({ ok: true, count: 5, lastSeq: 5, anchorAdvanced: true });
    expect(printed()).toMatch(
      /^OK: 5 record\(s\) verified \(seq 1\.\.5\), last hash [0-9a-f]{64}\nno anchor yet: .*; anchor moved to seq 5\n$/,
    );
    expect(JSON.parse(readFileSync(join(dir, 'data', 'audit', 'anchor.json'), 'utf8'))).toMatchObject({
      seq: 5,
    });
    await runAuditVerify({ fromSeq: 3, json: true }, io, now);
    expect(JSON.parse(printed())).toMatchObject({ ok: true, fromSeq: 3, count: 3, anchorChecked: true });

    await withStore({}, io, (store) =>
      store.driver.transaction(async (tx) => {
        await tx.exec('SET LOCAL session_replication_role = replica');
        await tx.exec('DELETE FROM audit_events WHERE seq = 5');
      }),
    );
    const broken = await runAuditVerify({}, io, now);
    expect(broken).toMatchObject({ ok: false, seq: 5, kind: 'truncated' });
    expect(printed()).toMatch(/^BROKEN at seq 5 \(truncated\): records 5\.\.5 are missing/);
    await expect(runAuditVerify({ fromSeq: 40 }, io, now)).rejects.toThrow(/past the end of the audit log/);
  });

  it('sets exit code 1 through the command when the chain is broken, and refuses a bad --from-seq', async () => {
    const program = new Command().exitOverride();
    registerAuditCommand(program);
    const previous = process.exitCode;
    const writes: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => writes.push(chunk) > 0) as typeof process.stdout.write;
    try {
      process.env['KITEPILOT_STORAGE_DATA_DIR'] = join(dir, 'data');
      process.env['KITEPILOT_STORAGE_DURABLE'] = 'false';
      await program.parseAsync(['node', 'kitepilot', 'audit', 'verify']);
      expect(process.exitCode).toBe(1);
      expect(writes.join('')).toMatch(/BROKEN at seq 5 \(truncated\)/);
    } finally {
      process.stdout.write = write;
      process.exitCode = previous;
      delete process.env['KITEPILOT_STORAGE_DATA_DIR'];
      delete process.env['KITEPILOT_STORAGE_DURABLE'];
    }
    const bad = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    registerAuditCommand(bad);
    await expect(bad.parseAsync(['node', 'kitepilot', 'audit', 'verify', '--from-seq', '0'])).rejects.toThrow(
      /--from-seq "0" is not a positive integer/,
    );
  });
});

describe('kitepilot daily-pack', () => {
  it('writes the ZIP of the day and says what is in it', async () => {
    const target = join(dir, 'pack.zip');
    const result = await runDailyPack({ date: PACK_DATE, account: PACK_ACCOUNT, out: target }, io);
    expect(result.path).toBe(target);
    const text = printed();
    expect(text).toContain(`daily pack of acc_pack for 2026-11-23 (IST) written to ${target}`);
    expect(text).toContain(`sha256 ${result.sha256}`);
    expect(text).toMatch(/orders 1, fills 1, signals 1, risk-decisions 1, order-events 1, audit-events 3/);
    const files = unzipSync(new Uint8Array(readFileSync(target)));
    expect(JSON.parse(strFromU8(files['manifest.json'] as Uint8Array))).toEqual(result.manifest);
    // Same data, same bytes.
    const again = await runDailyPack(
      { date: PACK_DATE, account: PACK_ACCOUNT, out: join(dir, 'again.zip'), json: true },
      io,
    );
    expect(again.sha256).toBe(result.sha256);
    expect(JSON.parse(printed())).toMatchObject({ sha256: result.sha256 });
  });

  it('refuses an unknown account, a malformed one and a bad date', async () => {
    await expect(runDailyPack({ date: PACK_DATE, account: 'acc_nobody' }, io)).rejects.toThrow(
      'account acc_nobody does not exist in this data directory',
    );
    await expect(runDailyPack({ date: PACK_DATE, account: 'nobody' }, io)).rejects.toThrow(/--account:/);
    await expect(runDailyPack({ date: '2026-02-30', account: PACK_ACCOUNT }, io)).rejects.toThrow(
      /not a calendar date/,
    );
    const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    registerDailyPackCommand(program);
    await expect(
      program.parseAsync(['node', 'kitepilot', 'daily-pack', '--date', '23/11/2026']),
    ).rejects.toThrow(/--date "23\/11\/2026" is not an IST date YYYY-MM-DD/);
    expect(printed()).toBe('');
  });
});
