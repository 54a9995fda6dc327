/**
 * Renders items with up to `window` renders in flight and yields them in input order: the
 * worker threads stay busy, while memory holds at most `window` finished documents.
 */
export async function* renderInOrder<T, R>(
  items: AsyncIterable<T>,
  render: (item: T) => Promise<R>,
  window: number,
): AsyncGenerator<[T, R]> {
  const inFlight: Array<{ item: T; result: Promise<R> }> = [];
  try {
    for await (const item of items) {
      const result = render(item);
      // Awaited below in order; this keeps an early failure from being reported as unhandled.
      result.catch(() => {});
      inFlight.push({ item, result });
      if (inFlight.length >= window) {
        const head = inFlight.shift()!;
        yield [head.item, await head.result];
      }
    }
    while (inFlight.length) {
      const head = inFlight.shift()!;
      yield [head.item, await head.result];
    }
  } finally {
    inFlight.length = 0;
  }
}
