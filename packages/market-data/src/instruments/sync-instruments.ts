// The daily instruments-master sync (issue item 5): the broker's contract file becomes the dated version of the IST
// day in one namespace, with freeze limits from the dated data file; a job record per sync.
import {
  istDate,
  type Clock,
  type DataNamespace,
  type IdGenerator,
  type Instrument,
  type InstrumentRepository,
  type JobRunId,
  type JobRunRepository,
} from '@kitepilot/core';
import type { FreezeQuantityTable } from './freeze-quantity-table.ts';

/** The job name of instrument syncs in `job_runs`. */
export const INSTRUMENT_SYNC_JOB = 'instruments-sync';

/** What syncInstruments takes. */
export interface SyncInstrumentsOptions {
  /** The instruments of the contract file (the apps wrap `KiteRestClient.streamInstruments`). */
  readonly source: AsyncIterable<Instrument>;
  readonly repository: InstrumentRepository;
  readonly clock: Clock;
  readonly freezeQuantities: FreezeQuantityTable;
  readonly jobRuns: JobRunRepository;
  readonly ids: IdGenerator;
  /** 'real' for the broker's master (the default); a simulator's universe goes to 'simulated'. */
  readonly namespace?: DataNamespace;
}

/** What one sync stored. */
export interface SyncInstrumentsResult {
  readonly jobRunId: JobRunId;
  readonly namespace: DataNamespace;
  /** The version date (the IST date of the sync). */
  readonly version: string;
  readonly count: number;
  readonly byExchange: Readonly<Record<string, number>>;
  /** Index derivatives that got a freeze limit from the data file. */
  readonly freezeApplied: number;
}

/**
 * Stores the source's instruments as the version of today's IST date in the namespace, replacing that version when
 * it exists (a second sync the same day stores the same rows: idempotent); records the run in `job_runs`.
 */
export async function syncInstruments(options: SyncInstrumentsOptions): Promise<SyncInstrumentsResult> {
  const namespace = options.namespace ?? 'real';
  const jobRunId = options.ids.next('jobRun');
  const version = istDate(options.clock.now());
  await options.jobRuns.startPhase({
    jobRunId,
    job: INSTRUMENT_SYNC_JOB,
    phase: 'sync',
    startedAt: options.clock.now(),
    message: `version ${version} in ${namespace}`,
  });
  try {
    const seen = new Set<string>();
    const instruments: Instrument[] = [];
    const byExchange: Record<string, number> = {};
    let freezeApplied = 0;
    for await (const raw of options.source) {
      if (seen.has(raw.id)) {
        throw new Error(`the contract file lists ${raw.id} twice (token ${raw.token}); refusing the version`);
      }
      seen.add(raw.id);
      const instrument = options.freezeQuantities.apply(raw, version);
      if (instrument !== raw) freezeApplied++;
      instruments.push(instrument);
      byExchange[instrument.exchange] = (byExchange[instrument.exchange] ?? 0) + 1;
    }
    // An empty file would leave no instrument resolvable from today on: keep the previous version instead.
    if (instruments.length === 0)
      throw new Error(`the contract file has no instruments; version ${version} not stored`);
    const count = await options.repository.saveVersion(namespace, version, instruments);
    const result = { jobRunId, namespace, version, count, byExchange, freezeApplied };
    await options.jobRuns.finishPhase(jobRunId, 'sync', {
      finishedAt: options.clock.now(),
      message: `stored ${count} instruments as version ${version} in ${namespace} (${Object.entries(
        byExchange,
      )
        .map(([e, n]) => `${e} ${n}`)
        .join(', ')}; freeze limits on ${freezeApplied})`,
      isError: false,
      retries: 0,
    });
    return result;
  } catch (error) {
    await options.jobRuns.finishPhase(jobRunId, 'sync', {
      finishedAt: options.clock.now(),
      message: error instanceof Error ? error.message : String(error),
      isError: true,
      retries: 0,
    });
    throw error;
  }
}
