// An open-loop HTTP load driver, run in a worker thread (api.bench.ts) so that its timers do not share the server's
// event loop.
// Requests are due at a fixed arrival rate whatever the answers take (open loop: a slow answer does not delay the
// next request), sent over keep-alive connections, and each latency runs from the moment the request was due to the
// end of its answer (process.hrtime), so a driver or server that falls behind shows in the figures rather than
// being hidden (no coordinated omission).
import { Agent, request } from 'node:http';

/** What one load run sends. */
export interface LoadSpec {
  readonly baseUrl: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly ratePerSec: number;
  /** Sent at the rate before measuring; not reported. */
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Most sockets open at once (keep-alive). */
  readonly connections: number;
}

/** What one load run measured. */
export interface LoadResult {
  /** Latency of every measured request in ms (due → answer end), in the order they were due. */
  readonly latenciesMs: number[];
  /** Answers by HTTP status; `error` for a failed connection. */
  readonly statuses: Record<string, number>;
  /** The measured requests per second actually completed. */
  readonly achievedPerSec: number;
  /** The largest delay between a request being due and being sent, ms. */
  readonly maxSendLagMs: number;
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Runs one load spec and returns what it measured. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const url = new URL(spec.baseUrl);
  const intervalMs = 1000 / spec.ratePerSec;
  const total = Math.round(((spec.warmupMs + spec.durationMs) * spec.ratePerSec) / 1000);
  const warmup = Math.round((spec.warmupMs * spec.ratePerSec) / 1000);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let maxSendLagMs = 0;
  let pending = 0;
  let next = 0;
  let allSent!: () => void;
  const done = new Promise<void>((resolve) => (allSent = resolve));
  const headers = {
    ...spec.headers,
    ...(spec.body === null
      ? {}
      : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(spec.body) }),
  };

  const send = (index: number, dueMs: number): void => {
    maxSendLagMs = Math.max(maxSendLagMs, nowMs() - dueMs);
    pending++;
    const finish = (status: string) => {
      const latency = nowMs() - dueMs;
      if (index >= warmup) {
        latencies[index - warmup] = latency;
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      pending--;
      if (pending === 0 && next >= total) allSent();
    };
    const req = request(
      { agent, host: url.hostname, port: url.port, method: spec.method, path: spec.path, headers },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => finish(String(res.statusCode)));
        res.on('error', () => finish('error'));
      },
    );
    req.on('error', () => finish('error'));
    req.end(spec.body ?? undefined);
  };

  const start = nowMs() + 20;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = nowMs();
      while (next < total && start + next * intervalMs <= now) {
        send(next, start + next * intervalMs);
        next++;
      }
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, start + next * intervalMs - nowMs()));
    };
    setTimeout(tick, Math.max(0, start - nowMs()));
  });
  if (pending > 0) await done;
  const elapsedSec = (nowMs() - (start + warmup * intervalMs)) / 1000;
  agent.destroy();
  return {
    latenciesMs: latencies,
    statuses,
    achievedPerSec: latencies.length / elapsedSec,
    maxSendLagMs,
  };
}
