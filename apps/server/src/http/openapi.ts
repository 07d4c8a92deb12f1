// The OpenAPI 3.1 document of the API at `/api/openapi.json` and its browsable page at `/api/docs`, generated from
// the routes' TypeBox schemas by @fastify/swagger; the page's scripts and styles are served from this process
// (@fastify/swagger-ui's bundled copy), never from a CDN.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { fastifySwagger, type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { fastifySwaggerUi, type FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import { VERSION } from '../version.ts';

/** The path of the OpenAPI document. */
export const OPENAPI_PATH = '/api/openapi.json';
/** The path of the API docs page. */
export const DOCS_PATH = '/api/docs';
/** The session cookie the auth guard reads. */
export const SESSION_COOKIE = 'kp_session';

// Only the page's own files and the document it shows: no CDN, no validator badge (validator.swagger.io).
const DOCS_CSP =
  "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'self'; " +
  "script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

const documentOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'KitePilot API',
      version: VERSION,
      description:
        'REST API of a KitePilot server. Money is integer paise (fields ending in Paise) with rupee strings ' +
        'beside them; times are UTC epoch ms or IST ISO 8601 strings. Errors answer ' +
        '`{ error: { code, message, details } }`.',
    },
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description:
            'the session cookie set by POST /api/auth/login; unsafe methods also need x-csrf-token',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'an API token `kp_…` (Authorization: Bearer kp_…)',
        },
      },
    },
    security: [{ session: [] }, { bearer: [] }],
  },
  // Shared schemas (ErrorBody) keep their $id as their component name: `#/components/schemas/ErrorBody`.
  refResolver: {
    buildLocalReference: (json, _baseUri, _fragment, i) =>
      typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`,
  },
  // A route anyone may call needs no credentials in the document either.
  transform: ({ schema, url, route }) =>
    (route as RouteOptions).config?.access === 'public'
      ? { schema: { ...schema, security: [] }, url }
      : { schema, url },
};

const docsOptions: FastifySwaggerUiOptions = {
  routePrefix: DOCS_PATH,
  staticCSP: DOCS_CSP,
  validatorUrl: false,
  theme: { title: 'KitePilot API' },
  uiConfig: { deepLinking: true, persistAuthorization: false },
};

/**
 * Registers the OpenAPI document (`/api/openapi.json`) and the docs page (`/api/docs`), both public. Call it before
 * any route is registered: the document lists the routes added after it. Calling it again is a no-op.
 */
export function registerOpenApi(app: FastifyInstance): void {
  if (app.hasDecorator('swagger')) return;
  // The plugin is set up synchronously rather than through app.register (which runs only at ready): its onRoute
  // hook must be in place before buildApp adds the routes, and buildApp is synchronous.
  fastifySwagger(app, documentOptions, (error) => {
    if (error) throw new Error(`the OpenAPI document cannot be set up: ${error.message}`, { cause: error });
  });

  app.get(OPENAPI_PATH, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(app.swagger()),
  );

  // The page, its bundled assets and its copy of the document are public, like the document. The hook is on the root,
  // registered before the auth guard's, so that the guard sees the declaration when the route is added.
  app.addHook('onRoute', (route) => {
    if (route.url === DOCS_PATH || route.url.startsWith(`${DOCS_PATH}/`)) {
      route.config = { ...route.config, access: 'public' };
    }
  });
  app.register(async (docs) => {
    // Called, not registered: its registration would ask for @fastify/swagger among the registered plugins, and
    // that plugin was set up directly above. Its types say callback plugin, its code is an async function: both
    // ways of finishing are accepted.
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => (error ? reject(error) : resolve());
      const result: unknown = fastifySwaggerUi(docs, docsOptions, done);
      if (result instanceof Promise) result.then(() => resolve(), reject);
    });
  });
}
