import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
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
});
