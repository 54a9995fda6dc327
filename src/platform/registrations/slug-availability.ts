import type { CatalogDb } from '../catalog-db.js';
import { RESERVED_SLUGS } from './registration-rules.js';

/** Why a well-formed church address cannot be had, or null when it is free. */
export type SlugUnavailable = 'taken' | 'reserved';

/**
 * Whether signup would accept this church address now. A free answer is no reservation: two
 * people may race for it, and the registration's unique slug decides (409 to the loser).
 */
export async function slugAvailability(catalog: CatalogDb, slug: string): Promise<SlugUnavailable | null> {
  if (RESERVED_SLUGS.has(slug)) return 'reserved';
  // Every church ever registered keeps its slug (even once deleted), so this is the whole check.
  const row = await catalog.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirst();
  return row ? 'taken' : null;
}
