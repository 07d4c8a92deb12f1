// Credentials at rest (DESIGN.md §5): AES-256-GCM with a random 12-byte nonce per encryption, the 16-byte tag
// appended to the ciphertext, and associated data that binds a ciphertext to its account and purpose, so a row
// copied to another account or column does not decrypt.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** The length of an AES-256 key in bytes. */
export const MASTER_KEY_BYTES = 32;

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Where a ciphertext belongs: decryption succeeds only with the same account and purpose. */
export interface CredentialContext {
  readonly accountId: string;
  /** What the secret is, e.g. `kite-session`. */
  readonly purpose: string;
}

/** An encrypted secret as stored: ciphertext with its tag appended, the nonce, and the id of the key used. */
export interface SealedCredential {
  readonly ciphertext: Uint8Array;
  readonly nonce: Uint8Array;
  readonly keyId: string;
}

/** Thrown when a master key or a ciphertext cannot be used; the message says which and never holds secret bytes. */
export class CredentialError extends Error {}

/**
 * Seals and opens credentials: encrypts with one key (`keyId`) and decrypts what its keys encrypted. A
 * CredentialCipher holds one key; a MasterKeyRing also opens what the other keys on disk sealed (key rotation).
 */
export interface CredentialSealer {
  /** The id of the key `encrypt` uses. */
  readonly keyId: string;
  /** Returns `plaintext` encrypted for `context`. */
  encrypt(plaintext: string | Uint8Array, context: CredentialContext): SealedCredential;
  /** Returns the plaintext of `sealed`; throws CredentialError when it cannot be opened. */
  decrypt(sealed: SealedCredential, context: CredentialContext): Buffer;
  /** Returns the decrypted text of `sealed` (UTF-8). */
  decryptText(sealed: SealedCredential, context: CredentialContext): string;
}

/** Returns the id of a master key: the first 16 hex digits of SHA-256 over a label and the key (not reversible). */
export function masterKeyId(key: Uint8Array): string {
  return createHash('sha256').update('kitepilot-master-key-id/v1').update(key).digest('hex').slice(0, 16);
}

function aad(context: CredentialContext): Buffer {
  if (context.accountId === '' || context.purpose === '') {
    throw new CredentialError('credential context needs a non-empty account id and purpose');
  }
  return Buffer.from(`kitepilot-credential/v1\u0000${context.accountId}\u0000${context.purpose}`, 'utf8');
}

/** Encrypts and decrypts credentials with one master key. */
export class CredentialCipher implements CredentialSealer {
  /** The id stored beside each ciphertext, to tell a wrong key from a tampered ciphertext. */
  readonly keyId: string;
  readonly #key: Buffer;

  /** Creates a cipher; throws CredentialError unless `key` is exactly 32 bytes. */
  constructor(key: Uint8Array) {
    if (key.length !== MASTER_KEY_BYTES) {
      throw new CredentialError(
        `the master key is ${key.length} bytes; AES-256 needs exactly ${MASTER_KEY_BYTES}`,
      );
    }
    this.#key = Buffer.from(key);
    this.keyId = masterKeyId(this.#key);
  }

  /** Returns `plaintext` encrypted for `context` under a fresh random nonce. */
  encrypt(plaintext: string | Uint8Array, context: CredentialContext): SealedCredential {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(context));
    const body = Buffer.concat([
      cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext),
      cipher.final(),
    ]);
    return { ciphertext: Buffer.concat([body, cipher.getAuthTag()]), nonce, keyId: this.keyId };
  }

  /**
   * Returns the plaintext of `sealed`; throws CredentialError when it was encrypted with another master key, or when
   * the ciphertext, nonce or context does not authenticate (tampered, or stored for another account or purpose).
   */
  decrypt(sealed: SealedCredential, context: CredentialContext): Buffer {
    const what = `the ${context.purpose} credentials of account ${context.accountId}`;
    if (sealed.keyId !== this.keyId) {
      throw new CredentialError(
        `the master key does not match the one ${what} were encrypted with (key id ${sealed.keyId}, current ${this.keyId})`,
      );
    }
    if (sealed.nonce.length !== NONCE_BYTES || sealed.ciphertext.length < TAG_BYTES) {
      throw new CredentialError(
        `${what} are malformed: nonce ${sealed.nonce.length} bytes, ciphertext ${sealed.ciphertext.length} bytes`,
      );
    }
    const ct = Buffer.from(sealed.ciphertext);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(sealed.nonce), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad(context));
    decipher.setAuthTag(ct.subarray(ct.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(ct.subarray(0, ct.length - TAG_BYTES)), decipher.final()]);
    } catch (error) {
      throw new CredentialError(
        `${what} do not authenticate: the ciphertext was altered or belongs to another account or purpose`,
        { cause: error },
      );
    }
  }

  /** Returns the decrypted text of `sealed` (UTF-8). */
  decryptText(sealed: SealedCredential, context: CredentialContext): string {
    return this.decrypt(sealed, context).toString('utf8');
  }
}
