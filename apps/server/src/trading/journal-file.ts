// The kernel journal on disk: one JSON line per kernel input, one file per run (`<dataDir>/journal/<runId>.jsonl`).
// Lines are buffered and written in batches so that the kernel's synchronous `append` never waits for the disk; a
// crash loses at most the unflushed batch and may leave a torn last line, which the reader reports and skips.
// The file is string-based: the engine's codec (encodeKernelInput / decodeKernelInput) turns inputs into lines.
import { createReadStream } from 'node:fs';
import { chmod, mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Clock } from '@kitepilot/core';

/** Default: a batch is written once this many lines are buffered. */
export const DEFAULT_JOURNAL_BATCH_LINES = 256;
/** Default: buffered lines are written at most this long after the first of them was appended. */
export const DEFAULT_JOURNAL_FLUSH_INTERVAL_MS = 200;

/** Returns the journal file of a run: `<dataDir>/journal/<runId>.jsonl`. */
export function journalFilePath(dataDir: string, runId: string): string {
  if (!/^run_[0-9A-Za-z]{1,40}$/.test(runId)) {
    throw new Error(`run id ${JSON.stringify(runId)} is not a run_… id; it cannot name a journal file`);
  }
  return join(dataDir, 'journal', `${runId}.jsonl`);
}

/** A torn last line: the bytes after the last newline of a file that a crash cut short. */
export interface TornJournalLine {
  readonly path: string;
  /** Its 1-based line number (null when found by `open`, which reads only the end of the file). */
  readonly lineNumber: number | null;
  /** The partial text, as read. */
  readonly text: string;
}

/** Options of JsonlJournalFile.open. */
export interface JsonlJournalFileOptions {
  /** Drives the time-based flush (SystemClock in the app, TestClock in tests). */
  readonly clock: Clock;
  /** Lines buffered before a batch is written at once (default 256). */
  readonly batchLines?: number;
  /** Longest time a line waits in the buffer (default 200 ms). */
  readonly flushIntervalMs?: number;
  /** Called when a background write fails; the failure is also thrown by the next append, flush or close. */
  readonly onError?: (error: Error) => void;
  /** Called when the file ended in a torn line, which open cuts off before appending. */
  readonly onTornLine?: (torn: TornJournalLine) => void;
}

let fileCount = 0;

/** A line sink over one journal file: `append` buffers, batches are written in order, `close` syncs to disk. */
export class JsonlJournalFile {
  readonly path: string;
  readonly #handle: FileHandle;
  readonly #clock: Clock;
  readonly #batchLines: number;
  readonly #flushIntervalMs: number;
  readonly #onError: ((error: Error) => void) | undefined;
  readonly #timerName: string;
  #buffer: string[] = [];
  #writing: Promise<void> = Promise.resolve();
  #failure: Error | null = null;
  #closed = false;
  #linesWritten = 0;

  private constructor(path: string, handle: FileHandle, options: JsonlJournalFileOptions) {
    this.path = path;
    this.#handle = handle;
    this.#clock = options.clock;
    this.#batchLines = positiveInt(options.batchLines ?? DEFAULT_JOURNAL_BATCH_LINES, 'batchLines');
    this.#flushIntervalMs = positiveInt(
      options.flushIntervalMs ?? DEFAULT_JOURNAL_FLUSH_INTERVAL_MS,
      'flushIntervalMs',
    );
    this.#onError = options.onError;
    fileCount += 1;
    this.#timerName = `journal-flush-${fileCount}`;
  }

  /**
   * Opens (creating it and its directory, mode 0700) the journal file at `path` for appending. A torn last line
   * left by a crash is cut off first, so that the next line starts on a line of its own.
   */
  static async open(path: string, options: JsonlJournalFileOptions): Promise<JsonlJournalFile> {
    const dir = dirname(path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const handle = await open(path, 'a+', 0o600);
    try {
      await cutTornTail(path, handle, options.onTornLine);
      return new JsonlJournalFile(path, handle, options);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Returns how many lines this object appended (buffered ones included). */
  get appendedLines(): number {
    return this.#linesWritten + this.#buffer.length;
  }

  /** Buffers one line (without its newline); writes the batch when it is full or when the interval passes. */
  append(line: string): void {
    if (this.#closed) throw new Error(`journal ${this.path} is closed; cannot append`);
    if (this.#failure !== null) throw this.#failure;
    if (line.includes('\n')) {
      throw new Error(
        `journal line ${this.appendedLines + 1} of ${this.path} contains a newline: ${line.slice(0, 80)}`,
      );
    }
    this.#buffer.push(line);
    if (this.#buffer.length >= this.#batchLines) {
      this.#clock.cancelTimer(this.#timerName);
      this.#schedule();
    } else if (this.#buffer.length === 1) {
      this.#clock.setTimer(this.#timerName, this.#clock.now() + this.#flushIntervalMs, () =>
        this.#schedule(),
      );
    }
  }

  /** Writes every buffered line; resolves once they reached the operating system (not necessarily the disk). */
  async flush(): Promise<void> {
    this.#clock.cancelTimer(this.#timerName);
    this.#schedule();
    await this.#writing;
    if (this.#failure !== null) throw this.#failure;
  }

  /** Writes the buffered lines, syncs the file to disk and closes it; appending afterwards throws. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.flush();
      await this.#handle.sync();
    } finally {
      await this.#handle.close();
    }
  }

  // Starts writing the buffered lines after the writes already queued. The queued promise never rejects: a failure
  // is kept in #failure, reported through onError and thrown by the next append, flush or close.
  #schedule(): void {
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer;
    this.#buffer = [];
    this.#writing = this.#writing.then(async () => {
      if (this.#failure !== null) return;
      try {
        await this.#handle.appendFile(`${batch.join('\n')}\n`, 'utf8');
        this.#linesWritten += batch.length;
      } catch (error) {
        this.#fail(error);
      }
    });
  }

  #fail(error: unknown): void {
    if (this.#failure !== null) return;
    this.#failure = new Error(`writing the journal ${this.path} failed`, { cause: error });
    this.#onError?.(this.#failure);
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`journal ${name} ${value} must be an integer ≥ 1`);
  return value;
}

const TAIL_CHUNK_BYTES = 65_536;

/** Cuts a torn last line (the bytes after the last newline) off the file and reports it; reads only the tail. */
async function cutTornTail(
  path: string,
  handle: FileHandle,
  onTornLine: ((torn: TornJournalLine) => void) | undefined,
): Promise<void> {
  const { size } = await handle.stat();
  let end = size;
  const tail: Buffer[] = [];
  while (end > 0) {
    const start = Math.max(0, end - TAIL_CHUNK_BYTES);
    const chunk = Buffer.alloc(end - start);
    await handle.read(chunk, 0, chunk.length, start);
    const nl = chunk.lastIndexOf(0x0a);
    if (nl !== -1) {
      tail.unshift(chunk.subarray(nl + 1));
      end = start + nl + 1;
      break;
    }
    tail.unshift(chunk);
    end = start;
  }
  if (end === size) return;
  await handle.truncate(end);
  onTornLine?.({ path, lineNumber: null, text: Buffer.concat(tail).toString('utf8') });
}

/** One complete line of a journal file. */
export interface JournalLine {
  /** 1-based. */
  readonly lineNumber: number;
  readonly line: string;
}

/** Options of readJournalLines. */
export interface ReadJournalOptions {
  /** Receives a torn last line (default: a process warning naming the file and the line). */
  readonly onTornLine?: (torn: TornJournalLine) => void;
}

function warnTorn(torn: TornJournalLine): void {
  process.emitWarning(
    `journal ${torn.path} ends in a torn line ${torn.lineNumber ?? ''} (${torn.text.length} characters); skipped`,
    'JournalTornLine',
  );
}

/**
 * Yields the complete lines of a journal file in order with their line numbers. A last line without its newline
 * (a crash in the middle of a write) is reported through `onTornLine` and skipped, never thrown.
 */
export async function* readJournalLines(
  path: string,
  options: ReadJournalOptions = {},
): AsyncGenerator<JournalLine, void, undefined> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  let rest = '';
  let lineNumber = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    rest += chunk;
    let start = 0;
    for (let nl = rest.indexOf('\n', start); nl !== -1; nl = rest.indexOf('\n', start)) {
      lineNumber += 1;
      yield { lineNumber, line: rest.slice(start, nl) };
      start = nl + 1;
    }
    rest = rest.slice(start);
  }
  if (rest.length > 0) (options.onTornLine ?? warnTorn)({ path, lineNumber: lineNumber + 1, text: rest });
}
