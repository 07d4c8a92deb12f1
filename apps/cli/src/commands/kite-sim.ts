import { formatIst } from '@kitepilot/core';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { OffsetClock } from '@kitepilot/runtime';

/** Flags of `kitepilot kite-sim`. */
export interface KiteSimFlags {
  readonly port?: number;
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly seed?: number;
  readonly redirectUrl?: string;
  readonly postbackUrl?: string;
  /** The simulator's clock runs at wall clock + this many ms (market time, token expiry, order timestamps). */
  readonly clockOffsetMs?: number;
}

/** Optional plumbing for tests: where to write and what stops the simulator besides SIGINT/SIGTERM. */
export interface KiteSimRunOptions {
  readonly out?: NodeJS.WritableStream;
  readonly stop?: AbortSignal;
  /** Called once the simulator listens. */
  readonly onStarted?: (sim: KiteSim) => void;
}

/** Returns the banner printed when the simulator starts: URLs, api key and the clearly labelled test secret. */
export function kiteSimBanner(sim: KiteSim, seed: number, clock?: OffsetClock): string {
  return [
    'Kite Connect SIMULATOR (not Zerodha; simulated market data, instruments named SIM…)',
    `  REST    ${sim.restUrl}   (login: ${sim.restUrl}/connect/login?api_key=${sim.apiKey}&v=3)`,
    `  ticker  ${sim.wsUrl}`,
    `  api_key     ${sim.apiKey}`,
    `  api_secret  ${sim.apiSecret}   (SIMULATED TEST CREDENTIAL — never a real Kite secret)`,
    `  seed        ${seed}`,
    ...(clock === undefined
      ? []
      : [
          `  clock       wall ${clock.offsetMs >= 0 ? '+' : ''}${clock.offsetMs} ms (now ${formatIst(clock.now())})`,
        ]),
    'Ctrl-C stops it.',
    '',
  ].join('\n');
}

/** `kitepilot kite-sim`: runs the Kite simulator alone until SIGINT/SIGTERM (or `stop`), then closes it. */
export async function runKiteSim(flags: KiteSimFlags, options: KiteSimRunOptions = {}): Promise<void> {
  const seed = flags.seed ?? 1;
  const clock =
    flags.clockOffsetMs === undefined ? undefined : new OffsetClock({ offsetMs: flags.clockOffsetMs });
  const sim = await startKiteSim({
    ...(clock === undefined ? {} : { clock }),
    port: flags.port ?? 0,
    seed,
    ...(flags.apiKey !== undefined ? { apiKey: flags.apiKey } : {}),
    ...(flags.apiSecret !== undefined ? { apiSecret: flags.apiSecret } : {}),
    ...(flags.redirectUrl !== undefined ? { redirectUrl: flags.redirectUrl } : {}),
    postbackUrl: flags.postbackUrl ?? null,
  });
  (options.out ?? process.stdout).write(kiteSimBanner(sim, seed, clock));
  options.onStarted?.(sim);
  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      options.stop?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (options.stop?.aborted === true) done();
    else options.stop?.addEventListener('abort', done);
  });
  await sim.close();
}
