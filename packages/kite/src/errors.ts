// Kite Connect errors (kite-connect.md §3) as typed errors. Retryable means "the same request may succeed
// later": timeouts, 429, 5xx and the OMS-communication types; rejections by the broker are not retryable.

/** The `error_type` values Kite sends in its error envelope (kite-connect.md §3). */
export const KITE_ERROR_TYPES = [
  'TokenException',
  'PermissionException',
  'UserException',
  'TwoFAException',
  'InputException',
  'OrderException',
  'MarginException',
  'HoldingException',
  'NetworkException',
  'DataException',
  'GeneralException',
] as const;

/** One Kite `error_type`. */
export type KiteErrorType = (typeof KITE_ERROR_TYPES)[number];

/** Returns true when `s` is a Kite `error_type` we know. */
export function isKiteErrorType(s: unknown): s is KiteErrorType {
  return typeof s === 'string' && (KITE_ERROR_TYPES as readonly string[]).includes(s);
}

/** What the client knows about the request that failed (never its parameters: they may hold secrets). */
export interface KiteRequestInfo {
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
}

/** The fields every Kite error carries. */
export interface KiteErrorFields {
  readonly request: KiteRequestInfo | null;
  /** The HTTP status, or null when no response arrived. */
  readonly status: number | null;
  /** The broker's message, as sent. */
  readonly brokerMessage: string;
}

/** The base of every error the Kite client throws. */
export abstract class KiteError extends Error {
  /** Kite's `error_type`, or our own kind for failures without one. */
  abstract readonly errorType:
    KiteErrorType | 'RateLimited' | 'HttpError' | 'Timeout' | 'CircuitOpen' | 'SessionExpired';
  /** True when the same request may succeed if sent again later. */
  abstract readonly retryable: boolean;
  readonly request: KiteRequestInfo | null;
  readonly status: number | null;
  readonly brokerMessage: string;

  constructor(fields: KiteErrorFields, options?: ErrorOptions) {
    super(describe(fields), options);
    this.name = new.target.name;
    this.request = fields.request;
    this.status = fields.status;
    this.brokerMessage = fields.brokerMessage;
  }
}

function describe(fields: KiteErrorFields): string {
  const where = fields.request === null ? 'Kite' : `Kite ${fields.request.method} ${fields.request.path}`;
  const status = fields.status === null ? 'no response' : `HTTP ${fields.status}`;
  return `${where} failed (${status}): ${fields.brokerMessage}`;
}

/** 403: the session is invalid or expired; a new login is needed. */
export class TokenException extends KiteError {
  readonly errorType = 'TokenException';
  readonly retryable = false;
}
/** 403: the call is not permitted for this app or user. */
export class PermissionException extends KiteError {
  readonly errorType = 'PermissionException';
  readonly retryable = false;
}
/** Account-level error. */
export class UserException extends KiteError {
  readonly errorType = 'UserException';
  readonly retryable = false;
}
/** 2FA error. */
export class TwoFAException extends KiteError {
  readonly errorType = 'TwoFAException';
  readonly retryable = false;
}
/** 400: missing or bad parameters, RMS pre-check rejections. */
export class InputException extends KiteError {
  readonly errorType = 'InputException';
  readonly retryable = false;
}
/** Order placement or fetch failure reported by the OMS. */
export class OrderException extends KiteError {
  readonly errorType = 'OrderException';
  readonly retryable = false;
}
/** Insufficient funds. */
export class MarginException extends KiteError {
  readonly errorType = 'MarginException';
  readonly retryable = false;
}
/** Insufficient holdings for a sell. */
export class HoldingException extends KiteError {
  readonly errorType = 'HoldingException';
  readonly retryable = false;
}
/** 502/503/504 or no response: the API could not reach the OMS, or we could not reach the API. */
export class NetworkException extends KiteError {
  readonly errorType = 'NetworkException';
  readonly retryable = true;
}
/** 502: the OMS sent a response the API could not read. */
export class DataException extends KiteError {
  readonly errorType = 'DataException';
  readonly retryable = true;
}
/** 500: an unclassified server error. */
export class GeneralException extends KiteError {
  readonly errorType = 'GeneralException';
  readonly retryable = true;
}
/** 429: a Kite rate limit was exceeded (kite-connect.md §4), or our own daily order cap was reached. */
export class KiteRateLimitError extends KiteError {
  readonly errorType = 'RateLimited';
  readonly retryable = true;
}
/** A non-2xx response without a Kite error envelope (e.g. a proxy's 502 page, a 404). */
export class KiteHttpError extends KiteError {
  readonly errorType = 'HttpError';
  get retryable(): boolean {
    return this.status !== null && this.status >= 500;
  }
}
/** No response within the client's timeout; for a write the request may or may not have taken effect. */
export class KiteTimeoutError extends KiteError {
  readonly errorType = 'Timeout';
  readonly retryable = true;
}
/** The circuit breaker of the endpoint class is open; nothing was sent. */
export class KiteCircuitOpenError extends KiteError {
  readonly errorType = 'CircuitOpen';
  readonly retryable = true;
}
/** Order flow is stopped after a TokenException until a new access token is set; nothing was sent. */
export class KiteSessionExpiredError extends KiteError {
  readonly errorType = 'SessionExpired';
  readonly retryable = false;
}

const BY_TYPE = {
  TokenException,
  PermissionException,
  UserException,
  TwoFAException,
  InputException,
  OrderException,
  MarginException,
  HoldingException,
  NetworkException,
  DataException,
  GeneralException,
} as const satisfies Record<KiteErrorType, new (fields: KiteErrorFields) => KiteError>;

/**
 * Returns the typed error for a non-2xx response: the class named by `error_type` when the body is the Kite
 * error envelope, a KiteRateLimitError for 429 without one, a KiteHttpError otherwise.
 */
export function kiteErrorFromResponse(
  request: KiteRequestInfo,
  status: number,
  body: unknown,
  statusText = '',
): KiteError {
  const envelope = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null;
  const message =
    envelope !== null && typeof envelope['message'] === 'string'
      ? envelope['message']
      : typeof body === 'string' && body.trim() !== ''
        ? body.trim().slice(0, 200)
        : statusText || `status ${status}`;
  const fields: KiteErrorFields = { request, status, brokerMessage: message };
  if (status === 429) return new KiteRateLimitError(fields);
  const type = envelope?.['error_type'];
  if (isKiteErrorType(type)) return new BY_TYPE[type](fields);
  return new KiteHttpError(fields);
}
