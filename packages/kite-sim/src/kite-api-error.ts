/** Kite error types the simulator returns (kite-connect.md §3). */
export type KiteErrorType =
  | 'TokenException'
  | 'PermissionException'
  | 'UserException'
  | 'InputException'
  | 'OrderException'
  | 'MarginException'
  | 'HoldingException'
  | 'NetworkException'
  | 'DataException'
  | 'GeneralException';

/** An error answered as Kite's error envelope `{status:"error", message, error_type, data:null}` with an HTTP status. */
export class KiteApiError extends Error {
  readonly httpStatus: number;
  readonly errorType: KiteErrorType;

  /** Creates the error of `errorType` answered with `httpStatus`. */
  constructor(httpStatus: number, errorType: KiteErrorType, message: string) {
    super(message);
    this.name = 'KiteApiError';
    this.httpStatus = httpStatus;
    this.errorType = errorType;
  }
}

/** Returns a 400 InputException with `message`. */
export function inputError(message: string): KiteApiError {
  return new KiteApiError(400, 'InputException', message);
}
