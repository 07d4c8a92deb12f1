// fast-check arbitraries from the JSON Schemas of the routes (the subset TypeBox emits: type, const, enum, anyOf,
// properties/required/additionalProperties, patternProperties, string length and pattern, number bounds, arrays):
// values that the schema accepts, and values that break it in one place.
import fc from 'fast-check';

/** A JSON Schema as a route declares it (a TypeBox schema is one). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** Returns the shared schema a `$ref` names (e.g. `ErrorBody#`), or throws naming the unknown ref. */
export type RefResolver = (ref: string) => JsonSchema;

// Small values by default: the fuzzing is about shape, and big inputs have their own cases.
const DEFAULT_MAX_LENGTH = 24;
const DEFAULT_MAX_ITEMS = 4;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const schemas = (v: unknown): JsonSchema[] => (Array.isArray(v) ? (v as JsonSchema[]) : []);

/** Returns the schema with its `$ref` followed. */
export function resolved(schema: JsonSchema, resolve: RefResolver): JsonSchema {
  const ref = str(schema['$ref']);
  return ref === undefined ? schema : resolved(resolve(ref), resolve);
}

/** Returns the JSON types a schema allows (empty when it does not say: anything). */
export function typesOf(schema: JsonSchema, resolve: RefResolver): string[] {
  const s = resolved(schema, resolve);
  if (s['const'] !== undefined) return [jsonType(s['const'])];
  if (Array.isArray(s['enum'])) return [...new Set((s['enum'] as unknown[]).map(jsonType))];
  const variants = [...schemas(s['anyOf']), ...schemas(s['oneOf'])];
  if (variants.length > 0) return [...new Set(variants.flatMap((v) => typesOf(v, resolve)))];
  const type = s['type'];
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? (type as string[]) : [];
}

/** Returns the JSON Schema type name of a value. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Returns an arbitrary of values the schema accepts. */
export function validValue(schema: JsonSchema, resolve: RefResolver): fc.Arbitrary<unknown> {
  const s = resolved(schema, resolve);
  if (s['const'] !== undefined) return fc.constant(s['const']);
  if (Array.isArray(s['enum'])) return fc.constantFrom(...(s['enum'] as unknown[]));
  const variants = [...schemas(s['anyOf']), ...schemas(s['oneOf'])];
  if (variants.length > 0) return fc.oneof(...variants.map((v) => validValue(v, resolve)));
  const type = s['type'];
  if (Array.isArray(type))
    return fc.oneof(...(type as string[]).map((t) => validValue({ ...s, type: t }, resolve)));
  switch (type) {
    case 'string':
      return validString(s);
    case 'integer':
      return validInteger(s);
    case 'number':
      return fc.oneof(validInteger(s), validDouble(s));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validValue((s['items'] as JsonSchema | undefined) ?? {}, resolve), {
        minLength: num(s['minItems']) ?? 0,
        maxLength: Math.min(
          num(s['maxItems']) ?? DEFAULT_MAX_ITEMS,
          (num(s['minItems']) ?? 0) + DEFAULT_MAX_ITEMS,
        ),
      });
    case 'object':
      return validObject(s, resolve);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(s: JsonSchema): fc.Arbitrary<string> {
  const minLength = num(s['minLength']) ?? 0;
  const maxLength = Math.min(num(s['maxLength']) ?? DEFAULT_MAX_LENGTH, minLength + DEFAULT_MAX_LENGTH);
  const fits = (v: string) =>
    [...v].length >= minLength && [...v].length <= (num(s['maxLength']) ?? Infinity);
  const pattern = str(s['pattern']);
  if (pattern !== undefined) return fc.stringMatching(new RegExp(pattern, 'u')).filter(fits);
  // Plain and full-Unicode text: the server must cope with both.
  return fc.oneof(fc.string({ minLength, maxLength }), fc.string({ minLength, maxLength, unit: 'grapheme' }));
}

function bounds(s: JsonSchema): { min: number; max: number } {
  const exclusiveMin = num(s['exclusiveMinimum']);
  const exclusiveMax = num(s['exclusiveMaximum']);
  const min = num(s['minimum']) ?? (exclusiveMin === undefined ? -1e12 : exclusiveMin);
  const max = num(s['maximum']) ?? (exclusiveMax === undefined ? 1e12 : exclusiveMax);
  return { min, max };
}

function validInteger(s: JsonSchema): fc.Arbitrary<number> {
  const { min, max } = bounds(s);
  const lo = Math.ceil(min + (s['exclusiveMinimum'] === undefined ? 0 : 1e-9));
  const hi = Math.floor(max - (s['exclusiveMaximum'] === undefined ? 0 : 1e-9));
  const lower = Math.max(lo, Number.MIN_SAFE_INTEGER);
  const upper = Math.min(hi, Number.MAX_SAFE_INTEGER);
  // Edges are where the bugs are: the bounds themselves, zero and one when allowed.
  const edges = [lower, upper, 0, 1].filter((v) => v >= lower && v <= upper);
  return fc.oneof(fc.constantFrom(...edges), fc.integer({ min: lower, max: upper }));
}

function validDouble(s: JsonSchema): fc.Arbitrary<number> {
  const { min, max } = bounds(s);
  return fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .filter(
      (v) =>
        !Object.is(v, -0) &&
        (s['exclusiveMinimum'] === undefined || v > min) &&
        (s['exclusiveMaximum'] === undefined || v < max),
    );
}

function validObject(s: JsonSchema, resolve: RefResolver): fc.Arbitrary<Record<string, unknown>> {
  const properties = (s['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s['required'] ?? []) as string[]);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of Object.entries(properties)) model[key] = validValue(property, resolve);
  const record = fc.record(model, { requiredKeys: [...required].filter((k) => k in properties) });
  const patterns = Object.entries((s['patternProperties'] ?? {}) as Record<string, JsonSchema>);
  if (patterns.length === 0) return record;
  const dictionaries = patterns.map(([pattern, value]) =>
    fc.dictionary(fc.stringMatching(new RegExp(pattern, 'u')), validValue(value, resolve), { maxKeys: 3 }),
  );
  return fc
    .tuple(record, ...dictionaries)
    .map(([base, ...extra]) => Object.assign({}, ...extra, base) as Record<string, unknown>);
}

/** Returns values of a JSON type other than the given ones (a wrong type for a field). */
export function wrongTypeValue(allowed: readonly string[]): fc.Arbitrary<unknown> {
  const all: [string, fc.Arbitrary<unknown>][] = [
    ['string', fc.string({ maxLength: 8 })],
    ['integer', fc.integer()],
    ['number', fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Number.isInteger(v))],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 })],
    ['object', fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })],
  ];
  // A schema that names no type takes anything: it gets a deeply nested value instead.
  if (allowed.length === 0) return fc.constant(deeplyNested(200));
  // An integer is also a number.
  const taken = new Set(allowed.includes('number') ? [...allowed, 'integer'] : allowed);
  return fc.oneof(...all.filter(([t]) => !taken.has(t)).map(([, a]) => a));
}

/** Returns a JSON value nested `depth` levels deep (arrays and objects alternating). */
export function deeplyNested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

/** Returns an arbitrary of objects the object schema refuses or that carry more than it names. */
export function malformedObject(schema: JsonSchema, resolve: RefResolver): fc.Arbitrary<unknown> {
  const s = resolved(schema, resolve);
  const properties = (s['properties'] ?? {}) as Record<string, JsonSchema>;
  const keys = Object.keys(properties);
  const required = ((s['required'] ?? []) as string[]).filter((k) => keys.includes(k));
  const valid = validValue(s, resolve) as fc.Arbitrary<Record<string, unknown>>;
  const cases: fc.Arbitrary<unknown>[] = [
    // The whole value of another type.
    wrongTypeValue(['object']),
    // A field no schema names.
    fc
      .tuple(valid, fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }))
      .map(([v, k, x]) => ({ ...v, [`${k}_extra`]: x })),
    // Deep nesting where a scalar is expected.
    fc
      .tuple(
        valid,
        fc.constantFrom(...(keys.length > 0 ? keys : ['nested'])),
        fc.integer({ min: 64, max: 1000 }),
      )
      .map(([v, k, depth]) => ({ ...v, [k]: deeplyNested(depth) })),
  ];
  if (keys.length > 0) {
    // One field of a wrong type.
    cases.push(
      fc
        .constantFrom(...keys)
        .chain((k) =>
          fc
            .tuple(valid, wrongTypeValue(typesOf(properties[k] ?? {}, resolve)))
            .map(([v, x]) => ({ ...v, [k]: x })),
        ),
    );
    // One string field far past any length a schema allows.
    cases.push(
      fc
        .tuple(valid, fc.constantFrom(...keys), fc.constantFrom(10_000, 200_000))
        .map(([v, k, n]) => ({ ...v, [k]: 'x'.repeat(n) })),
    );
  }
  if (required.length > 0) {
    // One required field missing.
    cases.push(
      fc
        .tuple(valid, fc.constantFrom(...required))
        .map(([v, k]) => Object.fromEntries(Object.entries(v).filter(([key]) => key !== k))),
    );
  }
  return fc.oneof(...cases);
}
