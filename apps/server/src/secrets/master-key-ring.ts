// The master keys a process may need to open credentials. Normally one: the key file (or KITEPILOT_MASTER_KEY). While
// a key rotation is unfinished (key-rotation.ts) the key file's siblings `<file>.new` (the key being rotated to) and
// `<file>.old` (the key being rotated from) also exist, and a row may be sealed by either: each ciphertext stores the
// id of its key, so the ring opens it with the right one. New secrets are always sealed with the key file's key.
import {
  CredentialCipher,
  CredentialError,
  type CredentialContext,
  type CredentialSealer,
  type SealedCredential,
} from './credential-cipher.ts';
import {
  loadMasterKey,
  MASTER_KEY_ENV,
  masterKeyPath,
  readMasterKeyFile,
  type MasterKeyOptions,
} from './master-key.ts';

/** Returns the path of the key a rotation is moving to: `<key file>.new`. */
export function pendingKeyPath(keyFile: string): string {
  return `${keyFile}.new`;
}

/** Returns the path where a rotation keeps the key it is moving from: `<key file>.old`. */
export function previousKeyPath(keyFile: string): string {
  return `${keyFile}.old`;
}

/** Seals with a primary key and opens what any of its keys sealed. */
export class MasterKeyRing implements CredentialSealer {
  readonly #primary: CredentialCipher;
  readonly #byId: ReadonlyMap<string, CredentialCipher>;

  /** Creates a ring sealing with `primary` and opening with it and `others` (duplicates are ignored). */
  constructor(primary: Uint8Array, others: readonly Uint8Array[] = []) {
    this.#primary = new CredentialCipher(primary);
    const byId = new Map<string, CredentialCipher>([[this.#primary.keyId, this.#primary]]);
    for (const key of others) {
      const cipher = new CredentialCipher(key);
      if (!byId.has(cipher.keyId)) byId.set(cipher.keyId, cipher);
    }
    this.#byId = byId;
  }

  /** The id of the key new secrets are sealed with. */
  get keyId(): string {
    return this.#primary.keyId;
  }

  /** The ids of every key of the ring, the primary first. */
  get keyIds(): readonly string[] {
    return [...this.#byId.keys()];
  }

  /** Returns whether the ring holds the key with id `keyId`. */
  has(keyId: string): boolean {
    return this.#byId.has(keyId);
  }

  /** Returns `plaintext` sealed with the primary key. */
  encrypt(plaintext: string | Uint8Array, context: CredentialContext): SealedCredential {
    return this.#primary.encrypt(plaintext, context);
  }

  /** Returns the plaintext of `sealed`, opened with the key its key id names; throws CredentialError otherwise. */
  decrypt(sealed: SealedCredential, context: CredentialContext): Buffer {
    const cipher = this.#byId.get(sealed.keyId);
    if (cipher === undefined) {
      throw new CredentialError(
        `the master key does not match the one the ${context.purpose} credentials of account ${context.accountId} ` +
          `were encrypted with (key id ${sealed.keyId}; available ${this.keyIds.join(', ')})`,
      );
    }
    return cipher.decrypt(sealed, context);
  }

  /** Returns the decrypted text of `sealed` (UTF-8). */
  decryptText(sealed: SealedCredential, context: CredentialContext): string {
    return this.decrypt(sealed, context).toString('utf8');
  }
}

/** A loaded key ring and where its primary key came from. */
export interface LoadedKeyRing {
  readonly ring: MasterKeyRing;
  /** `env` or the key file's path. */
  readonly source: string;
  /** True when the key file was created by this call. */
  readonly created: boolean;
}

function siblings(keyFile: string): Buffer[] {
  const keys: Buffer[] = [];
  for (const path of [pendingKeyPath(keyFile), previousKeyPath(keyFile)]) {
    const key = readMasterKeyFile(path);
    if (key !== null) keys.push(key);
  }
  return keys;
}

/**
 * Returns the key ring of `options`: KITEPILOT_MASTER_KEY alone when set; otherwise the key file (created with mode
 * 0600 when absent, as loadMasterKey does) plus `<file>.new` and `<file>.old` when an unfinished rotation left them.
 */
export function loadMasterKeyRing(options: MasterKeyOptions): LoadedKeyRing {
  const primary = loadMasterKey(options);
  const others = primary.source === 'env' ? [] : siblings(primary.source);
  return { ring: new MasterKeyRing(primary.key, others), source: primary.source, created: primary.created };
}

/** Returns the key ring of `options` like loadMasterKeyRing, or null when no key exists yet (nothing is created). */
export function existingMasterKeyRing(options: MasterKeyOptions): LoadedKeyRing | null {
  const env = options.env ?? process.env;
  if ((env[MASTER_KEY_ENV] ?? '') !== '') return loadMasterKeyRing(options);
  const path = masterKeyPath(options);
  const key = readMasterKeyFile(path);
  if (key === null) return null;
  return { ring: new MasterKeyRing(key, siblings(path)), source: path, created: false };
}
