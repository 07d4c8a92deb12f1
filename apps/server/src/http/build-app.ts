import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyError,
  type FastifyReply,
} from 'fastify';
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
import { registerOpenApi } from './openapi.ts';
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
    // A body field the schema does not declare is refused (400), not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
    // Errors raised before routing (a bad path escape, an over-long path value) answer with the error body too.
    frameworkErrors: (error, _request, reply) => {
      const status = typeof error.statusCode === 'number' ? error.statusCode : 400;
      void (reply as FastifyReply).code(status).send(errorBody('VALIDATION_FAILED', error.message));
    },
  });

  // Before the guard and every route: the OpenAPI document collects routes as they are added.
  registerOpenApi(app);
  // The validator turns `?limit=1e309` (or 1e309 in a JSON body) into Infinity and then skips the schema's limits.
  app.addHook('preHandler', async (request, reply) => {
    const where =
      nonFiniteAt(request.query, 'query') ??
      nonFiniteAt(request.params, 'path') ??
      nonFiniteAt(request.body, 'body');
    if (where !== null) {
      return reply
        .status(400)
        .send(errorBody('VALIDATION_FAILED', `${where} is not a finite number`, { field: where }));
    }
    return undefined;
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

/** Returns the path of the first Infinity or NaN in a parsed request part, or null. */
function nonFiniteAt(value: unknown, path: string): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = nonFiniteAt(inner, `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}
