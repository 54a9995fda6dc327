import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/problem';

// The server's pattern for a church address (registration-rules.ts).
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/;

/** Asks the API whether a church address is free, 300 ms after typing stops. */
export function useSlugAvailability(slug: string) {
  const [settled] = useDebouncedValue(slug, 300);
  const query = useQuery({
    queryKey: ['slug-availability', settled],
    queryFn: async () =>
      unwrap(await api.GET('/api/registrations/slug-availability', { params: { query: { slug: settled } } }))
        .data,
    enabled: SLUG_PATTERN.test(settled),
    staleTime: 10_000,
  });
  return settled === slug ? query.data : undefined;
}
