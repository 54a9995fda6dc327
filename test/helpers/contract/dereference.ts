/**
 * The document with every local `$ref` (`#/components/...`) replaced by what it names, for tests
 * that walk schemas by hand (the isolation suite builds request bodies from them). The document
 * has no recursive schemas.
 */
export function dereference<T>(doc: T): T {
  const resolve = (ref: string): unknown =>
    ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], doc);
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/')) return walk(resolve(ref));
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
  };
  return walk(doc) as T;
}
