// What the market-data commands (instruments, watchlist, ticks, bars, retention) share: the configuration, the store
// opened as a client (through a running server's socket when it owns the data directory), and where output goes.
import { randomInt } from 'node:crypto';
import { SeededRandom, TimeRandomIdGenerator, type DataNamespace, type IdGenerator } from '@kitepilot/core';
import { loadConfig, openConfiguredStore, type Config } from '@kitepilot/server';
import { createStore, migrate, type Store } from '@kitepilot/store';
import { SystemClock } from '@kitepilot/runtime';

/** Flags every market-data command takes. */
export interface CommonMarketDataFlags {
  readonly config?: string;
  readonly dataDir?: string;
  /** Read and write the simulated namespace (the Kite simulator's data) instead of 'real'. */
  readonly simulated?: boolean;
}

/** Where a command writes (tests pass their own) and the environment it reads. */
export interface CommandIo {
  readonly write: (text: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Standard output and the process environment. */
export const stdoutIo: CommandIo = { write: (text) => process.stdout.write(text) };

/** Returns the namespace the flags select. */
export function namespaceOf(flags: CommonMarketDataFlags): DataNamespace {
  return flags.simulated === true ? 'simulated' : 'real';
}

/** Returns an id generator unique across restarts (job run ids). */
export function systemIds(): IdGenerator {
  return new TimeRandomIdGenerator(new SystemClock(), new SeededRandom(randomInt(2 ** 31)));
}

/** Loads the configuration, opens the store as a client, migrates it, runs `fn` and closes the store. */
export async function withStore<T>(
  flags: CommonMarketDataFlags,
  io: CommandIo,
  fn: (store: Store, config: Config) => Promise<T>,
): Promise<T> {
  const { config } = loadConfig({
    file: flags.config,
    env: io.env ?? process.env,
    overrides: { storage: { dataDir: flags.dataDir } },
  });
  const opened = await openConfiguredStore(config, 'client');
  try {
    await migrate(opened.driver);
    return await fn(createStore(opened.driver), config);
  } finally {
    await opened.close();
  }
}

/** Returns rows as a fixed-width text table with a header. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
