import type { DataNamespace, Instrument, InstrumentRepository } from '@kitepilot/core';

/** Instruments of one master version, by broker token (what the ticker reports). */
export class TokenInstrumentLookup {
  readonly #byToken: ReadonlyMap<number, Instrument>;

  /** Creates the lookup over `instruments`; a token listed twice keeps the first instrument. */
  constructor(instruments: readonly Instrument[]) {
    const byToken = new Map<number, Instrument>();
    for (const instrument of instruments)
      if (!byToken.has(instrument.token)) byToken.set(instrument.token, instrument);
    this.#byToken = byToken;
  }

  /** Returns how many instruments the lookup holds. */
  get size(): number {
    return this.#byToken.size;
  }

  /** Returns the instrument of `token`, or undefined. */
  byToken(token: number): Instrument | undefined {
    return this.#byToken.get(token);
  }
}

/**
 * Returns the lookup over the namespace's instruments master in force on the IST date `onDate`; throws when the
 * namespace has no master at all (the ticker's tokens could not be resolved).
 */
export async function loadInstrumentLookup(
  repository: InstrumentRepository,
  namespace: DataNamespace,
  onDate: string,
): Promise<TokenInstrumentLookup> {
  const instruments = await repository.listVersion(namespace, onDate);
  if (instruments.length === 0) {
    const latest = await repository.latestVersion(namespace);
    throw new Error(
      latest === null
        ? `no instruments master in namespace ${namespace}: run \`kitepilot instruments sync\` first`
        : `the ${namespace} instruments master has no version in force on ${onDate} (latest version ${latest})`,
    );
  }
  return new TokenInstrumentLookup(instruments);
}
