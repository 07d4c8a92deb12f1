import {
  anInstrument,
  istToEpochMs,
  NseCalendar,
  parseAccountId,
  parseRunId,
  SequentialIdGenerator,
  TestClock,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { InProcessBus } from '../kernel/in-process-bus.ts';
import { MapInstrumentCatalog } from '../kernel/instrument-catalog.ts';
import type { OperatorCommand } from '../kernel/kernel-input.ts';
import { FakeTradingCore, RecordingLogger } from '../kernel/kernel-test-support.ts';
import { Kernel } from '../kernel/kernel.ts';
import type { Alert, TradingControls } from '../kernel/topics.ts';
import { TradingScheduler, type PreflightCheck } from './trading-scheduler.ts';

const ACCOUNT = parseAccountId('acc_live');
const calendar = new NseCalendar();
const ist = (date: string, time: string) => istToEpochMs(date, time);

function setup(
  startMs: number,
  checks: readonly PreflightCheck[],
  options: { controls?: () => TradingControls } = {},
) {
  const clock = new TestClock(startMs);
  const ids = new SequentialIdGenerator();
  const logger = new RecordingLogger();
  const bus = new InProcessBus(logger);
  const trading = new FakeTradingCore({ bus, ids, clock });
  const kernel = new Kernel({
    accountId: ACCOUNT,
    runId: parseRunId('run_live'),
    clock,
    ids,
    bus,
    trading,
    instruments: new MapInstrumentCatalog([anInstrument()]),
    calendar,
    logger,
    signals: { insertSignal: async () => undefined },
  });
  const commands: string[] = [];
  const alerts: Alert[] = [];
  bus.subscribe('command', (c: OperatorCommand) =>
    commands.push(`${clock.now()} ${c.type}${'reason' in c ? ` ${c.reason}` : ''}`),
  );
  bus.subscribe('alert', (a) => alerts.push(a));
  const scheduler = new TradingScheduler({
    clock,
    calendar,
    accountId: ACCOUNT,
    kernel,
    preflight: checks,
    squareOff: { cutoff: '15:20', product: 'MIS' },
    eodClose: '15:35',
    logger,
    ...options,
  });
  const advanceTo = async (ms: number) => {
    clock.advanceTo(ms);
    await kernel.idle();
    await scheduler.idle();
    await kernel.idle();
  };
  return { clock, kernel, scheduler, commands, alerts, trading, advanceTo };
}

const passing = (name: string): PreflightCheck => ({ name, run: async () => ({ ok: true, detail: 'ok' }) });

describe('TradingScheduler', () => {
  it('runs the 09:00 pre-flight, squares off at 15:20, closes at 15:35 and arms the next trading day', async () => {
    // Friday 20 Nov 2026; Tuesday 24 Nov 2026 is an NSE holiday.
    const { scheduler, commands, alerts, advanceTo } = setup(ist('2026-11-20', '08:00'), [
      passing('session valid'),
      passing('instruments synced'),
    ]);
    scheduler.arm(ist('2026-11-20', '08:00'));
    expect(scheduler.status()).toMatchObject({
      tradingDay: '2026-11-20',
      passed: false,
      nextPreflight: ist('2026-11-20', '09:00'),
      nextCutoff: ist('2026-11-20', '15:20'),
    });
    await advanceTo(ist('2026-11-20', '08:59'));
    expect(commands).toEqual([]);
    await advanceTo(ist('2026-11-20', '09:00'));
    const nine = ist('2026-11-20', '09:00');
    expect(commands).toEqual([`${nine} Halt pre-flight pending`, `${nine} Resume pre-flight passed`]);
    expect(scheduler.status().passed).toBe(true);
    expect(scheduler.status().preflight).toEqual([
      { name: 'session valid', ok: true, detail: 'ok', at: nine },
      { name: 'instruments synced', ok: true, detail: 'ok', at: nine },
    ]);
    commands.length = 0;
    await advanceTo(ist('2026-11-20', '15:20'));
    const cutoff = ist('2026-11-20', '15:20');
    expect(commands).toEqual([
      `${cutoff} CancelAll square-off cutoff 15:20 IST`,
      `${cutoff} Flatten square-off cutoff 15:20 IST`,
    ]);
    await advanceTo(ist('2026-11-20', '16:00'));
    expect(alerts.filter((a) => a.code === 'eod-close')).toMatchObject([{ level: 'info' }]);
    // Weekend skipped: Monday 23 Nov.
    expect(scheduler.status()).toMatchObject({
      tradingDay: '2026-11-23',
      passed: false,
      preflight: [],
      nextPreflight: ist('2026-11-23', '09:00'),
      nextCutoff: ist('2026-11-23', '15:20'),
    });
    await advanceTo(ist('2026-11-23', '16:00'));
    // Holiday skipped: Wednesday 25 Nov.
    expect(scheduler.status()).toMatchObject({
      tradingDay: '2026-11-25',
      nextPreflight: ist('2026-11-25', '09:00'),
      nextCutoff: ist('2026-11-25', '15:20'),
    });
    expect(commands.filter((c) => c.includes('Flatten'))).toHaveLength(2);
  });

  it('keeps trading halted with the failing check shown, retries, and resumes once every check passes', async () => {
    let sessionValid = false;
    let profileLoaded = false;
    const { scheduler, commands, alerts, advanceTo } = setup(ist('2026-11-20', '08:55'), [
      {
        name: 'session valid',
        run: async () => ({ ok: sessionValid, detail: sessionValid ? 'ok' : 'token expired' }),
      },
      {
        name: 'risk profile loaded',
        run: async () => {
          if (!profileLoaded) throw new Error('no profile rsk_main');
          return { ok: true, detail: 'rsk_main' };
        },
      },
    ]);
    scheduler.arm(ist('2026-11-20', '08:55'));
    await advanceTo(ist('2026-11-20', '09:00'));
    const nine = ist('2026-11-20', '09:00');
    expect(commands).toEqual([
      `${nine} Halt pre-flight pending`,
      `${nine} Halt pre-flight failed: session valid: token expired`,
    ]);
    expect(scheduler.status()).toMatchObject({
      passed: false,
      nextPreflight: nine + 60_000,
      preflight: [
        { name: 'session valid', ok: false, detail: 'token expired' },
        { name: 'risk profile loaded', ok: false, detail: 'the check threw no profile rsk_main' },
      ],
    });
    expect(alerts.map((a) => a.code)).toEqual(['preflight-failed']);
    sessionValid = true;
    await advanceTo(ist('2026-11-20', '09:01'));
    expect(commands.at(-1)).toBe(
      `${nine + 60_000} Halt pre-flight failed: risk profile loaded: the check threw no profile rsk_main`,
    );
    expect(commands.filter((c) => c.includes('Resume'))).toEqual([]);
    profileLoaded = true;
    await advanceTo(ist('2026-11-20', '09:02'));
    expect(commands.at(-1)).toBe(`${nine + 120_000} Resume pre-flight passed`);
    expect(scheduler.status()).toMatchObject({ passed: true, nextPreflight: null });
  });

  it('runs the pre-flight at once when started after 09:00 and squares off at once after the cutoff', async () => {
    const late = setup(ist('2026-11-20', '11:00'), [passing('trading day')]);
    late.scheduler.arm(ist('2026-11-20', '11:00'));
    await late.advanceTo(ist('2026-11-20', '11:00'));
    expect(late.commands).toEqual([
      `${ist('2026-11-20', '11:00')} Halt pre-flight pending`,
      `${ist('2026-11-20', '11:00')} Resume pre-flight passed`,
    ]);
    const afterCutoff = setup(ist('2026-11-20', '15:25'), [passing('trading day')]);
    afterCutoff.scheduler.arm(ist('2026-11-20', '15:25'));
    await afterCutoff.advanceTo(ist('2026-11-20', '15:25'));
    expect(afterCutoff.commands.filter((c) => /CancelAll|Flatten/.test(c))).toEqual([
      `${ist('2026-11-20', '15:25')} CancelAll square-off cutoff 15:20 IST`,
      `${ist('2026-11-20', '15:25')} Flatten square-off cutoff 15:20 IST`,
    ]);
  });

  it('arms Monday when started on a Saturday', () => {
    const { scheduler } = setup(ist('2026-11-21', '10:00'), []);
    scheduler.arm(ist('2026-11-21', '10:00'));
    expect(scheduler.status()).toMatchObject({
      tradingDay: '2026-11-23',
      nextPreflight: ist('2026-11-23', '09:00'),
    });
  });

  it('does not lift a halt it did not cause (a loss-cap halt survives a restart pre-flight)', async () => {
    const controls = (): TradingControls => ({
      killSwitch: false,
      halted: { [ACCOUNT]: 'daily loss cap hit' },
      ts: 0,
    });
    const { scheduler, commands, advanceTo } = setup(ist('2026-11-20', '12:00'), [passing('session valid')], {
      controls,
    });
    scheduler.arm(ist('2026-11-20', '12:00'));
    await advanceTo(ist('2026-11-20', '12:01'));
    expect(commands).toEqual([]);
    expect(scheduler.status().passed).toBe(true);
  });

  it('lifts its own pre-flight halt even when the checks pass before the kernel has applied that halt', async () => {
    const halted = new Map<string, string>();
    const controls = (): TradingControls => ({
      killSwitch: false,
      halted: Object.fromEntries(halted),
      ts: 0,
    });
    const { scheduler, commands, kernel, advanceTo } = setup(
      ist('2026-11-20', '12:00'),
      [passing('session valid')],
      { controls },
    );
    // The order manager applies a command only after persisting it: here, only when the test flushes them.
    const pending: OperatorCommand[] = [];
    kernel.bus.subscribe('command', (c) => pending.push(c));
    const flush = () => {
      for (const c of pending.splice(0)) {
        if (c.type === 'Halt') halted.set(c.accountId, c.reason);
        if (c.type === 'Resume') halted.delete(c.accountId);
      }
    };
    scheduler.arm(ist('2026-11-20', '12:00'));
    await advanceTo(ist('2026-11-20', '12:01'));
    flush();
    expect(commands.map((c) => c.split(' ').slice(1).join(' '))).toEqual([
      'Halt pre-flight pending',
      'Resume pre-flight passed',
    ]);
    expect(halted.size).toBe(0);
  });

  it('refuses times out of order', () => {
    const { kernel } = setup(0, []);
    expect(
      () =>
        new TradingScheduler({
          clock: new TestClock(0),
          calendar,
          accountId: ACCOUNT,
          kernel,
          preflight: [],
          squareOff: { cutoff: '15:40' },
          logger: new RecordingLogger(),
        }),
    ).toThrow(/pre-flight < cutoff < end of day/);
  });
});
