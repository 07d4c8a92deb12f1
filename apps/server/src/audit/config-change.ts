// Configuration changes in the audit trail. At each start (and at a reload) the hash of the configuration snapshot
// is compared with the last one the audit log recorded (`system.started` or `config.changed`); a different hash
// appends `config.changed` with the keys that changed. Secret values never enter the record: the snapshot is already
// masked by loadConfig, and every key that names a secret is redacted again here, with passwords in URLs masked.
import { canonicalJson, type AuditEvent, type JsonValue } from '@kitepilot/core';

/** One key that differs between two configurations (`trading.strategies[0].params.fast`). */
export interface ConfigKeyChange {
  readonly key: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** The value before (absent when added or redacted). */
  readonly from?: JsonValue;
  /** The value after (absent when removed or redacted). */
  readonly to?: JsonValue;
  /** The key holds a secret: only the fact that it changed is recorded. */
  readonly redacted?: true;
}

/** The audit kinds that record a configuration with its hash. */
export const CONFIG_RECORD_KINDS = ['system.started', 'config.changed'] as const;

/** Shown instead of a secret value. */
export const REDACTED = '[redacted]';

const secretKey = /secret|password|passphrase|token|private|credential/i;

/** Returns whether a config key (last path segment) names a secret. */
export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

function maskUrl(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  try {
    const url = new URL(text);
    if (url.password === '' || url.password === '***') return text;
    url.password = '***';
    return url.toString();
  } catch {
    // Not a URL after all: a plain string.
    return text;
  }
}

/** Returns the value with every secret key's value replaced by `[redacted]` and URL passwords masked. */
export function redactSecrets(value: JsonValue): JsonValue {
  if (typeof value === 'string') return maskUrl(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map(redactSecrets);
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value as Record<string, JsonValue>)) {
    out[key] = isSecretKey(key) && item !== null ? REDACTED : redactSecrets(item);
  }
  return out;
}

function flatten(value: JsonValue, path: string, out: Map<string, JsonValue>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? (value as readonly JsonValue[]).map((v, i) => [`${path}[${i}]`, v] as const)
      : Object.entries(value as Record<string, JsonValue>).map(
          ([k, v]) => [path === '' ? k : `${path}.${k}`, v] as const,
        );
    if (entries.length === 0) out.set(path, value);
    for (const [p, v] of entries) flatten(v, p, out);
    return;
  }
  out.set(path, value);
}

/** Returns the keys that differ between two configuration snapshots, sorted; secret keys without values. */
export function configDiff(before: JsonValue, after: JsonValue): ConfigKeyChange[] {
  const a = new Map<string, JsonValue>();
  const b = new Map<string, JsonValue>();
  flatten(before, '', a);
  flatten(after, '', b);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: ConfigKeyChange[] = [];
  for (const key of keys) {
    const from = a.get(key);
    const to = b.get(key);
    if (from !== undefined && to !== undefined && canonicalJson(from) === canonicalJson(to)) continue;
    const change = from === undefined ? 'added' : to === undefined ? 'removed' : 'changed';
    const last =
      key
        .replace(/\[\d+\]$/, '')
        .split('.')
        .at(-1) ?? key;
    if (isSecretKey(last)) {
      changes.push({ key, change, redacted: true });
      continue;
    }
    changes.push({
      key,
      change,
      ...(from === undefined ? {} : { from: redactSecrets(from) }),
      ...(to === undefined ? {} : { to: redactSecrets(to) }),
    });
  }
  return changes;
}

/** The audit log operations the check needs (SqlAuditRepository). */
export interface ConfigAuditLog {
  latestOfKinds(kinds: readonly string[]): Promise<AuditEvent | null>;
  append(event: {
    accountId: null;
    ts: number;
    kind: string;
    actor: string;
    payload: JsonValue;
  }): Promise<AuditEvent>;
}

/** What `recordConfigChange` compares. */
export interface ConfigChangeInput {
  /** The configuration in force, secrets masked (LoadedConfig.snapshot). */
  readonly snapshot: object;
  /** Its hash (LoadedConfig.hash). */
  readonly hash: string;
  readonly ts: number;
  /** `system` at a start, the user at a reload. */
  readonly actor: string;
  readonly source: 'start' | 'reload';
}

function recordedConfig(event: AuditEvent): { hash: string; config: JsonValue } | null {
  const payload = event.payload as { readonly [key: string]: JsonValue } | null;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const hash = payload['configHash'];
  const config = payload['config'];
  return typeof hash === 'string' && config !== undefined ? { hash, config } : null;
}

/**
 * Compares the configuration with the last one the audit log recorded and appends `config.changed` (with the keys
 * that changed and the new snapshot, redacted) when its hash differs. Returns the record appended, or null when the
 * hash is the same or nothing was recorded before (the first start records its configuration in `system.started`).
 */
export async function recordConfigChange(
  audit: ConfigAuditLog,
  input: ConfigChangeInput,
): Promise<AuditEvent | null> {
  const last = await audit.latestOfKinds(CONFIG_RECORD_KINDS);
  const previous = last === null ? null : recordedConfig(last);
  if (last === null || previous === null || previous.hash === input.hash) return null;
  const config = redactSecrets(JSON.parse(JSON.stringify(input.snapshot)) as JsonValue);
  return audit.append({
    accountId: null,
    ts: input.ts,
    kind: 'config.changed',
    actor: input.actor,
    payload: {
      source: input.source,
      previousHash: previous.hash,
      previousSeq: last.seq,
      configHash: input.hash,
      changes: configDiff(redactSecrets(previous.config), config) as unknown as JsonValue,
      config,
    },
  });
}
