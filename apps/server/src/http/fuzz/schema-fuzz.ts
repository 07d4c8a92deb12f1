// Schema fuzzing of the API. For every route with a body, query or params schema it sends requests valid by the
// schema and requests broken in one place (wrong types, missing or extra fields, huge strings, deep nesting, bodies
// that are not JSON, a wrong content type, a 2 MB body, bad URL escapes) and checks three invariants:
//   1. no answer is a 500;
//   2. every error answer (4xx, 5xx) is the error body `{ error: { code, message, details } }`;
//   3. a write (POST, PUT, PATCH, DELETE) refused with a 4xx leaves the database as it was.
// It only sends requests through `inject` with the caller's headers, so it does not depend on how requests are
// authenticated.
import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import { ErrorBodySchema } from '@kitepilot/api-contract';
import { malformedObject, validValue, type JsonSchema, type RefResolver } from './schema-arbitrary.ts';

/** A request the harness sends. */
export interface FuzzRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload?: string | Buffer;
}

/** What the harness needs of an answer. */
export interface FuzzResponse {
  readonly statusCode: number;
  readonly body: string;
}

/** One route to fuzz, with the schemas it validates its input by. */
export interface FuzzRoute {
  readonly method: string;
  /** The URL pattern, `:name` for a path parameter. */
  readonly url: string;
  readonly schema: {
    readonly body?: JsonSchema;
    readonly querystring?: JsonSchema;
    readonly params?: JsonSchema;
  };
}

/** What `fuzzRoutes` takes. */
export interface SchemaFuzzOptions {
  readonly routes: readonly FuzzRoute[];
  /** Sends one request to the app (fastify.inject, or fetch against a listening server). */
  readonly inject: (request: FuzzRequest) => Promise<FuzzResponse>;
  /** Sent with every request (e.g. an owner's `authorization: Bearer kp_…`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Returns the state of the database, per table; compared around every write answered with a 4xx. */
  readonly fingerprint: () => Promise<Readonly<Record<string, string>>>;
  /** Resolves a `$ref` of a route schema (the app's shared schemas). */
  readonly resolveRef: RefResolver;
  /** Valid requests per route (default 20). */
  readonly validRuns?: number;
  /** Malformed requests per route (default 40), besides the fixed ones: every raw body, query and path value. */
  readonly malformedRuns?: number;
  readonly seed?: number;
}

/** A broken invariant: the request, the answer and which invariant. */
export interface FuzzViolation {
  readonly route: string;
  readonly invariant: 'no-500' | 'error-body' | 'refused-write-changes-nothing';
  readonly request: { readonly method: string; readonly url: string; readonly payload: string };
  readonly status: number;
  readonly detail: string;
}

/** What a fuzzing run did and found. */
export interface FuzzReport {
  readonly requests: number;
  /** Answers by route and status, e.g. `POST /api/backtests` → { 400: 57, 202: 1 }. */
  readonly statuses: Readonly<Record<string, Readonly<Record<number, number>>>>;
  readonly violations: readonly FuzzViolation[];
}

interface Parts {
  /** Path parameters by name; a malformed case may be any value, which then fills no parameter. */
  readonly params: unknown;
  /** A query object, a raw query string, or any value (sent as its JSON text). */
  readonly query: unknown;
  readonly body: { readonly contentType: string; readonly payload: string | Buffer } | null;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TWO_MB = 2 * 1024 * 1024;

const json = (value: unknown) => ({ contentType: 'application/json', payload: JSON.stringify(value) });

/** Bodies that are not a JSON object by any schema: broken JSON, other content types, too big, hostile keys. */
const RAW_BODIES: readonly { contentType: string; payload: string | Buffer }[] = [
  { contentType: 'application/json', payload: '{"a":' },
  { contentType: 'application/json', payload: 'not json' },
  { contentType: 'application/json', payload: '' },
  { contentType: 'application/json', payload: '\uFEFF{}' },
  { contentType: 'application/json', payload: '{"__proto__":{"polluted":true}}' },
  { contentType: 'application/json', payload: '{"constructor":{"prototype":{"polluted":true}}}' },
  { contentType: 'application/json', payload: 'null' },
  { contentType: 'application/json', payload: '[]' },
  { contentType: 'application/json', payload: '"text"' },
  { contentType: 'application/json; charset=utf-16', payload: '{}' },
  { contentType: 'text/plain', payload: 'hello' },
  { contentType: 'application/x-www-form-urlencoded', payload: 'a=1&b=2' },
  { contentType: 'application/octet-stream', payload: Buffer.from([0, 1, 2, 255]) },
  { contentType: 'application/json', payload: `{"a":"${'x'.repeat(TWO_MB)}"}` },
  { contentType: 'application/json', payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
];
const rawBodies = fc.oneof(
  fc.constantFrom(...RAW_BODIES),
  fc.string({ maxLength: 40 }).map((payload) => ({ contentType: 'application/json', payload })),
);

/** Raw query strings that no schema accepts as they are. */
const RAW_QUERIES = [
  'limit=abc',
  'limit=1e309',
  'limit=-1',
  'limit=1.5',
  'limit=1&limit=2',
  'from=%ZZ',
  'symbol=%00',
  '=&&=',
  `symbol=${'y'.repeat(20_000)}`,
  'namespace[]=real',
];

/** A path segment sent as it is, unescaped: a bad escape must reach the server as one. */
class RawSegment {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}

/** Path parameter values that are unusual in form. */
const RAW_PARAMS = [
  '%',
  '%ZZ',
  '..',
  '%2F..%2F',
  '%00',
  'x'.repeat(5_000),
  encodeURIComponent('💥'.repeat(60)),
  '%20',
];

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function pathOf(url: string, params: unknown): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = isRecord(params) ? params[name] : undefined;
    if (value instanceof RawSegment) return value.text;
    return encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value ?? ''));
  });
}

function queryOf(query: unknown): string {
  if (typeof query === 'string') return query;
  if (!isRecord(query)) return encodeURIComponent(JSON.stringify(query));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      search.append(key, typeof v === 'string' ? v : JSON.stringify(v));
    }
  }
  return search.toString();
}

function requestOf(route: FuzzRoute, parts: Parts, headers: Readonly<Record<string, string>>): FuzzRequest {
  const query = queryOf(parts.query);
  const url = `${pathOf(route.url, parts.params)}${query === '' ? '' : `?${query}`}`;
  if (parts.body === null) return { method: route.method, url, headers };
  return {
    method: route.method,
    url,
    headers: { ...headers, 'content-type': parts.body.contentType },
    payload: parts.body.payload,
  };
}

function partsArbitraries(route: FuzzRoute, resolve: RefResolver) {
  const { body, querystring, params } = route.schema;
  const empty = fc.constant({});
  const validParams = params === undefined ? empty : validValue(params, resolve);
  const validQuery = querystring === undefined ? empty : validValue(querystring, resolve);
  const validBody = body === undefined ? fc.constant(null) : validValue(body, resolve).map(json);
  const valid: fc.Arbitrary<Parts> = fc.record({ params: validParams, query: validQuery, body: validBody });
  const broken: fc.Arbitrary<Parts>[] = [];
  if (params !== undefined) {
    const names = Object.keys((params['properties'] ?? {}) as object);
    const badParams = fc.oneof(
      malformedObject(params, resolve),
      fc
        .tuple(
          validParams,
          fc.constantFrom(...(names.length > 0 ? names : ['id'])),
          fc.constantFrom(...RAW_PARAMS).map((text) => new RawSegment(text)),
        )
        .map(([p, name, raw]) => ({ ...(isRecord(p) ? p : {}), [name]: raw })),
    );
    broken.push(fc.record({ params: badParams, query: validQuery, body: validBody }));
  }
  if (querystring !== undefined) {
    const badQuery = fc.oneof(malformedObject(querystring, resolve), fc.constantFrom(...RAW_QUERIES));
    broken.push(fc.record({ params: validParams, query: badQuery, body: validBody }));
  }
  if (body !== undefined) {
    const badBody = fc.oneof(malformedObject(body, resolve).map(json), rawBodies);
    broken.push(fc.record({ params: validParams, query: validQuery, body: badBody }));
  }
  return { valid, malformed: broken.length === 0 ? null : fc.oneof(...broken) };
}

/** Returns the fixed cases of a route: every raw body, query and path value once, the rest valid. */
function fixedCases(route: FuzzRoute, resolve: RefResolver, seed: number): Parts[] {
  const { body, querystring, params } = route.schema;
  const sample = (schema: JsonSchema | undefined): unknown =>
    schema === undefined ? {} : fc.sample(validValue(schema, resolve), { numRuns: 1, seed })[0];
  const valid = {
    params: sample(params),
    query: sample(querystring),
    body: body === undefined ? null : json(sample(body)),
  };
  const cases: Parts[] = [];
  if (body !== undefined) cases.push(...RAW_BODIES.map((b) => ({ ...valid, body: b })));
  if (querystring !== undefined) cases.push(...RAW_QUERIES.map((query) => ({ ...valid, query })));
  for (const name of Object.keys((params?.['properties'] ?? {}) as object)) {
    const base = typeof valid.params === 'object' && valid.params !== null ? valid.params : {};
    cases.push(
      ...RAW_PARAMS.map((text) => ({ ...valid, params: { ...base, [name]: new RawSegment(text) } })),
    );
  }
  return cases;
}

/** Returns the tables whose fingerprint differs. */
function changedTables(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>) {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}

function shortPayload(payload: string | Buffer | undefined): string {
  if (payload === undefined) return '';
  const text = typeof payload === 'string' ? payload : `<${payload.length} bytes>`;
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}

/** Sends the fuzzed requests route by route and returns what was answered and which invariants broke. */
export async function fuzzRoutes(options: SchemaFuzzOptions): Promise<FuzzReport> {
  const headers = options.headers ?? {};
  const seed = options.seed ?? 20_261_123;
  const violations: FuzzViolation[] = [];
  const statuses: Record<string, Record<number, number>> = {};
  const seen = new Set<string>();
  let requests = 0;
  // The fingerprint after a refused write is the one before the next request: nothing ran in between.
  let known: Readonly<Record<string, string>> | null = null;

  const check = async (route: FuzzRoute, request: FuzzRequest): Promise<void> => {
    const name = `${route.method} ${route.url}`;
    const write = WRITES.has(route.method);
    const before = write ? (known ?? (await options.fingerprint())) : null;
    known = null;
    const response = await options.inject(request);
    requests++;
    const counts = (statuses[name] ??= {});
    counts[response.statusCode] = (counts[response.statusCode] ?? 0) + 1;
    const found: Omit<FuzzViolation, 'route' | 'request' | 'status'>[] = [];
    if (response.statusCode === 500) found.push({ invariant: 'no-500', detail: response.body.slice(0, 500) });
    if (response.statusCode >= 400) {
      let body: unknown;
      try {
        body = JSON.parse(response.body);
      } catch {
        body = undefined;
      }
      if (body === undefined || !Value.Check(ErrorBodySchema, body)) {
        found.push({ invariant: 'error-body', detail: `not an error body: ${response.body.slice(0, 300)}` });
      }
    }
    if (before !== null && response.statusCode >= 400 && response.statusCode < 500) {
      const after = await options.fingerprint();
      const changed = changedTables(before, after);
      known = after;
      if (changed.length > 0) {
        found.push({ invariant: 'refused-write-changes-nothing', detail: `changed: ${changed.join(', ')}` });
      }
    }
    for (const v of found) {
      // One example per route, invariant and status is enough to act on.
      const key = `${name} ${v.invariant} ${response.statusCode}`;
      if (seen.has(key)) continue;
      seen.add(key);
      violations.push({
        ...v,
        route: name,
        status: response.statusCode,
        request: {
          method: request.method,
          url: request.url.slice(0, 300),
          payload: shortPayload(request.payload),
        },
      });
    }
  };

  for (const [index, route] of options.routes.entries()) {
    const { valid, malformed } = partsArbitraries(route, options.resolveRef);
    const runs: Parts[] = fixedCases(route, options.resolveRef, seed + index);
    runs.push(...fc.sample(valid, { numRuns: options.validRuns ?? 20, seed: seed + index }));
    if (malformed !== null) {
      runs.push(...fc.sample(malformed, { numRuns: options.malformedRuns ?? 40, seed: seed + 1000 + index }));
    }
    for (const parts of runs) await check(route, requestOf(route, parts, headers));
  }
  return { requests, statuses, violations };
}
