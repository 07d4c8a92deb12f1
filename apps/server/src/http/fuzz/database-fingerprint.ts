// The state of a database as one string per table (row count and an order-independent sum of row hashes), read in
// one query: the schema fuzzing compares it around a refused write. It sees inserts, deletes and updates.
import type { SqlDriver } from '@kitepilot/store';

/** Returns a function that reads the fingerprint of every table of the public schema (partitions in their parent). */
export async function databaseFingerprint(
  driver: SqlDriver,
): Promise<() => Promise<Readonly<Record<string, string>>>> {
  const tables = await driver.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
  );
  if (tables.rows.length === 0)
    throw new Error('the database has no tables in its public schema to fingerprint');
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const columns = tables.rows
    .map(
      (t, i) =>
        `(SELECT count(*)::text || ':' || coalesce(sum(hashtext(x::text)::bigint), 0)::text ` +
        `FROM ${quote(t.name)} x) AS t${i}`,
    )
    .join(', ');
  const sql = `SELECT ${columns}`;
  return async () => {
    const row = (await driver.query<Record<string, string>>(sql)).rows[0];
    if (row === undefined) throw new Error('the fingerprint query returned no row');
    return Object.fromEntries(tables.rows.map((t, i) => [t.name, row[`t${i}`] ?? '']));
  };
}
