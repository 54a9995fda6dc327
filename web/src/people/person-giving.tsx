import { Button, Group, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { ListTable } from '../common/list-table';
import { useFormat } from '../format/church-format';

/** A person's latest gifts and the way to their giving statement (finance and admin). */
export function PersonGiving({ personId }: { personId: string }) {
  const fmt = useFormat();
  const gifts = useQuery({
    queryKey: ['donations', { personId }],
    queryFn: async () =>
      unwrap(await api.GET('/api/donations', { params: { query: { personId, limit: 20 } } })).data,
  });
  return (
    <>
      <Group justify="space-between">
        <Title order={2} size="h3">
          Giving
        </Title>
        <Button component={Link} to={`/people/${personId}/statement`} variant="default">
          Giving statement
        </Button>
      </Group>
      {gifts.data?.length === 0 && <Text c="dimmed">No gifts recorded</Text>}
      {!!gifts.data?.length && (
        <ListTable
          aria-label="Gifts"
          columns={['Received', 'Method', { label: 'Amount', right: true }]}
          rows={gifts.data}
          rowKey={(g) => g.id}
          row={(g) => (
            <>
              <Table.Td>{fmt.date(g.receivedOn)}</Table.Td>
              <Table.Td>{g.method}</Table.Td>
              <Table.Td ta="right">{fmt.money(g.amountCents)}</Table.Td>
            </>
          )}
        />
      )}
    </>
  );
}
