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
  /** Route modules, registered after the built-in routes. */
  readonly routes?: readonly ((app: FastifyInstance) => void)[];
}

/** Returns the error body `{ error: { code, message, details } }`. */
export function errorBody(code: ErrorCode, message: string, details: unknown = null) {
  return { error: { code, message, details } };
}

/** Builds the Fastify application: routes, schemas and the one error handler. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: 1_048_576,
  });

  app.addSchema(ErrorBodySchema);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      return reply.status(400).send(
        errorBody('VALIDATION_FAILED', error.message, {
          issues: error.validation,
          context: error.validationContext,
        }),
      );
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      const code: ErrorCode = error.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
      return reply.status(error.statusCode).send(errorBody(code, error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(errorBody('INTERNAL', 'internal error; see the server log'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url}`)),
  );

  app.get('/health', { schema: { response: { 200: HealthSchema } } }, () => ({ status: 'ok' as const }));

  app.get('/status', { schema: { response: { 200: StatusSchema } } }, () => deps.statusSource.status());

  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', deps.metrics.contentType).send(await deps.metrics.metrics()),
  );

  for (const register of deps.routes ?? []) register(app);

  return app;
}
