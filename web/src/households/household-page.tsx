import { Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';
import { useCan } from '../auth/permissions';
import { MembersEditor } from '../common/members-editor';

const ROLES: components['schemas']['HouseholdRole'][] = ['head', 'spouse', 'adult', 'child', 'other'];

/** One household and its members. */
export default function HouseholdPage() {
  const id = useParams().id!;
  const canWrite = useCan('people:write');
  const queryClient = useQueryClient();
  const household = useQuery({
    queryKey: ['household', id],
    queryFn: async () => unwrap(await api.GET('/api/households/{id}', { params: { path: { id } } })).data,
  });
  const refresh = () =>
    queryClient.invalidateQueries({
      predicate: (q) => ['household', 'person'].includes(String(q.queryKey[0])),
    });
  if (household.isPending) return <Loader aria-label="Loading" />;
  if (!household.data) return <Text role="alert">This household was not found.</Text>;
  const h = household.data;
  const address = [h.addressLine1, h.addressLine2, h.city, h.region, h.postalCode, h.country]
    .filter(Boolean)
    .join(', ');
  return (
    <Stack>
      <Title order={1}>{h.name}</Title>
      {address && <Text>{address}</Text>}
      <Title order={2} size="h3">
        Members
      </Title>
      <MembersEditor
        members={h.members}
        roles={ROLES}
        canWrite={canWrite}
        onAdd={async (personId, role) => {
          unwrap(
            await api.POST('/api/households/{id}/members', {
              params: { path: { id } },
              body: { personId, role },
            }),
          );
          await refresh();
        }}
        onRemove={async (personId) => {
          unwrap(
            await api.DELETE('/api/households/{id}/members/{personId}', {
              params: { path: { id, personId } },
            }),
          );
          await refresh();
        }}
      />
    </Stack>
  );
}
