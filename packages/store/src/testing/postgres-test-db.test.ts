import { describe, expect, it, vi } from 'vitest';
import { postgresTestGate } from './postgres-test-db.ts';

describe('postgresTestGate', () => {
  it('enables PostgreSQL tests when KITEPILOT_TEST_DATABASE_URL is set, in CI or not', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/test';
    expect(postgresTestGate({ KITEPILOT_TEST_DATABASE_URL: url })).toEqual({ enabled: true, url });
    expect(postgresTestGate({ KITEPILOT_TEST_DATABASE_URL: url, CI: 'true' })).toEqual({
      enabled: true,
      url,
    });
  });

  it('skips outside CI with a message that says how to enable the tests', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const gate = postgresTestGate({});
      expect(gate.enabled).toBe(false);
      expect(gate.enabled ? '' : gate.message).toMatch(/KITEPILOT_TEST_DATABASE_URL=postgres:\/\//);
    } finally {
      warn.mockRestore();
    }
  });

  it('throws in CI when the variable is unset, so the suite fails instead of skipping', () => {
    expect(() => postgresTestGate({ CI: 'true' })).toThrow(
      /KITEPILOT_TEST_DATABASE_URL is not set but CI=true/,
    );
    expect(() => postgresTestGate({ CI: 'true', KITEPILOT_TEST_DATABASE_URL: '' })).toThrow(/CI=true/);
  });
});
