import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kind, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseToml } from 'smol-toml';
import { ConfigSchema, type Config } from './config-schema.ts';

/** Environment variables that start with KITEPILOT_ but are not config keys. */
const NON_CONFIG_ENV = new Set([
  'KITEPILOT_CONFIG',
  'KITEPILOT_MASTER_KEY',
  'KITEPILOT_MASTER_KEY_FILE',
  'KITEPILOT_DEBUG',
  // Alert channel secrets: read by the alert notifier, never part of the config snapshot.
  'KITEPILOT_SLACK_WEBHOOK_URL',
  'KITEPILOT_TELEGRAM_BOT_TOKEN',
  // The new user's password of `kitepilot users create`, and the API token the control commands send.
  'KITEPILOT_NEW_PASSWORD',
  'KITEPILOT_API_TOKEN',
]);

/** Prefixes of variables for the test and benchmark tooling (e.g. KITEPILOT_TEST_DATABASE_URL), not config keys. */
const NON_CONFIG_PREFIXES = ['KITEPILOT_TEST_', 'KITEPILOT_BENCH_'];

/** The default config file, looked up in the working directory. */
export const DEFAULT_CONFIG_FILE = 'kitepilot.toml';

/** A configuration that cannot be used; `problems` lists every bad key with its value and what is allowed. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[], options?: ErrorOptions) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`, options);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Where the configuration came from and what it is. */
export interface LoadedConfig {
  readonly config: Config;
  /** The config file read, or null when none was used. */
  readonly file: string | null;
  /** Environment variables that overrode a value. */
  readonly envKeys: readonly string[];
  /** The configuration with secrets masked, as stored with every run. */
  readonly snapshot: Config;
  /** SHA-256 (hex) of the canonical JSON of `snapshot`. */
  readonly hash: string;
}

/** What `loadConfig` reads. */
export interface LoadConfigOptions {
  /** An explicit config file; it must exist. Without it `KITEPILOT_CONFIG` or `./kitepilot.toml` (if present). */
  readonly file?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Values from command-line flags; they win over the file and the environment. */
  readonly overrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly cwd?: string;
}

type Json = Record<string, unknown>;

/** Reads, merges and validates the configuration: file, then environment, then flags. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];

  const explicit = options.file ?? env['KITEPILOT_CONFIG'];
  let file: string | null = null;
  let raw: Json = {};
  if (explicit !== undefined && explicit !== '') {
    file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new ConfigError([`config file ${file} does not exist`]);
  } else if (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) {
    file = resolve(cwd, DEFAULT_CONFIG_FILE);
  }
  if (file !== null) raw = readTomlFile(file);

  checkUnknownKeys(raw, ConfigSchema, '', problems);

  const envKeys = applyEnv(raw, env, problems);
  for (const [section, values] of Object.entries(options.overrides ?? {})) {
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined) setPath(raw, [section, key], value);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const withDefaults = Value.Default(ConfigSchema, fillSections(structuredClone(raw))) as Json;
  for (const error of Value.Errors(ConfigSchema, withDefaults)) {
    const key = error.path.replace(/^\//, '').replaceAll('/', '.');
    problems.push(
      `config key ${key || '(root)'}: value ${JSON.stringify(error.value)} is not allowed: ${describeAllowed(error.schema, error.message)}`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const config = withDefaults as Config;
  const snapshot = maskSecrets(config);
  return { config, file, envKeys, snapshot, hash: configHash(snapshot) };
}

/** Returns the SHA-256 (hex) of the canonical JSON (keys sorted) of a value. */
export function configHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** Returns JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Returns a PostgreSQL URL with its password replaced by `***`. */
export function maskUrlPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a parseable URL: mask anything between "//user:" and "@" by pattern.
    return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
  }
}

function maskSecrets(config: Config): Config {
  const copy = structuredClone(config);
  if (copy.storage.url !== undefined) copy.storage.url = maskUrlPassword(copy.storage.url);
  if (copy.kite.apiSecret !== undefined) copy.kite.apiSecret = '***';
  return copy;
}

function readTomlFile(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError([`config file ${file} cannot be read: ${(cause as Error).message}`], { cause });
  }
  try {
    return parseToml(text) as Json;
  } catch (cause) {
    throw new ConfigError([`config file ${file} is not valid TOML: ${(cause as Error).message}`], { cause });
  }
}

function isObjectSchema(schema: TSchema): schema is TSchema & { properties: Record<string, TSchema> } {
  return schema[Kind] === 'Object';
}

function checkUnknownKeys(value: unknown, schema: TSchema, path: string, problems: string[]): void {
  if (isObjectSchema(schema)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const allowed = Object.keys(schema.properties);
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      const childSchema = schema.properties[key];
      if (childSchema === undefined) {
        problems.push(
          `unknown config key ${childPath}: allowed keys${path ? ` in ${path}` : ''} are ${allowed.join(', ')}`,
        );
      } else {
        checkUnknownKeys(child, childSchema, childPath, problems);
      }
    }
  } else if (schema[Kind] === 'Array' && Array.isArray(value)) {
    const items = (schema as TSchema & { items: TSchema }).items;
    value.forEach((item, i) => checkUnknownKeys(item, items, `${path}[${i}]`, problems));
  }
}

/** Environment variable name of a config key: `storage.dataDir` → `KITEPILOT_STORAGE_DATA_DIR`. */
export function envNameOf(section: string, key: string): string {
  const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  return `KITEPILOT_${snake(section)}_${snake(key)}`;
}

function applyEnv(
  raw: Json,
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): string[] {
  const known = new Map<string, { section: string; key: string; schema: TSchema }>();
  for (const [section, sectionSchema] of Object.entries(ConfigSchema.properties)) {
    for (const [key, schema] of Object.entries(
      (sectionSchema as { properties: Record<string, TSchema> }).properties,
    )) {
      known.set(envNameOf(section, key), { section, key, schema });
    }
  }
  const used: string[] = [];
  const databaseUrl = env['DATABASE_URL'];
  if (databaseUrl !== undefined && databaseUrl !== '') {
    setPath(raw, ['storage', 'url'], databaseUrl);
    used.push('DATABASE_URL');
  }
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith('KITEPILOT_') || NON_CONFIG_ENV.has(name) || text === undefined) continue;
    if (NON_CONFIG_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    const target = known.get(name);
    if (target === undefined) {
      problems.push(
        `unknown environment variable ${name}: config variables are ${[...known.keys()].join(', ')}`,
      );
      continue;
    }
    const parsed = parseEnvValue(text, target.schema);
    if (!parsed.ok) {
      problems.push(
        `environment variable ${name}: value ${JSON.stringify(text)} is not allowed: ${parsed.reason}`,
      );
      continue;
    }
    setPath(raw, [target.section, target.key], parsed.value);
    used.push(name);
  }
  return used;
}

function parseEnvValue(
  text: string,
  schema: TSchema,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  switch (schema[Kind]) {
    case 'Integer':
    case 'Number': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, reason: `expected a number (${describeAllowed(schema, '')})` };
    }
    case 'Boolean':
      if (/^(true|1|yes)$/i.test(text)) return { ok: true, value: true };
      if (/^(false|0|no)$/i.test(text)) return { ok: true, value: false };
      return { ok: false, reason: 'expected true or false' };
    case 'Array':
    case 'Object':
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, reason: 'expected JSON' };
      }
    default:
      return { ok: true, value: text };
  }
}

function describeAllowed(schema: TSchema, fallback: string): string {
  const parts: string[] = [];
  if (schema[Kind] === 'Union') {
    const literals = (schema as TSchema & { anyOf: TSchema[] }).anyOf.map((s) => JSON.stringify(s['const']));
    parts.push(`one of ${literals.join(', ')}`);
  } else if (schema[Kind] === 'Integer' || schema[Kind] === 'Number') {
    const kind = schema[Kind] === 'Integer' ? 'an integer' : 'a number';
    const min = schema['minimum'] as number | undefined;
    const max = schema['maximum'] as number | undefined;
    parts.push(min !== undefined && max !== undefined ? `${kind} from ${min} to ${max}` : kind);
  } else if (schema[Kind] === 'Boolean') {
    parts.push('true or false');
  } else if (typeof schema['description'] === 'string') {
    parts.push(schema['description']);
  }
  if (parts.length === 0) parts.push(fallback);
  return parts.join(' ');
}

function fillSections(raw: Json): Json {
  for (const section of Object.keys(ConfigSchema.properties)) {
    if (raw[section] === undefined) raw[section] = {};
  }
  return raw;
}

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      node[part] = {};
    }
    node = node[part] as Json;
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}
