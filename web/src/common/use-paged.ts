import { useState } from 'react';

/**
 * Keyset paging for the API's `nextCursor` lists: a stack of the cursors of pages seen, so
 * "Previous page" needs no offset. Changing the filters (`key`) starts again at page one.
 */
export function usePaged(key: string) {
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key,
    cursors: [undefined],
  });
  const cursors = state.key === key ? state.cursors : [undefined];
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    next: (cursor: string) => setState({ key, cursors: [...cursors, cursor] }),
    previous: () => setState({ key, cursors: cursors.slice(0, -1) }),
  };
}
