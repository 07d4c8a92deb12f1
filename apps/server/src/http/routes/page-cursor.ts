// The opaque `?cursor=` of the paged lists: the sort key of the last item of a page, as base64url JSON. A client
// passes it back unchanged; anything else is refused with a message instead of being guessed at.
import { DEFAULT_PAGE_LIMIT, type Page } from '@kitepilot/api-contract';

/** A cursor the server did not issue (or issued for another list). */
export class PageCursorError extends Error {
  override name = 'PageCursorError';
}

/** Returns the cursor of a page's last sort key. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Returns the sort key in `cursor` when it has the given shape (one JS type name per element), or null when there is
 * no cursor; throws PageCursorError otherwise.
 */
export function decodeCursor(
  cursor: string | undefined,
  shape: readonly ('string' | 'number')[],
): (string | number)[] | null {
  if (cursor === undefined) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new PageCursorError(`cursor ${JSON.stringify(cursor)} is not a cursor this list issued`, {
      cause: error,
    });
  }
  if (
    !Array.isArray(key) ||
    key.length !== shape.length ||
    key.some(
      (part, i) => typeof part !== shape[i] || (typeof part === 'number' && !Number.isSafeInteger(part)),
    )
  ) {
    throw new PageCursorError(`cursor ${JSON.stringify(cursor)} is not a cursor this list issued`);
  }
  return key as (string | number)[];
}

/** Returns the page size asked for, or the default. */
export function pageLimit(limit: number | undefined): number {
  return limit ?? DEFAULT_PAGE_LIMIT;
}

/**
 * Returns the page of `rows` (fetched with limit + 1 so that a further page shows): at most `limit` items mapped by
 * `toItem`, and the cursor of the last one when more rows follow.
 */
export function pageOf<R, T>(
  rows: readonly R[],
  limit: number,
  toItem: (row: R) => T,
  keyOf: (row: R) => readonly (string | number)[],
): Page<T> {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
