import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { istToEpochMs } from '@kitepilot/core';
import type { KiteSim } from '@kitepilot/kite-sim';
import { SystemClock } from '@kitepilot/runtime';
import { runKiteSim } from './kite-sim.ts';

describe('runKiteSim', () => {
  it('serves the simulator, prints its URLs and labelled test secret, and closes on stop', async () => {
    let output = '';
    const out = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        output += chunk.toString('utf8');
        callback();
      },
    });
    const stop = new AbortController();
    let restUrl = '';
    const running = runKiteSim(
      { apiKey: 'demo_key', apiSecret: 'demo_secret', seed: 3 },
      {
        out,
        stop: stop.signal,
        onStarted: (sim) => {
          restUrl = sim.restUrl;
        },
      },
    );
    await expect.poll(() => restUrl).not.toBe('');
    const res = await fetch(`${restUrl}/instruments/NSE`);
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(output).toContain(`REST    ${restUrl}`);
    expect(output).toContain('api_key     demo_key');
    expect(output).toMatch(/api_secret {2}demo_secret {3}\(SIMULATED TEST CREDENTIAL/);
    stop.abort();
    await running;
    await expect(fetch(`${restUrl}/instruments/NSE`)).rejects.toThrow();
  });

  it('runs the simulator on wall clock + --clock-offset-ms: its market time is the shifted time', async () => {
    let output = '';
    const out = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        output += chunk.toString('utf8');
        callback();
      },
    });
    const stop = new AbortController();
    let sim: KiteSim | null = null;
    const clockOffsetMs = istToEpochMs('2030-01-02', '10:00:00') - new SystemClock().now();
    const running = runKiteSim(
      { clockOffsetMs },
      {
        out,
        stop: stop.signal,
        onStarted: (s) => {
          sim = s;
        },
      },
    );
    await expect.poll(() => sim).not.toBeNull();
    const started = sim as unknown as KiteSim;
    expect(output).toMatch(/clock {7}wall \+\d+ ms \(now 2030-01-02T10:00/);
    const res = await fetch(`${started.restUrl}/quote?i=NSE:SIMINFY`, {
      headers: {
        'X-Kite-Version': '3',
        Authorization: `token ${started.apiKey}:${started.createAccessToken()}`,
      },
    });
    const body = (await res.json()) as { data: Record<string, { timestamp: string }> };
    expect(body.data['NSE:SIMINFY']?.timestamp).toMatch(/^2030-01-02 10:0/);
    stop.abort();
    await running;
  });
});
