import { Type, type Static } from '@sinclair/typebox';

/** The closed set of error codes the API answers with. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

/** The HTTP status of each error code (400, 401, 403, 404, 405, 409, 429, 409/503, 500). */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  // UNAVAILABLE is 409 where the request conflicts with the process state (no trading running), else 503.
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** One of the API's error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every error response: `{ error: { code, message, details } }`. */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.Union(ERROR_CODES.map((c) => Type.Literal(c))),
        message: Type.String(),
        details: Type.Unknown(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: 'ErrorBody' },
);

/** An error response body. */
export type ErrorBody = Static<typeof ErrorBodySchema>;
