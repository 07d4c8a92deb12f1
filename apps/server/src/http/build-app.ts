import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyError } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import {
  HealthSchema,
  StatusSchema,
  ErrorBodySchema,
  type ErrorCode,
  type Status,
} from '@kitepilot/api-contract';
import { AuthError } from '../auth/auth-error.ts';
import { registerAuth, replyAuthError, type AuthDeps } from '../auth/register-auth.ts';

/** What the HTTP layer needs to answer `/status`. */
export interface StatusSource {
  /** Returns the current status document. */
  status(): Promise<Status>;
}

/** What `buildApp` takes. */
export interface AppDeps {
  readonly logger: PinoLogger;
  readonly statusSource: StatusSource;
  /** Served at `/metrics` in the Prometheus text format. */
  readonly metrics: Registry;
  /** The authentication the guard uses; the guard is always installed, before every route. */
  readonly auth: AuthDeps;
  /**
   * Whether to believe X-Forwarded-For/-Proto (Fastify `trustProxy`): set it only behind a reverse proxy that sets
   * them, since the client address feeds the sign-in limit and the protocol the cookie's Secure flag.
   */
  readonly trustProxy?: boolean | string | readonly string[];
  /** Route modules, registered after the built-in routes. */
  readonly routes?: readonly ((app: FastifyInstance) => void)[];
}

const STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
};

/** Returns the error body `{ error: { code, message, details } }`. */
export function errorBody(code: ErrorCode, message: string, details: unknown = null) {
  return { error: { code, message, details } };
}

/**
 * Builds the Fastify application: the auth guard (always, before any route), routes, schemas and the one error
 * handler. Access: `/health` and `/metrics` are public (liveness probes and Prometheus scrape without credentials;
 * metrics carry no secrets), `/status` needs a signed-in caller (it names the store's location and config hash).
 */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: 1_048_576,
    ...(deps.trustProxy === undefined ? {} : { trustProxy: deps.trustProxy as boolean | string | string[] }),
  });

  registerAuth(app, deps.auth);

  app.addSchema(ErrorBodySchema);

  app.setErrorHandler((error: FastifyError | AuthError, request, reply) => {
    if (error instanceof AuthError) return replyAuthError(reply, error);
    if (error.validation) {
      return reply.status(400).send(
        errorBody('VALIDATION_FAILED', error.message, {
          issues: error.validation,
          context: error.validationContext,
        }),
      );
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      const code: ErrorCode = STATUS_CODES[error.statusCode] ?? 'VALIDATION_FAILED';
      return reply.status(error.statusCode).send(errorBody(code, error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(errorBody('INTERNAL', 'internal error; see the server log'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url}`)),
  );

  app.get('/health', { config: { access: 'public' }, schema: { response: { 200: HealthSchema } } }, () => ({
    status: 'ok' as const,
  }));

  app.get('/status', { config: { access: 'readonly' }, schema: { response: { 200: StatusSchema } } }, () =>
    deps.statusSource.status(),
  );

  app.get('/metrics', { config: { access: 'public' } }, async (_request, reply) =>
    reply.header('content-type', deps.metrics.contentType).send(await deps.metrics.metrics()),
  );

  for (const register of deps.routes ?? []) register(app);

  return app;
}
