// The anchor of the audit chain: the last seq and hash a successful verification saw, kept in a file outside the
// database (`<dataDir>/audit/anchor.json`). The chain alone cannot show that its last records were deleted — nothing
// after them links to them — so each verification compares the log with the anchor and then moves the anchor to the
// new end. Limits: records appended after the last anchor and deleted before the next verification are not seen, and
// whoever can rewrite both the database and this file can hide a truncation (the daily packs keep copies of the seq and
// hash of each day's end elsewhere).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatIst } from '@kitepilot/core';
import type { AuditAnchor, AuditChainVerification, AuditVerifyOptions } from '@kitepilot/store';

/** An anchor with when it was recorded. */
export interface StoredAuditAnchor extends AuditAnchor {
  /** Epoch ms. */
  readonly recordedAt: number;
}

/** Returns the anchor file of a data directory. */
export function auditAnchorPath(dataDir: string): string {
  return join(dataDir, 'audit', 'anchor.json');
}

/** Thrown when the anchor file exists but is not an anchor (edited or damaged). */
export class AuditAnchorError extends Error {
  override name = 'AuditAnchorError';
}

/** Reads and moves the anchor kept in one file. */
export class FileAuditAnchor {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** Returns the stored anchor, or null when there is no file yet. */
  async read(): Promise<StoredAuditAnchor | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new AuditAnchorError(`audit anchor ${this.path} is not JSON`, { cause: error });
    }
    const v = value as Partial<StoredAuditAnchor> | null;
    if (
      v === null ||
      typeof v !== 'object' ||
      !Number.isSafeInteger(v.seq) ||
      (v.seq as number) < 1 ||
      typeof v.hash !== 'string' ||
      !/^[0-9a-f]{64}$/.test(v.hash) ||
      typeof v.recordedAt !== 'number'
    ) {
      throw new AuditAnchorError(
        `audit anchor ${this.path} does not hold { seq, hash, recordedAt }: ${text.slice(0, 200)}`,
      );
    }
    return { seq: v.seq as number, hash: v.hash, recordedAt: v.recordedAt };
  }

  /** Writes the anchor (atomically: a temporary file renamed) unless the stored one is further along. */
  async advance(anchor: StoredAuditAnchor): Promise<boolean> {
    const current = await this.read();
    if (current !== null && current.seq > anchor.seq) return false;
    if (current !== null && current.seq === anchor.seq && current.hash === anchor.hash) return false;
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
    await rename(temporary, this.path);
    return true;
  }
}

/** The chain operations verification needs (SqlAuditRepository). */
export interface VerifiableAuditLog {
  verifyChain(options?: AuditVerifyOptions): Promise<AuditChainVerification>;
}

/** The result of `verifyAuditTrail`: the chain's, with the anchor it was checked against. */
export type AuditTrailVerification = AuditChainVerification & {
  readonly anchor: (StoredAuditAnchor & { readonly recordedAtIst: string }) | null;
  /** The anchor moved to the verified end. */
  readonly anchorAdvanced: boolean;
};

/**
 * Verifies the chain from `fromSeq` (default 1) against the anchor, and on success moves the anchor to the last
 * record. Without an anchor store (null) only the chain is checked.
 */
export async function verifyAuditTrail(
  audit: VerifiableAuditLog,
  anchorStore: FileAuditAnchor | null,
  options: { readonly fromSeq?: number; readonly now: number },
): Promise<AuditTrailVerification> {
  const anchor = anchorStore === null ? null : await anchorStore.read();
  const result = await audit.verifyChain({
    ...(options.fromSeq === undefined ? {} : { fromSeq: options.fromSeq }),
    anchor,
  });
  let anchorAdvanced = false;
  if (result.ok && anchorStore !== null && result.lastSeq >= 1) {
    anchorAdvanced = await anchorStore.advance({
      seq: result.lastSeq,
      hash: result.lastHash,
      recordedAt: options.now,
    });
  }
  return {
    ...result,
    anchor: anchor === null ? null : { ...anchor, recordedAtIst: formatIst(anchor.recordedAt) },
    anchorAdvanced,
  };
}

/** Returns the lines that describe a verification for a person. */
export function formatAuditVerification(v: AuditTrailVerification): string {
  const anchor =
    v.anchor === null
      ? 'no anchor yet: a deleted tail cannot be detected until one is recorded'
      : `anchor seq ${v.anchor.seq} recorded ${v.anchor.recordedAtIst}${v.ok && !v.anchorChecked ? ' (before the checked range: not checked)' : ''}`;
  if (v.ok) {
    return (
      `OK: ${v.count} record(s) verified (seq ${v.fromSeq}..${v.lastSeq}), last hash ${v.lastHash}\n` +
      `${anchor}${v.anchorAdvanced ? `; anchor moved to seq ${v.lastSeq}` : ''}\n`
    );
  }
  return (
    `BROKEN at seq ${v.seq} (${v.kind}): ${v.reason}\n` +
    `${v.count} record(s) verified before it, from seq ${v.fromSeq}; ${anchor}\n`
  );
}
