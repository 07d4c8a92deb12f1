/** Is raised when work cannot run inside an account scope, or is not allowed there; names the account. */
export class AccountScopeError extends Error {
  /** The account whose scope was asked for. */
  readonly accountId: string;

  constructor(accountId: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AccountScopeError';
    this.accountId = accountId;
  }
}
