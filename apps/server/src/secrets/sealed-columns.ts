// The columns that hold secrets sealed with the master key. Key rotation (key-rotation.ts) re-encrypts every row of
// every column listed in SEALED_COLUMNS, so a table that stores a sealed secret adds its descriptor here.
import { CredentialError, type CredentialContext } from './credential-cipher.ts';
import { KITE_SESSION_PURPOSE } from './kite-session-store.ts';

/** A table column holding sealed secrets: where its ciphertext, nonce and key id live, and each row's context. */
export interface SealedColumn {
  /** A name for messages, e.g. `broker_connections.credentials`. */
  readonly name: string;
  readonly table: string;
  /** The primary key column (one column). */
  readonly idColumn: string;
  readonly ciphertextColumn: string;
  readonly nonceColumn: string;
  readonly keyIdColumn: string;
  /** The other columns `context` reads. */
  readonly contextColumns: readonly string[];
  /** Returns the context the row's secret was sealed for (the same one its writer used). */
  context(row: Readonly<Record<string, unknown>>): CredentialContext;
}

// Each broker's session has its own purpose, so a row moved to another broker does not decrypt.
const BROKER_SESSION_PURPOSES: Readonly<Record<string, string>> = { zerodha: KITE_SESSION_PURPOSE };

/** The broker sessions of `broker_connections` (kite-session-store.ts). */
export const BROKER_CONNECTION_CREDENTIALS: SealedColumn = {
  name: 'broker_connections.credentials',
  table: 'broker_connections',
  idColumn: 'id',
  ciphertextColumn: 'credentials_ciphertext',
  nonceColumn: 'credentials_nonce',
  keyIdColumn: 'credentials_key_id',
  contextColumns: ['account_id', 'broker'],
  context(row) {
    const broker = String(row['broker']);
    const purpose = BROKER_SESSION_PURPOSES[broker];
    if (purpose === undefined) {
      throw new CredentialError(
        `broker_connections row ${String(row['id'])} names broker ${broker}, whose credentials have no known purpose`,
      );
    }
    return { accountId: String(row['account_id']), purpose };
  },
};

/** The TOTP secrets of `users` (migration 0007), sealed for the user id with purpose `totp` (auth/totp-admin.ts). */
export const USER_TOTP_SECRETS: SealedColumn = {
  name: 'users.totp',
  table: 'users',
  idColumn: 'id',
  ciphertextColumn: 'totp_ciphertext',
  nonceColumn: 'totp_nonce',
  keyIdColumn: 'totp_key_id',
  contextColumns: [],
  context: (row) => ({ accountId: String(row['id']), purpose: 'totp' }),
};

/** Every sealed column of the schema: what `kitepilot keys rotate` re-encrypts (in one transaction). */
export const SEALED_COLUMNS: readonly SealedColumn[] = [BROKER_CONNECTION_CREDENTIALS, USER_TOTP_SECRETS];

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Throws unless every table and column name of `column` is a plain SQL identifier (they are spliced into SQL). */
export function checkSealedColumn(column: SealedColumn): void {
  const names = [
    column.table,
    column.idColumn,
    column.ciphertextColumn,
    column.nonceColumn,
    column.keyIdColumn,
    ...column.contextColumns,
  ];
  const bad = names.find((n) => !IDENTIFIER.test(n));
  if (bad !== undefined) {
    throw new Error(
      `sealed column ${column.name} names ${JSON.stringify(bad)}, which is not a plain identifier`,
    );
  }
}
