import { Anchor, Button, Stack, Table, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { ListTable } from '../common/list-table';
import { useTags } from '../common/lookups';
import { SimpleCreate } from '../common/simple-create';

/** Tags: add, delete, and open the people with a tag. */
export default function TagsPage() {
  const canWrite = useCan('people:write');
  const tags = useTags();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['tags'] });
  return (
    <Stack>
      <Title order={1}>Tags</Title>
      {canWrite && (
        <SimpleCreate
          label="Tag name"
          button="Add tag"
          onCreate={async (name) => {
            unwrap(await api.POST('/api/tags', { body: { name } }));
            await refresh();
          }}
        />
      )}
      <ListTable
        aria-label="Tags"
        columns={['Tag', 'Actions']}
        rows={tags.data}
        rowKey={(t) => t.id}
        row={(t) => (
          <>
            <Table.Td>{t.name}</Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/people?tag=${t.id}`} mr="md">
                People
              </Anchor>
              {canWrite && (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  aria-label={`Delete tag ${t.name}`}
                  onClick={async () => {
                    if (!window.confirm(`Delete the tag ${t.name}?`)) return;
                    unwrap(await api.DELETE('/api/tags/{id}', { params: { path: { id: t.id } } }));
                    await refresh();
                  }}
                >
                  Delete
                </Button>
              )}
            </Table.Td>
          </>
        )}
      />
    </Stack>
  );
}
