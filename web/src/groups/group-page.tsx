import { Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { MembersEditor } from '../common/members-editor';

/** One group, its members and their roles (leader, member). */
export default function GroupPage() {
  const id = useParams().id!;
  const canWrite = useCan('groups:write');
  const queryClient = useQueryClient();
  const path = { params: { path: { id } } };
  const group = useQuery({
    queryKey: ['group', id],
    queryFn: async () => unwrap(await api.GET('/api/groups/{id}', path)).data,
  });
  const members = useQuery({
    queryKey: ['group-members', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/groups/{id}/members', { params: { path: { id }, query: { limit: 200 } } }))
        .data,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['group-members', id] });
  if (group.isPending) return <Loader aria-label="Loading" />;
  if (!group.data) return <Text role="alert">This group was not found.</Text>;
  return (
    <Stack>
      <Title order={1}>{group.data.name}</Title>
      {group.data.description && <Text>{group.data.description}</Text>}
      <Title order={2} size="h3">
        Members
      </Title>
      <MembersEditor
        members={members.data ?? []}
        roles={['member', 'leader'] as const}
        canWrite={canWrite}
        onAdd={async (personId, role) => {
          unwrap(
            await api.POST('/api/groups/{id}/members', {
              params: { path: { id } },
              body: { personId, role },
            }),
          );
          await refresh();
        }}
        onRemove={async (personId) => {
          unwrap(
            await api.DELETE('/api/groups/{id}/members/{personId}', { params: { path: { id, personId } } }),
          );
          await refresh();
        }}
      />
    </Stack>
  );
}
