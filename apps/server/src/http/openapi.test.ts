import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { VERSION } from '../version.ts';
import { buildFullTestApp, buildTestApp, type FullTestApp } from './fuzz/full-test-app.ts';
import { DOCS_PATH, OPENAPI_PATH, registerOpenApi, SESSION_COOKIE } from './openapi.ts';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

// Routes whose success answer is not JSON: a route added without a success schema fails the test.
//   GET /metrics: the Prometheus text format.
//   GET /api/broker/kite/callback: the browser arrives from Kite and is redirected (302) to the UI.
//   GET /api/live: a WebSocket (messages in api-contract live.ts); a plain HTTP request gets 426.
const KNOWN_WITHOUT_SUCCESS_SCHEMA: readonly string[] = [
  'GET /metrics',
  'GET /api/broker/kite/callback',
  'GET /api/live',
];

/** Returns every `$ref` string in a JSON value. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refsIn(v, found);
    }
  }
  return found;
}

/** Returns the structural problems of an OpenAPI 3 document (empty when it is well formed). */
function openApiProblems(doc: Json): string[] {
  const problems: string[] = [];
  if (typeof doc['openapi'] !== 'string' || !/^3\.[01]\.\d+$/.test(doc['openapi'])) {
    problems.push(`openapi ${String(doc['openapi'])} is not 3.0.x or 3.1.x`);
  }
  const info = doc['info'] as Json | undefined;
  if (typeof info?.['title'] !== 'string' || typeof info['version'] !== 'string')
    problems.push('info needs title and version');
  const paths = doc['paths'] as Record<string, Json> | undefined;
  if (typeof paths !== 'object' || paths === null) return [...problems, 'paths is missing'];
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/')) problems.push(`path ${path} does not start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (op === undefined) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const responses = op['responses'] as Record<string, Json> | undefined;
      if (responses === undefined || Object.keys(responses).length === 0)
        problems.push(`${where} has no responses`);
      for (const [status, response] of Object.entries(responses ?? {})) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status))
          problems.push(`${where} has response key ${status}`);
        if (typeof response['description'] !== 'string')
          problems.push(`${where} ${status} has no description`);
      }
      const parameters = (op['parameters'] ?? []) as Json[];
      for (const p of parameters) {
        if (
          typeof p['name'] !== 'string' ||
          !['query', 'path', 'header', 'cookie'].includes(String(p['in']))
        ) {
          problems.push(`${where} has a malformed parameter ${JSON.stringify(p)}`);
        }
        if (p['in'] === 'path' && p['required'] !== true)
          problems.push(`${where} path ${String(p['name'])} not required`);
      }
      for (const name of templated) {
        if (!parameters.some((p) => p['in'] === 'path' && p['name'] === name)) {
          problems.push(`${where} does not declare its path parameter ${name}`);
        }
      }
    }
  }
  const schemas = ((doc['components'] as Json | undefined)?.['schemas'] ?? {}) as Json;
  for (const ref of refsIn(doc)) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
    if (name === undefined || !(name in schemas))
      problems.push(`$ref ${ref} does not resolve in the document`);
  }
  return problems;
}

let t: FullTestApp;

// One store for both suites.
beforeAll(async () => {
  t = await buildFullTestApp();
});
afterAll(() => t.close());

describe('registerOpenApi on the full route set', () => {
  let doc: Json;

  beforeAll(async () => {
    const response = await t.app.inject({ method: 'GET', url: OPENAPI_PATH, headers: t.ownerHeaders });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    doc = response.json<Json>();
  });

  it('serves a well-formed OpenAPI 3.1 document with the server version', () => {
    expect(openApiProblems(doc)).toEqual([]);
    expect(doc['openapi']).toBe('3.1.0');
    expect((doc['info'] as Json)['version']).toBe(VERSION);
  });

  it('declares the session cookie and the bearer token, required by default', () => {
    const components = doc['components'] as Json;
    expect(components['securitySchemes']).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      bearer: { type: 'http', scheme: 'bearer' },
    });
    expect(doc['security']).toEqual([{ session: [] }, { bearer: [] }]);
  });

  it('lists every registered /api route with its method', () => {
    const paths = doc['paths'] as Record<string, Json>;
    const api = t.routes.filter((r) => r.url.startsWith('/api/') && r.options.schema?.hide !== true);
    expect(api.length).toBeGreaterThan(20);
    const missing = api
      .filter(
        (r) => paths[r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[r.method.toLowerCase()] === undefined,
      )
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('keeps its own routes and the docs page out of the document', () => {
    const paths = Object.keys(doc['paths'] as Json);
    expect(paths).not.toContain(OPENAPI_PATH);
    expect(paths.filter((p) => p.startsWith(DOCS_PATH))).toEqual([]);
  });

  it('resolves the shared ErrorBody schema by its $id', () => {
    const schemas = (doc['components'] as Json)['schemas'] as Json;
    expect(schemas['ErrorBody']).toMatchObject({ type: 'object', required: ['error'] });
    const orders = (doc['paths'] as Record<string, Record<string, Json>>)['/api/orders']?.['get'];
    const bad = (orders?.['responses'] as Record<string, Json>)['400'];
    expect(JSON.stringify(bad)).toContain('"$ref":"#/components/schemas/ErrorBody"');
  });

  it('gives every JSON route a schema for its success answer (or the route is a known exception)', () => {
    const paths = doc['paths'] as Record<string, Record<string, Json>>;
    const without: string[] = [];
    for (const [path, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        const responses = item[method]?.['responses'] as Record<string, Json> | undefined;
        if (responses === undefined) continue;
        const success = Object.entries(responses).filter(([s]) => /^2\d\d$/.test(s));
        // A declared 204 answer has no body to describe.
        const described = success.some(([status, r]) => {
          const content = r['content'] as Record<string, Json> | undefined;
          if (status === '204') return true;
          return content !== undefined && Object.values(content).some((c) => c['schema'] !== undefined);
        });
        if (!described) without.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(without.sort()).toEqual([...KNOWN_WITHOUT_SUCCESS_SCHEMA].sort());
  });

  it('serves the docs page loading only its own local assets', async () => {
    const page = await t.app.inject({ method: 'GET', url: DOCS_PATH });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<div id="swagger-ui">');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self';/);
    const urls = [...page.body.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(urls.length).toBeGreaterThanOrEqual(5);
    expect(urls.filter((u) => !u.startsWith(`${DOCS_PATH}/static/`))).toEqual([]);
    for (const url of urls) {
      const asset = await t.app.inject({ method: 'GET', url });
      expect(asset.statusCode, url).toBe(200);
      expect(asset.body.length, url).toBeGreaterThan(0);
    }
    const init = await t.app.inject({ method: 'GET', url: `${DOCS_PATH}/static/swagger-initializer.js` });
    expect(init.body).toContain('validatorUrl: null');
    // The initializer's only URL is in a comment of the bundled file; nothing it runs names another host.
    const code = init.body
      .split('\n')
      .filter((line) => !line.trim().startsWith('//'))
      .join('\n');
    expect(code).not.toMatch(/https?:\/\//);
    const copy = await t.app.inject({ method: 'GET', url: `${DOCS_PATH}/json` });
    expect(copy.json()).toEqual(doc);
  });

  it('answers 404 with the error body for an asset the page does not have', async () => {
    const missing = await t.app.inject({ method: 'GET', url: `${DOCS_PATH}/static/nope.js` });
    expect(missing.statusCode).toBe(404);
  });
});

describe('registerOpenApi access', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = buildTestApp(t.store, [
      registerOpenApi,
      // Twice: the second call must change nothing (buildApp may install it before a caller does).
      registerOpenApi,
      (a) => {
        a.addHook('onRequest', async (request, reply) => {
          reply.header('x-access', request.routeOptions.config.access ?? 'none');
        });
        a.get('/api/undeclared', () => 'z');
        a.get(
          '/api/open',
          { config: { access: 'public' }, schema: { response: { 200: Type.String() } } },
          () => 'x',
        );
        a.get(
          '/api/closed',
          { config: { access: 'readonly' }, schema: { response: { 200: Type.String() } } },
          () => 'y',
        );
      },
    ]);
    await app.ready();
  });
  afterAll(() => app.close());

  it('marks public routes as needing no credentials and leaves the others to the default', async () => {
    const doc = (await app.inject({ method: 'GET', url: OPENAPI_PATH })).json<Json>();
    const paths = doc['paths'] as Record<string, Record<string, Json>>;
    expect(paths['/api/open']?.['get']?.['security']).toEqual([]);
    expect(paths['/api/closed']?.['get']).toBeDefined();
    expect(paths['/api/closed']?.['get']?.['security']).toBeUndefined();
    expect(doc['security']).toEqual([{ session: [] }, { bearer: [] }]);
  });

  it('declares the document and the docs page public for the auth guard', async () => {
    // What the guard sees: the access each route declares, read from the request's route options.
    for (const url of [OPENAPI_PATH, DOCS_PATH, `${DOCS_PATH}/json`, `${DOCS_PATH}/static/swagger-ui.css`]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['x-access'], url).toBe('public');
    }
    // With the guard installed an undeclared route is refused before this hook; without it the hook says none.
    const undeclared = await app.inject({ method: 'GET', url: '/api/undeclared' });
    expect(undeclared.headers['x-access'] ?? 'none').toBe('none');
  });
});
