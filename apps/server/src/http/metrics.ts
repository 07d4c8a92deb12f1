import { collectDefaultMetrics, Registry } from 'prom-client';

/** Returns the process's Prometheus registry with Node's default process metrics, prefixed `kitepilot_`. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kitepilot_' });
  return registry;
}
