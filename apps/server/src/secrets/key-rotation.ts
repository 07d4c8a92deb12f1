// Master key rotation: every sealed secret (SEALED_COLUMNS) is re-encrypted under a new key in ONE transaction, and
// the key file is replaced atomically. Crash safety rests on two facts: each ciphertext stores the id of its key, and
// every key a row may be sealed with stays on disk until no row uses it. The order, with the files after each step:
//   1. check     every row opens with the keys on disk (else refuse, nothing changed)      <file>=K0
//   2. keep old  <file>.old := K0                                                            <file>=K0 .old=K0
//   3. stage     <file>.new := K1                                                            + .new=K1
//   4. commit    one transaction: every row → K1 (a crash before COMMIT rolls back to K0)
//   5. promote   rename <file>.new → <file>                                                  <file>=K1 .old=K0
//   6. sweep     rows a concurrent writer sealed with K0 meanwhile → K1
//   7. remove    <file>.old                                                                  <file>=K1
// Between any two steps every row opens with a key in <file>, <file>.new or <file>.old, and loadMasterKeyRing reads
// all three. Running the rotation again after a crash finishes the interrupted one (resume from .new, or finish
// with .old) instead of starting another.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqlDriver, SqlExecutor } from '@kitepilot/store';
import { CredentialCipher, CredentialError, MASTER_KEY_BYTES, masterKeyId } from './credential-cipher.ts';
import { MasterKeyRing, pendingKeyPath, previousKeyPath } from './master-key-ring.ts';
import { MASTER_KEY_ENV, readMasterKeyFile } from './master-key.ts';
import { checkSealedColumn, SEALED_COLUMNS, type SealedColumn } from './sealed-columns.ts';

/** A step of the rotation, reported as it completes (`re-encrypting` inside the transaction, before COMMIT). */
export type RotationStep =
  | 'checked'
  | 'old-key-kept'
  | 'new-key-staged'
  | 're-encrypting'
  | 're-encrypted'
  | 'key-promoted'
  | 'swept'
  | 'old-key-removed';

/** Where the current master key comes from. */
export type RotationKeySource =
  | { readonly kind: 'file'; readonly path: string }
  /** KITEPILOT_MASTER_KEY: no file is written; the caller switches the variable to the new key. */
  | { readonly kind: 'env'; readonly key: Buffer };

/** What `rotateMasterKey` takes. */
export interface KeyRotationOptions {
  readonly driver: SqlDriver;
  readonly source: RotationKeySource;
  /** The new key (from `--new-key-file`); default a fresh random key. Required with an `env` source. */
  readonly newKey?: Buffer;
  /** The sealed columns to re-encrypt (default SEALED_COLUMNS). */
  readonly columns?: readonly SealedColumn[];
  /** Called after each step and awaited; a throw stops the rotation there (as a crash would). */
  readonly onStep?: (step: RotationStep) => void | Promise<void>;
}

/** What a rotation did (key ids only, never key bytes). */
export interface KeyRotationResult {
  /** `rotated`: a new rotation; `resumed`: an interrupted one completed to its staged key; `finished`: an
   *  interrupted one whose key was already promoted had its leftovers re-encrypted and its old key removed. */
  readonly mode: 'rotated' | 'resumed' | 'finished';
  /** The key ids the rows were sealed with before. */
  readonly fromKeyIds: readonly string[];
  readonly toKeyId: string;
  /** Rows re-encrypted, per sealed column name (commit and sweep together). */
  readonly reencrypted: Readonly<Record<string, number>>;
  /** Sealed rows in all columns. */
  readonly rows: number;
}

/** The rotation was refused or stopped; the message says why and what state the files and rows are in. */
export class KeyRotationError extends Error {
  override name = 'KeyRotationError';
}

interface SealedRow extends Record<string, unknown> {
  readonly id: unknown;
  readonly ciphertext: Uint8Array;
  readonly nonce: Uint8Array;
  readonly key_id: string;
}

const SWEEP_ROUNDS = 5;

function checkKey(key: Buffer, what: string): void {
  if (key.length !== MASTER_KEY_BYTES) {
    throw new KeyRotationError(`${what} is ${key.length} bytes; a master key is exactly ${MASTER_KEY_BYTES}`);
  }
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `key` (base64) to `path` with mode 0600 through a synced temporary file and a rename: all or nothing. */
export function writeKeyFileDurably(path: string, key: Buffer): void {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${key.toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (error) {
    unlinkSync(tmp);
    throw new KeyRotationError(`cannot move the new key into ${path}`, { cause: error });
  }
  fsyncDirectory(dirname(path));
}

async function readRows(sql: SqlExecutor, column: SealedColumn, forUpdate: boolean): Promise<SealedRow[]> {
  checkSealedColumn(column);
  const extra = column.contextColumns.map((c) => `, ${c}`).join('');
  const result = await sql.query<SealedRow>(
    `SELECT ${column.idColumn} AS id, ${column.ciphertextColumn} AS ciphertext, ${column.nonceColumn} AS nonce,
            ${column.keyIdColumn} AS key_id${extra}
       FROM ${column.table} WHERE ${column.ciphertextColumn} IS NOT NULL
      ORDER BY ${column.idColumn}${forUpdate ? ' FOR UPDATE' : ''}`,
  );
  return result.rows;
}

function openRow(ring: MasterKeyRing, column: SealedColumn, row: SealedRow): Buffer {
  try {
    return ring.decrypt(
      { ciphertext: row.ciphertext, nonce: row.nonce, keyId: row.key_id },
      column.context(row),
    );
  } catch (error) {
    if (!(error instanceof CredentialError)) throw error;
    throw new KeyRotationError(
      `refusing to rotate: ${column.name} row ${String(row.id)} does not open with the master keys on disk ` +
        `(${error.message}); nothing was changed`,
      { cause: error },
    );
  }
}

/** Re-encrypts, in `sql`, every row not sealed with `target`; returns the count per column. */
async function reencrypt(
  sql: SqlExecutor,
  columns: readonly SealedColumn[],
  ring: MasterKeyRing,
  target: CredentialCipher,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const column of columns) {
    let count = 0;
    for (const row of await readRows(sql, column, true)) {
      if (row.key_id === target.keyId) continue;
      const sealed = target.encrypt(openRow(ring, column, row), column.context(row));
      await sql.query(
        `UPDATE ${column.table} SET ${column.ciphertextColumn} = $1, ${column.nonceColumn} = $2,
                ${column.keyIdColumn} = $3
          WHERE ${column.idColumn} = $4`,
        [sealed.ciphertext, sealed.nonce, sealed.keyId, row.id],
      );
      count++;
    }
    counts[column.name] = count;
  }
  return counts;
}

async function flushDurably(driver: SqlDriver): Promise<void> {
  // The embedded driver may acknowledge a COMMIT before it is on disk; the old key is removed only after a flush.
  const flush = (driver as { flushDurably?: () => Promise<void> }).flushDurably;
  if (typeof flush === 'function') await flush.call(driver);
}

function add(into: Record<string, number>, counts: Readonly<Record<string, number>>): void {
  for (const [name, n] of Object.entries(counts)) into[name] = (into[name] ?? 0) + n;
}

interface Plan {
  readonly mode: KeyRotationResult['mode'];
  readonly target: Buffer;
  readonly ring: MasterKeyRing;
  /** The key file's current key, kept as `.old` (file source only). */
  readonly current: Buffer | null;
  readonly previous: Buffer | null;
  readonly pending: Buffer | null;
}

function planFileRotation(path: string, newKey: Buffer | undefined): Plan {
  const current = readMasterKeyFile(path);
  if (current === null) {
    throw new KeyRotationError(
      `there is no master key file at ${path} (and ${MASTER_KEY_ENV} is not set): nothing to rotate`,
    );
  }
  const pending = readMasterKeyFile(pendingKeyPath(path));
  const previous = readMasterKeyFile(previousKeyPath(path));
  const id = masterKeyId;
  let mode: Plan['mode'];
  let target: Buffer;
  if (pending !== null) {
    if (newKey !== undefined && id(newKey) !== id(pending)) {
      throw new KeyRotationError(
        `an interrupted rotation to key id ${id(pending)} is pending (${pendingKeyPath(path)}): ` +
          'run `kitepilot keys rotate` without --new-key-file to finish it first',
      );
    }
    mode = 'resumed';
    target = pending;
  } else if (previous !== null && id(previous) !== id(current)) {
    if (newKey !== undefined && id(newKey) !== id(current)) {
      throw new KeyRotationError(
        `an interrupted rotation left ${previousKeyPath(path)} (key id ${id(previous)}): ` +
          'run `kitepilot keys rotate` without --new-key-file to finish it first',
      );
    }
    mode = 'finished';
    target = current;
  } else {
    mode = 'rotated';
    target = newKey ?? randomBytes(MASTER_KEY_BYTES);
    if (id(target) === id(current)) {
      throw new KeyRotationError(`the new key is the current master key (key id ${id(current)})`);
    }
  }
  const others = [pending, previous, target].filter((k): k is Buffer => k !== null);
  return { mode, target, ring: new MasterKeyRing(current, others), current, previous, pending };
}

/**
 * Rotates the master key: checks that every sealed row opens with the keys on disk (refusing otherwise, with
 * nothing changed), re-encrypts them all under the new key in one transaction, then replaces the key file (file
 * source) — see the file comment for the order and why a crash at any step leaves every row readable. With an `env`
 * source only the rows change: `newKey` must come from a file, and the caller points KITEPILOT_MASTER_KEY at it.
 */
export async function rotateMasterKey(options: KeyRotationOptions): Promise<KeyRotationResult> {
  const columns = options.columns ?? SEALED_COLUMNS;
  const step = options.onStep ?? (() => undefined);
  if (options.newKey !== undefined) checkKey(options.newKey, 'the new key');
  let plan: Plan;
  if (options.source.kind === 'env') {
    if (options.newKey === undefined) {
      throw new KeyRotationError(
        `the master key comes from ${MASTER_KEY_ENV}: pass --new-key-file with the new key, then set ${MASTER_KEY_ENV} to it`,
      );
    }
    checkKey(options.source.key, MASTER_KEY_ENV);
    plan = {
      mode: 'rotated',
      target: options.newKey,
      ring: new MasterKeyRing(options.source.key, [options.newKey]),
      current: null,
      previous: null,
      pending: null,
    };
  } else {
    plan = planFileRotation(options.source.path, options.newKey);
  }
  const target = new CredentialCipher(plan.target);

  // 1. Every row must open before anything changes: a wrong or missing old key is refused here.
  const fromKeyIds = new Set<string>();
  let rows = 0;
  for (const column of columns) {
    for (const row of await readRows(options.driver, column, false)) {
      openRow(plan.ring, column, row);
      fromKeyIds.add(row.key_id);
      rows++;
    }
  }
  await step('checked');

  const path = options.source.kind === 'file' ? options.source.path : null;
  if (path !== null && plan.mode !== 'finished' && plan.current !== null) {
    // 2. Keep the key being rotated from. An `.old` holding another key is replaced only when no row uses it.
    if (plan.previous === null || !plan.previous.equals(plan.current)) {
      if (plan.previous !== null && fromKeyIds.has(masterKeyId(plan.previous))) {
        throw new KeyRotationError(
          `${previousKeyPath(path)} holds key id ${masterKeyId(plan.previous)}, which rows still use, and is not the ` +
            'current key: restore the key file that matches it before rotating',
        );
      }
      writeKeyFileDurably(previousKeyPath(path), plan.current);
    }
    await step('old-key-kept');
    // 3. Stage the new key, so that it is on disk before any row is sealed with it.
    if (plan.pending === null || !plan.pending.equals(plan.target)) {
      writeKeyFileDurably(pendingKeyPath(path), plan.target);
    }
    await step('new-key-staged');
  }

  // 4. One transaction for every row of every column.
  const reencrypted: Record<string, number> = {};
  add(
    reencrypted,
    await options.driver.transaction(async (tx) => {
      const counts = await reencrypt(tx, columns, plan.ring, target);
      await step('re-encrypting');
      return counts;
    }),
  );
  await flushDurably(options.driver);
  await step('re-encrypted');

  if (path !== null) {
    // 5. Promote the staged key (an atomic rename over the key file).
    if (plan.mode !== 'finished') {
      renameSync(pendingKeyPath(path), path);
      fsyncDirectory(dirname(path));
      await step('key-promoted');
    }
    // 6. A process that loaded the old key before step 5 may have sealed a new row with it since the commit.
    let left = -1;
    for (let round = 0; round < SWEEP_ROUNDS && left !== 0; round++) {
      const counts = await options.driver.transaction((tx) => reencrypt(tx, columns, plan.ring, target));
      add(reencrypted, counts);
      left = Object.values(counts).reduce((a, b) => a + b, 0);
    }
    if (left !== 0) {
      throw new KeyRotationError(
        `rows sealed with the old key keep appearing after ${SWEEP_ROUNDS} sweeps; ${previousKeyPath(path)} is kept: ` +
          'stop the processes that write credentials and run `kitepilot keys rotate` again',
      );
    }
    await flushDurably(options.driver);
    await step('swept');
    // 7. No row uses the old key any more.
    if (readMasterKeyFile(previousKeyPath(path)) !== null) {
      unlinkSync(previousKeyPath(path));
      fsyncDirectory(dirname(path));
    }
    await step('old-key-removed');
  }
  return { mode: plan.mode, fromKeyIds: [...fromKeyIds], toKeyId: target.keyId, reencrypted, rows };
}
