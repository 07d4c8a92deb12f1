import pino, { type Logger as PinoLogger } from 'pino';

/**
 * Paths redacted from every log line: credentials, tokens and session material must never reach a log
 * (brief: secrets never appear in logs).
 */
export const REDACT_PATHS: readonly string[] = [
  'password',
  '*.password',
  'apiSecret',
  '*.apiSecret',
  'api_secret',
  '*.api_secret',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'requestToken',
  '*.requestToken',
  'request_token',
  '*.request_token',
  'refreshToken',
  '*.refreshToken',
  'token',
  '*.token',
  'checksum',
  '*.checksum',
  'masterKey',
  '*.masterKey',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-kite-checksum"]',
  'res.headers["set-cookie"]',
];

/** What `createLogger` takes. */
export interface LoggerOptions {
  readonly level: string;
  /** Where lines go; standard output when omitted. */
  readonly destination?: NodeJS.WritableStream;
}

/** Returns the process's root pino logger: JSON lines, UTC ISO times, secrets redacted. */
export function createLogger(options: LoggerOptions): PinoLogger {
  return pino(
    {
      level: options.level,
      base: { service: 'kitepilot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? process.stdout,
  );
}
