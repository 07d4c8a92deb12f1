import { parseAccountId, TestClock } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { KITE_LOGIN_STATE_TTL_MS, KiteLoginStates } from './kite-login-states.ts';

const ACCOUNT = parseAccountId('acc_one');

describe('KiteLoginStates', () => {
  it('issues random states that are taken once, with the account and user they were issued for', () => {
    const clock = new TestClock(1_000);
    const states = new KiteLoginStates(clock);
    const a = states.issue(ACCOUNT, 'usr_1');
    const b = states.issue(ACCOUNT, null);
    expect(a.state).not.toBe(b.state);
    expect(a.state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(states.take(a.state)).toEqual({
      ok: true,
      intent: {
        accountId: ACCOUNT,
        userId: 'usr_1',
        issuedAtMs: 1_000,
        expiresAtMs: 1_000 + KITE_LOGIN_STATE_TTL_MS,
      },
    });
    expect(states.take(a.state)).toEqual({ ok: false, reason: 'unknown' });
    expect(states.take('forged')).toEqual({ ok: false, reason: 'unknown' });
    expect(states.pending).toBe(1);
  });

  it('refuses a state at its expiry and forgets it', () => {
    const clock = new TestClock(0);
    const states = new KiteLoginStates(clock);
    const { state } = states.issue(ACCOUNT, null);
    clock.advanceTo(KITE_LOGIN_STATE_TTL_MS - 1);
    const live = states.issue(ACCOUNT, null);
    clock.advanceTo(KITE_LOGIN_STATE_TTL_MS);
    expect(states.take(state)).toEqual({ ok: false, reason: 'expired' });
    expect(states.take(state)).toEqual({ ok: false, reason: 'unknown' });
    expect(states.take(live.state).ok).toBe(true);
  });

  it('keeps at most maxPending states, dropping expired ones and then the oldest', () => {
    const clock = new TestClock(0);
    const states = new KiteLoginStates(clock, { maxPending: 2, ttlMs: 100 });
    const first = states.issue(ACCOUNT, null);
    states.issue(ACCOUNT, null);
    const third = states.issue(ACCOUNT, null);
    expect(states.pending).toBe(2);
    expect(states.take(first.state)).toEqual({ ok: false, reason: 'unknown' });
    clock.advanceTo(100);
    states.issue(ACCOUNT, null);
    expect(states.pending).toBe(1);
    expect(states.take(third.state)).toEqual({ ok: false, reason: 'unknown' });
  });
});
