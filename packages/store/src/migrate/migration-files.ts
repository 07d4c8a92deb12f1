import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MigrationError } from '../errors.ts';

/** One numbered migration file, read from disk. */
export interface MigrationFile {
  /** The number in the file name (`0001_init.sql` → 1). */
  readonly version: number;
  /** The part after the number (`init`). */
  readonly name: string;
  /** The file name (`0001_init.sql`). */
  readonly fileName: string;
  readonly sql: string;
  /** The sha256 of the file's bytes, hex. */
  readonly checksum: string;
}

/** Returns the path of the package's own migrations folder (`packages/store/migrations`). */
export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL('../../migrations/', import.meta.url));
}

const fileNamePattern = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/**
 * Returns the migration files of `dir` in version order. Every `.sql` file must be named `NNNN_name.sql`
 * (lowercase), versions start at 1 and are unique; anything else stops with an error naming the file.
 */
export async function readMigrationFiles(dir: string = defaultMigrationsDir()): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new MigrationError('MIGRATION_FILES_INVALID', `cannot read migrations directory ${dir}`, null, {
      cause: error,
    });
  }
  const files: MigrationFile[] = [];
  for (const fileName of names.filter((n) => n.endsWith('.sql')).sort()) {
    const match = fileNamePattern.exec(fileName);
    if (match === null) {
      throw new MigrationError(
        'MIGRATION_FILES_INVALID',
        `migration file ${fileName} in ${dir} is not named NNNN_lowercase_name.sql`,
        fileName,
      );
    }
    const version = Number(match[1]);
    if (version < 1) {
      throw new MigrationError(
        'MIGRATION_FILES_INVALID',
        `migration file ${fileName} has version 0`,
        fileName,
      );
    }
    const duplicate = files.find((f) => f.version === version);
    if (duplicate !== undefined) {
      throw new MigrationError(
        'MIGRATION_FILES_INVALID',
        `migration files ${duplicate.fileName} and ${fileName} share version ${version}`,
        fileName,
      );
    }
    const bytes = await readFile(join(dir, fileName));
    files.push({
      version,
      name: match[2] ?? '',
      fileName,
      sql: bytes.toString('utf8'),
      checksum: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  return files;
}
