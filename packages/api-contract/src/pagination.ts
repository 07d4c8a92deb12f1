import { Type, type TSchema } from '@sinclair/typebox';

// One page shape for every list that pages: `?limit=` (default 100, at most 1000) and `?cursor=` (opaque, from the
// previous page's `nextCursor`), answered with `{ items, nextCursor }`; `nextCursor` is null on the last page.

/** The default number of items of a page. */
export const DEFAULT_PAGE_LIMIT = 100;

/** The most items one page may hold. */
export const MAX_PAGE_LIMIT = 1000;

/** The `limit` query parameter of a paged list. */
export const PageLimitParam = Type.Integer({
  minimum: 1,
  maximum: MAX_PAGE_LIMIT,
  description: `the most items returned (default ${DEFAULT_PAGE_LIMIT}, at most ${MAX_PAGE_LIMIT})`,
});

/** The `cursor` query parameter of a paged list. */
export const PageCursorParam = Type.String({
  minLength: 1,
  maxLength: 512,
  description: "the previous page's nextCursor (opaque)",
});

/** Returns the schema of a page of `item`: `{ items, nextCursor }`. */
export function PageSchema<T extends TSchema>(item: T) {
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], {
        description: 'pass as ?cursor= for the next page; null on the last page',
      }),
    },
    { additionalProperties: false },
  );
}

/** A page of items. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}
