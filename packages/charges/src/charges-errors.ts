// Errors of the charges package. Bad rate data stops start-up (an invariant break, STYLE.md "Errors and logs");
// a question the tables cannot answer (a date before the first table, an input that breaks a contract-note rule)
// is a caller error that names the values.

/** Thrown when the rate-table data is malformed; `path` names the offending entry (e.g. `tables[3].stt.sell`). */
export class ChargesDataError extends Error {
  /** Where in the data the problem is. */
  readonly path: string;

  constructor(path: string, message: string, options?: ErrorOptions) {
    super(`invalid charges rate data at ${path}: ${message}`, options);
    this.name = 'ChargesDataError';
    this.path = path;
  }
}

/** Thrown when a trade date lies before the first rate table of its segment × exchange. */
export class ChargesDateError extends Error {
  override name = 'ChargesDateError';
}

/** Thrown when a contract note or round trip cannot be charged as given (bad quantity, value, exchange …). */
export class ChargesInputError extends Error {
  override name = 'ChargesInputError';
}
