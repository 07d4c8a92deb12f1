// `POST /api/config/reload` (owner): reads and validates the configuration file again and reports every changed key.
// Only what is safe to change under a running process is applied: the log level (through the setter the server
// gives, since pino child loggers keep the level they were made with) and additions to the watchlist (stored at
// once; the ticker subscribes them when the market feed next starts). Every other change is reported as needing a
// restart and stays reported until then. An invalid file changes nothing (400 with every problem).
import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import {
  ConfigReloadResultSchema,
  type ConfigChangeBody,
  type ConfigReloadResultBody,
} from '@kitepilot/api-contract';
import { canonicalJson, type Clock, type DataNamespace, type JsonValue } from '@kitepilot/core';
import { seedWatchlist } from '@kitepilot/market-data';
import type { Store } from '@kitepilot/store';
import type { Config } from '../../config/config-schema.ts';
import {
  ConfigError,
  loadConfig,
  type LoadConfigOptions,
  type LoadedConfig,
} from '../../config/load-config.ts';
import { replyRouteError, RouteError, ROUTE_ERRORS } from './route-errors.ts';
import { requestActor } from '../access.ts';

/** What a config reloader needs: how the process loaded its configuration, and what it may change live. */
export interface ConfigReloaderOptions {
  /** The configuration the process started with. */
  readonly loaded: LoadedConfig;
  /** How it was loaded: the same file (`loaded.file`), environment and command-line overrides are read again. */
  readonly load: Pick<LoadConfigOptions, 'env' | 'overrides' | 'cwd'>;
  readonly store: Pick<Store, 'audit' | 'watchlist' | 'instruments'>;
  readonly clock: Clock;
  readonly logger: PinoLogger;
  /** Sets the level of every logger of the process; without it a log level change needs a restart. */
  readonly setLogLevel?: (level: Config['log']['level']) => void;
  /** The namespace the watchlist additions go to (default 'real'). */
  readonly watchlistNamespace?: DataNamespace;
}

/** Reloads the configuration file: `reload()` returns what changed and what was applied. */
export interface ConfigReloader {
  reload(actor: string): Promise<ConfigReloadResultBody>;
  /** The configuration in force: the start's, with the changes applied live since. */
  inForce(): Config;
}

type Section = Record<string, unknown>;

function json(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

/** Returns the changed keys between two configurations, `section.key`, in schema order. */
export function changedKeys(from: Config, to: Config): string[] {
  const keys: string[] = [];
  for (const section of Object.keys(to) as (keyof Config)[]) {
    const a = from[section] as Section;
    const b = to[section] as Section;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (canonicalJson(json(a[key])) !== canonicalJson(json(b[key]))) keys.push(`${section}.${key}`);
    }
  }
  return keys;
}

function valueAt(config: Config, key: string): JsonValue {
  const [section, name] = key.split('.') as [keyof Config, string];
  return json((config[section] as Section)[name]);
}

/** Returns a reloader of the process's configuration file. */
export function createConfigReloader(options: ConfigReloaderOptions): ConfigReloader {
  const { loaded, store, clock } = options;
  const log = options.logger.child({ component: 'config-reload' });
  const namespace = options.watchlistNamespace ?? 'real';
  let inForce: Config = structuredClone(loaded.config);
  let inForceSnapshot: Config = structuredClone(loaded.snapshot);
  let lastHash = loaded.hash;
  let reloading: Promise<ConfigReloadResultBody> | null = null;

  const reloadOnce = async (actor: string): Promise<ConfigReloadResultBody> => {
    let next: LoadedConfig;
    try {
      next = loadConfig({ ...options.load, ...(loaded.file === null ? {} : { file: loaded.file }) });
    } catch (error) {
      if (error instanceof ConfigError) {
        throw new RouteError(400, 'VALIDATION_FAILED', error.message, { problems: error.problems });
      }
      throw error;
    }
    const previousHash = lastHash;
    const changes: ConfigChangeBody[] = [];
    for (const key of changedKeys(inForce, next.config)) {
      const change = { key, from: valueAt(inForceSnapshot, key), to: valueAt(next.snapshot, key) };
      if (key === 'log.level' && options.setLogLevel !== undefined) {
        options.setLogLevel(next.config.log.level);
        inForce = { ...inForce, log: { ...inForce.log, level: next.config.log.level } };
        changes.push({ ...change, applies: 'live', note: null });
      } else if (key === 'marketData.watchlist') {
        const before = new Set(inForce.marketData.watchlist);
        const added = next.config.marketData.watchlist.filter((s) => !before.has(s));
        const removed = inForce.marketData.watchlist.filter(
          (s) => !next.config.marketData.watchlist.includes(s),
        );
        const seeded = await seedWatchlist(
          { watchlist: store.watchlist, instruments: store.instruments, clock },
          namespace,
          added,
        );
        const notes = [
          `${seeded.added.length} added to the stored ${namespace} watchlist (recorded once the market feed next starts)`,
          ...seeded.rejected.map((r) => `${r.symbol} not added: ${r.reason}`),
          ...(removed.length > 0
            ? [
                `${removed.join(', ')} stay on the stored watchlist: remove with DELETE /api/watchlist/:symbol`,
              ]
            : []),
        ];
        inForce = {
          ...inForce,
          marketData: { ...inForce.marketData, watchlist: [...next.config.marketData.watchlist] },
        };
        changes.push({ ...change, applies: 'live', note: notes.join('; ') });
      } else {
        changes.push({ ...change, applies: 'restart', note: null });
      }
    }
    // The snapshot in force follows the config in force: live changes are in it, restart ones are not.
    inForceSnapshot = {
      ...inForceSnapshot,
      log: { ...inForceSnapshot.log, level: inForce.log.level },
      marketData: { ...inForceSnapshot.marketData, watchlist: [...inForce.marketData.watchlist] },
    };
    lastHash = next.hash;
    const result: ConfigReloadResultBody = {
      file: next.file,
      previousHash,
      hash: next.hash,
      changes,
      restartRequired: changes.some((c) => c.applies === 'restart'),
    };
    await store.audit.append({
      accountId: null,
      ts: clock.now(),
      kind: 'config.reloaded',
      actor,
      payload: json(result),
    });
    log.info(
      { file: next.file, hash: next.hash, changed: changes.map((c) => `${c.key} (${c.applies})`) },
      changes.length === 0 ? 'configuration reloaded: nothing changed' : 'configuration reloaded',
    );
    return result;
  };

  return {
    // Reloads one at a time: a second request waits for the first and then reads the file again.
    reload: async (actor) => {
      // The earlier reload's own caller gets its failure; this one only waits for it to end.
      while (reloading !== null) await reloading.catch(() => undefined);
      const current = reloadOnce(actor);
      reloading = current;
      try {
        return await current;
      } finally {
        reloading = null;
      }
    },
    inForce: () => inForce,
  };
}

/** Registers `POST /api/config/reload` (owner) over `reloader`. */
export function registerConfigRoutes(app: FastifyInstance, reloader: ConfigReloader): void {
  app.post(
    '/api/config/reload',
    {
      config: { access: 'owner' },
      schema: { response: { 200: ConfigReloadResultSchema, ...ROUTE_ERRORS } },
    },
    async (request, reply) => {
      try {
        return await reloader.reload(requestActor(request));
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );
}
