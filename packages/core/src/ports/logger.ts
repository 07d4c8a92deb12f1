/** The pino-compatible subset of a logger (STYLE.md "Errors and logs"). */
export interface Logger {
  /** Logs at debug level. */
  debug(obj: object, msg?: string): void;
  /** Logs at info level. */
  info(obj: object, msg?: string): void;
  /** Logs at warn level. */
  warn(obj: object, msg?: string): void;
  /** Logs at error level. */
  error(obj: object, msg?: string): void;
  /** Returns a logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
}

/** A Logger that discards everything. */
export const noopLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => noopLogger,
};
