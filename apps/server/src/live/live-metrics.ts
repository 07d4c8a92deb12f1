// The live stream's Prometheus metrics: connected clients, messages coalesced away for slow clients, and why
// connections ended.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { LiveDisconnectReason } from './live-client.ts';

/** The metric names the live stream registers. */
export const LIVE_METRIC_NAMES = [
  'kitepilot_live_clients',
  'kitepilot_live_messages_coalesced_total',
  'kitepilot_live_disconnects_total',
] as const;

/** The live stream's counters. */
export interface LiveMetrics {
  coalesced(type: string): void;
  disconnected(reason: LiveDisconnectReason): void;
  /** Removes the metrics from the registry. */
  remove(): void;
}

/** Registers the live metrics in `registry` (replacing earlier ones of the same names); `clients` is read at scrape. */
export function registerLiveMetrics(registry: Registry, clients: () => number): LiveMetrics {
  for (const name of LIVE_METRIC_NAMES) registry.removeSingleMetric(name);
  new Gauge({
    name: 'kitepilot_live_clients',
    help: 'Connected clients of the live stream (/api/live).',
    registers: [registry],
    collect() {
      this.set(clients());
    },
  });
  const coalesced = new Counter({
    name: 'kitepilot_live_messages_coalesced_total',
    help: 'Live messages dropped for a slow client because a newer one of the same key replaced them.',
    labelNames: ['type'],
    registers: [registry],
  });
  const disconnects = new Counter({
    name: 'kitepilot_live_disconnects_total',
    help: 'Live connections ended, by reason (client, backlog, heartbeat, bad-messages, server).',
    labelNames: ['reason'],
    registers: [registry],
  });
  return {
    coalesced: (type) => coalesced.inc({ type }),
    disconnected: (reason) => disconnects.inc({ reason }),
    remove: () => {
      for (const name of LIVE_METRIC_NAMES) registry.removeSingleMetric(name);
    },
  };
}
