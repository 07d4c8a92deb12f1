// The errors the route modules of instruments, signals, jobs, risk profiles, strategies, config and trading
// start/stop raise, mapped to the API's error body in one place. Anything else is rethrown for the app's handler
// (500 INTERNAL with the cause in the log).
import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '@kitepilot/api-contract';
import { InstrumentRefError, UnknownInstrumentError } from '@kitepilot/market-data';
import { errorBody } from '../build-app.ts';
import { AccountQueryError, UnknownAccountError } from './account-query.ts';
import { PageCursorError } from './page-cursor.ts';

/** A refusal the route states itself: HTTP status, error code, message and details. */
export class RouteError extends Error {
  override name = 'RouteError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(status: number, code: ErrorCode, message: string, details: unknown = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Answers a known error with its status and error body; rethrows anything else. */
export function replyRouteError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof RouteError) {
    return reply.status(error.status).send(errorBody(error.code, error.message, error.details));
  }
  if (
    error instanceof PageCursorError ||
    error instanceof AccountQueryError ||
    error instanceof InstrumentRefError
  ) {
    return reply.status(400).send(errorBody('VALIDATION_FAILED', error.message));
  }
  if (error instanceof UnknownAccountError || error instanceof UnknownInstrumentError) {
    return reply.status(404).send(errorBody('NOT_FOUND', error.message));
  }
  throw error;
}

/** The error responses every route of these modules may give. */
export const ROUTE_ERRORS = {
  400: { $ref: 'ErrorBody#' },
  404: { $ref: 'ErrorBody#' },
  409: { $ref: 'ErrorBody#' },
  503: { $ref: 'ErrorBody#' },
} as const;
