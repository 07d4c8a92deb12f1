import type { ErrorCode } from '@kitepilot/api-contract';

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

/** A refused authentication or administration request: the API answers with its code, status and message. */
export class AuthError extends Error {
  override name = 'AuthError';
  readonly code: ErrorCode;
  readonly statusCode: number;
  /** Seconds the client should wait (429 Retry-After), or null. */
  readonly retryAfterSeconds: number | null;
  readonly details: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    options: { retryAfterSeconds?: number; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = STATUS[code] ?? 500;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
    this.details = options.details ?? null;
  }
}
