import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/problem';

// Short lists the screens pick from (a church has tens of tags, groups and funds, not thousands).

export function useTags() {
  return useQuery({
    queryKey: ['tags'],
    queryFn: async () => unwrap(await api.GET('/api/tags', { params: { query: { limit: 200 } } })).data,
  });
}

export function useGroups() {
  return useQuery({
    queryKey: ['groups'],
    queryFn: async () => unwrap(await api.GET('/api/groups', { params: { query: { limit: 200 } } })).data,
  });
}

export function useFunds(enabled = true) {
  return useQuery({
    queryKey: ['funds'],
    queryFn: async () => unwrap(await api.GET('/api/funds', { params: { query: { limit: 200 } } })).data,
    enabled,
  });
}

/** A person's display name: preferred first name when there is one. */
export const personName = (p: { firstName: string; lastName: string; preferredName?: string | null }) =>
  `${p.preferredName || p.firstName} ${p.lastName}`;
