// The master key that encrypts credentials: KITEPILOT_MASTER_KEY (base64 of 32 bytes) wins; otherwise a key file
// (config `[secrets] masterKeyFile`, default `<dataDir>/master.key`) created with mode 0600 when absent and refused
// when group or others may read it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CredentialError, MASTER_KEY_BYTES } from './credential-cipher.ts';

/** The environment variable holding the master key in base64. */
export const MASTER_KEY_ENV = 'KITEPILOT_MASTER_KEY';

/** Where the master key came from. */
export interface MasterKey {
  readonly key: Buffer;
  /** `env` or the key file's path. */
  readonly source: string;
  /** True when the key file was created by this call. */
  readonly created: boolean;
}

/** Where to look for the master key. */
export interface MasterKeyOptions {
  /** `[secrets] masterKeyFile`, if set. */
  readonly masterKeyFile?: string | undefined;
  /** `[storage] dataDir`, for the default file `<dataDir>/master.key`. */
  readonly dataDir: string;
  /** The environment (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

function decodeKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    throw new CredentialError(`the master key in ${source} is not base64`);
  }
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== MASTER_KEY_BYTES) {
    throw new CredentialError(
      `the master key in ${source} decodes to ${key.length} bytes; it must be base64 of exactly ${MASTER_KEY_BYTES} bytes`,
    );
  }
  return key;
}

/** Returns the path of the key file for `options`. */
export function masterKeyPath(options: MasterKeyOptions): string {
  return resolve(options.masterKeyFile ?? join(options.dataDir, 'master.key'));
}

/** Returns the master key from the environment or the key file, creating the file (mode 0600) when absent. */
export function loadMasterKey(options: MasterKeyOptions): MasterKey {
  const env = options.env ?? process.env;
  const fromEnv = env[MASTER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    return { key: decodeKey(fromEnv, MASTER_KEY_ENV), source: 'env', created: false };
  }
  const path = masterKeyPath(options);
  let mode: number | null = null;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CredentialError(`cannot read the master key file ${path}`, { cause: error });
    }
  }
  if (mode === null) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const key = randomBytes(MASTER_KEY_BYTES);
    try {
      // `wx` fails when another process created the file meanwhile; then its key is read below.
      writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      return { key, source: path, created: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CredentialError(`cannot create the master key file ${path}`, { cause: error });
      }
      mode = statSync(path).mode;
    }
  }
  return { key: checkedKeyFile(path, mode), source: path, created: false };
}

function checkedKeyFile(path: string, mode: number): Buffer {
  if ((mode & 0o077) !== 0) {
    throw new CredentialError(
      `the master key file ${path} has mode ${(mode & 0o777).toString(8)}; group and others must have no access (chmod 600 ${path})`,
    );
  }
  return decodeKey(readFileSync(path, 'utf8'), path);
}

/**
 * Returns the key in the file at `path`, or null when there is no such file; throws CredentialError when group or
 * others may read it or when it does not hold base64 of 32 bytes. Never creates a file.
 */
export function readMasterKeyFile(path: string): Buffer | null {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CredentialError(`cannot read the master key file ${path}`, { cause: error });
  }
  return checkedKeyFile(path, mode);
}
