import type {
  AccountId,
  AuditEvent,
  AuditRepository,
  AuditVerification,
  NewAuditEvent,
} from '@kitepilot/core';
import { AccountScopeError } from './account-scope-error.ts';

/**
 * Is the audit log as an account scope may use it: reads return the scope's records only. Appending is refused
 * because the chain's last record may belong to another account, which the scope cannot see (its seq and hash are
 * the next record's predecessor); verifying is refused because it needs every account's records. Both run on the
 * unscoped store.
 */
export class ScopedAuditRepository implements AuditRepository {
  readonly #inner: AuditRepository;
  readonly #accountId: AccountId;

  constructor(inner: AuditRepository, accountId: AccountId) {
    this.#inner = inner;
    this.#accountId = accountId;
  }

  async append(event: NewAuditEvent): Promise<AuditEvent> {
    throw new AccountScopeError(
      this.#accountId,
      `cannot append audit event ${event.kind} inside the scope of account ${this.#accountId}: the chain's last ` +
        `record may belong to another account, which the scope cannot see; append through the unscoped store`,
    );
  }

  read(afterSeq: number, limit: number): Promise<AuditEvent[]> {
    return this.#inner.read(afterSeq, limit);
  }

  readByAccount(accountId: AccountId, afterSeq: number, limit: number): Promise<AuditEvent[]> {
    return this.#inner.readByAccount(accountId, afterSeq, limit);
  }

  async verify(): Promise<AuditVerification> {
    throw new AccountScopeError(
      this.#accountId,
      `cannot verify the audit chain inside the scope of account ${this.#accountId}: verifying reads every ` +
        `account's records; verify through the unscoped store`,
    );
  }
}
