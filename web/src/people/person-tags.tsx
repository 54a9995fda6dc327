import { Badge, CloseButton, Group, Select, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { useTags } from '../common/lookups';

/** A person's tags: shown as badges; writers add one from a list and remove with ×. */
export function PersonTags({ personId }: { personId: string }) {
  const canWrite = useCan('people:write');
  const queryClient = useQueryClient();
  const all = useTags();
  const key = ['person-tags', personId];
  const tags = useQuery({
    queryKey: key,
    queryFn: async () =>
      unwrap(await api.GET('/api/people/{id}/tags', { params: { path: { id: personId } } })).data,
  });
  const change = useMutation({
    mutationFn: async ({ tagId, on }: { tagId: string; on: boolean }) => {
      const params = { params: { path: { id: personId, tagId } } };
      unwrap(
        await (on
          ? api.PUT('/api/people/{id}/tags/{tagId}', params)
          : api.DELETE('/api/people/{id}/tags/{tagId}', params)),
      );
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const mine = new Set((tags.data ?? []).map((t) => t.id));

  return (
    <Group gap="xs">
      {(tags.data ?? []).map((t) => (
        <Badge
          key={t.id}
          variant="light"
          rightSection={
            canWrite && (
              <CloseButton
                size="xs"
                aria-label={`Remove tag ${t.name}`}
                onClick={() => change.mutate({ tagId: t.id, on: false })}
              />
            )
          }
        >
          {t.name}
        </Badge>
      ))}
      {tags.data?.length === 0 && <Text c="dimmed">No tags</Text>}
      {canWrite && (
        <Select
          aria-label="Add tag"
          placeholder="Add tag"
          data={(all.data ?? []).filter((t) => !mine.has(t.id)).map((t) => ({ value: t.id, label: t.name }))}
          value={null}
          onChange={(v) => v && change.mutate({ tagId: v, on: true })}
          searchable
          w={180}
        />
      )}
    </Group>
  );
}
