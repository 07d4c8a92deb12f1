// Schema fuzzing of every route of the app with an input schema (see schema-fuzz.ts for the invariants), on PGlite;
// and the harness itself against routes built to break each invariant.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBody } from '../build-app.ts';
import { databaseFingerprint } from './database-fingerprint.ts';
import { buildFullTestApp, buildTestApp, type FullTestApp } from './full-test-app.ts';
import type { JsonSchema } from './schema-arbitrary.ts';
import { fuzzRoutes, type FuzzRequest, type FuzzRoute, type SchemaFuzzOptions } from './schema-fuzz.ts';

/** Returns the routes of `routes` that validate a body, query or path parameters, as the harness takes them. */
function fuzzable(routes: FullTestApp['routes']): FuzzRoute[] {
  return routes.flatMap(({ method, url, options }) => {
    const schema = (options.schema ?? {}) as Record<string, JsonSchema | undefined>;
    const { body, querystring, params } = schema;
    if (body === undefined && querystring === undefined && params === undefined) return [];
    return [
      {
        method,
        url,
        schema: {
          ...(body === undefined ? {} : { body }),
          ...(querystring === undefined ? {} : { querystring }),
          ...(params === undefined ? {} : { params }),
        },
      },
    ];
  });
}

function injector(app: FastifyInstance): SchemaFuzzOptions['inject'] {
  return async (request: FuzzRequest) => {
    const response = await app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers: request.headers,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    });
    return { statusCode: response.statusCode, body: response.body };
  };
}

function refResolver(app: FastifyInstance) {
  return (ref: string): JsonSchema => {
    const schema = app.getSchema(ref.replace(/#$/, '')) as JsonSchema | undefined;
    if (schema === undefined) throw new Error(`$ref ${ref} names no shared schema of the app`);
    return schema;
  };
}

let t: FullTestApp;

// One database for both suites: the harness's own checks add rows only after the API suite ran.
beforeAll(async () => {
  t = await buildFullTestApp();
});
afterAll(() => t.close());

describe('schema fuzzing of the API', () => {
  it('answers every fuzzed request without a 500, errors with the error body, refused writes changing nothing', async () => {
    const routes = fuzzable(t.routes);
    expect(routes.length).toBeGreaterThan(15);
    const report = await fuzzRoutes({
      routes,
      inject: injector(t.app),
      headers: t.ownerHeaders,
      fingerprint: await databaseFingerprint(t.driver),
      resolveRef: refResolver(t.app),
    });
    expect(report.violations).toEqual([]);
    // Every route was reached, and the malformed requests were refused rather than all answered alike.
    expect(Object.keys(report.statuses).sort()).toEqual(routes.map((r) => `${r.method} ${r.url}`).sort());
    const refused = Object.values(report.statuses).reduce((n, s) => n + (s[400] ?? 0), 0);
    expect(refused).toBeGreaterThan(report.requests / 3);
  }, 120_000);
});

describe('fuzzRoutes', () => {
  let app: FastifyInstance;
  let fingerprint: SchemaFuzzOptions['fingerprint'];

  beforeAll(async () => {
    const store = t.store;
    fingerprint = await databaseFingerprint(t.driver);
    app = buildTestApp(t.store, [
      (a) => {
        // Public: these routes test the harness, not the guard.
        const open = { access: 'public' } as const;
        const body = Type.Object(
          { n: Type.Integer({ minimum: 0, maximum: 9 }) },
          { additionalProperties: false },
        );
        a.post<{ Body: { n: number } }>('/api/crash', { config: open, schema: { body } }, (request) => {
          if (request.body.n > 4) throw new Error('a bug the fuzzing must find');
          return { ok: true };
        });
        a.post('/api/bare-error', { config: open, schema: { body } }, (_request, reply) =>
          reply.status(400).send('no'),
        );
        a.post<{ Body: { n: number } }>(
          '/api/writes-then-refuses',
          { config: open, schema: { body } },
          async (request, reply) => {
            await store.accounts.create({
              id: `acc_w${Date.now()}${request.body.n}` as never,
              name: 'w',
              createdAt: 0,
            });
            return reply.status(422).send(errorBody('VALIDATION_FAILED', 'refused after writing'));
          },
        );
        a.get(
          '/api/fine',
          { config: open, schema: { querystring: Type.Object({ q: Type.String({ maxLength: 3 }) }) } },
          () => ({}),
        );
      },
    ]);
    await app.ready();
  });
  afterAll(() => app.close());

  const route = (method: string, url: string, schema: FuzzRoute['schema']): FuzzRoute => ({
    method,
    url,
    schema,
  });
  const body = { type: 'object', properties: { n: { type: 'integer', minimum: 0, maximum: 9 } } } as const;

  it('finds a 500, a bare error answer and a refused write that changed the database', async () => {
    const report = await fuzzRoutes({
      routes: [
        route('POST', '/api/crash', { body }),
        route('POST', '/api/bare-error', { body }),
        route('POST', '/api/writes-then-refuses', { body }),
      ],
      inject: injector(app),
      fingerprint,
      resolveRef: refResolver(app),
      validRuns: 20,
      malformedRuns: 10,
    });
    const found = report.violations.map((v) => `${v.route} ${v.invariant} ${v.status}`);
    expect(found).toContain('POST /api/crash no-500 500');
    expect(found).toContain('POST /api/bare-error error-body 400');
    expect(found).toContain('POST /api/writes-then-refuses refused-write-changes-nothing 422');
    const write = report.violations.find((v) => v.invariant === 'refused-write-changes-nothing');
    expect(write?.detail).toBe('changed: accounts');
    // 20 valid, 10 malformed and the 15 fixed raw bodies per route.
    expect(report.requests).toBe(3 * (20 + 10 + 15));
  });

  it('finds nothing on a route that keeps the invariants, and sends its headers', async () => {
    const seen: string[] = [];
    const inject = injector(app);
    const report = await fuzzRoutes({
      routes: [
        route('GET', '/api/fine', { querystring: { type: 'object', properties: { q: { type: 'string' } } } }),
      ],
      inject: (request) => {
        seen.push(request.headers['authorization'] ?? 'none');
        return inject(request);
      },
      headers: { authorization: 'Bearer kp_test' },
      fingerprint,
      resolveRef: refResolver(app),
      validRuns: 10,
      malformedRuns: 10,
    });
    expect(report.violations).toEqual([]);
    // 10 valid, 10 malformed and the 10 fixed raw queries.
    expect(report.requests).toBe(30);
    expect(new Set(seen)).toEqual(new Set(['Bearer kp_test']));
  });

  it('refuses a $ref it cannot resolve, naming it', async () => {
    await expect(
      fuzzRoutes({
        routes: [route('POST', '/api/crash', { body: { $ref: 'Nope#' } })],
        inject: injector(app),
        fingerprint,
        resolveRef: refResolver(app),
      }),
    ).rejects.toThrow('$ref Nope# names no shared schema of the app');
  });
});
