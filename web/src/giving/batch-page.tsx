import { Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { ListTable } from '../common/list-table';
import { personName, useFunds } from '../common/lookups';
import { searchPeople } from '../common/person-picker';
import { useFormat } from '../format/church-format';
import { BatchEntry, type EnteredGift } from './batch-entry';
import { METHOD_LABELS } from './methods';

/** One batch: fast entry while open, then commit; a committed batch's gifts can be reversed. */
export default function BatchPage() {
  const id = useParams().id!;
  const fmt = useFormat();
  const canWrite = useCan('giving:write');
  const queryClient = useQueryClient();
  const funds = useFunds();
  const batch = useQuery({
    queryKey: ['batch', id],
    queryFn: async () => unwrap(await api.GET('/api/batches/{id}', { params: { path: { id } } })).data,
  });
  const donations = useQuery({
    queryKey: ['donations', { batchId: id }],
    queryFn: async () =>
      unwrap(await api.GET('/api/donations', { params: { query: { batchId: id, limit: 200 } } })).data,
  });
  const personIds = [...new Set((donations.data ?? []).flatMap((d) => (d.personId ? [d.personId] : [])))];
  const people = useQueries({
    queries: personIds.map((pid) => ({
      queryKey: ['person', pid],
      queryFn: async () => unwrap(await api.GET('/api/people/{id}', { params: { path: { id: pid } } })).data,
      staleTime: 5 * 60_000,
    })),
  });
  const names = new Map(people.flatMap((p) => (p.data ? [[p.data.id, personName(p.data)] as const] : [])));
  const fundNames = new Map((funds.data ?? []).map((f) => [f.id, f.name]));
  const refresh = () =>
    queryClient.invalidateQueries({
      predicate: (q) => ['donations', 'batch', 'batches'].includes(String(q.queryKey[0])),
    });

  if (batch.isPending || funds.isPending) return <Loader aria-label="Loading" />;
  if (!batch.data) return <Text role="alert">This batch was not found.</Text>;
  const b = batch.data;
  const gifts: EnteredGift[] = (donations.data ?? []).map((d) => ({
    id: d.id,
    person: d.personId ? (names.get(d.personId) ?? '…') : 'Anonymous',
    amountCents: d.amountCents,
    fund: d.splits.map((s) => fundNames.get(s.fundId) ?? '').join(', '),
    method: d.method,
    checkNumber: d.checkNumber,
  }));

  return (
    <Stack>
      <Group>
        <Title order={1}>{b.name}</Title>
        <Badge color={b.status === 'open' ? 'blue.9' : 'teal.9'} variant="filled">
          {b.status === 'open' ? 'Open' : 'Committed'}
        </Badge>
      </Group>
      <Text>
        {fmt.date(b.date)} · {b.donationCount} gifts · {fmt.money(b.totalCents)}
      </Text>
      {b.status === 'open' && canWrite ? (
        <BatchEntry
          funds={funds.data ?? []}
          gifts={gifts}
          money={fmt.money}
          parseMoney={fmt.parseMoney}
          searchPeople={searchPeople}
          onAdd={async (g) => {
            unwrap(
              await api.POST('/api/donations', {
                body: { ...g, batchId: id, receivedOn: b.date },
              }),
            );
            await refresh();
          }}
          onRemove={async (donationId) => {
            unwrap(await api.DELETE('/api/donations/{id}', { params: { path: { id: donationId } } }));
            await refresh();
          }}
          onCommit={async () => {
            unwrap(await api.POST('/api/batches/{id}/commit', { params: { path: { id } } }));
            await refresh();
          }}
        />
      ) : (
        <ListTable
          aria-label="Gifts in this batch"
          striped
          columns={['Person', { label: 'Amount', right: true }, 'Fund', 'Method', canWrite && 'Actions']}
          rows={donations.data}
          rowKey={(d) => d.id}
          row={(d, i) => (
            <>
              <Table.Td>{gifts[i]!.person}</Table.Td>
              <Table.Td ta="right">{fmt.money(d.amountCents)}</Table.Td>
              <Table.Td>{gifts[i]!.fund}</Table.Td>
              <Table.Td>{METHOD_LABELS[d.method]}</Table.Td>
              {canWrite && (
                <Table.Td>
                  {d.reversedById ? (
                    <Text size="sm">Reversed</Text>
                  ) : d.reversesId ? (
                    <Text size="sm">Reversal</Text>
                  ) : (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Reverse gift of ${fmt.money(d.amountCents)} from ${gifts[i]!.person}`}
                      onClick={async () => {
                        if (!window.confirm(`Reverse this gift of ${fmt.money(d.amountCents)}?`)) return;
                        unwrap(
                          await api.POST('/api/donations/{id}/reverse', {
                            params: { path: { id: d.id } },
                            body: {},
                          }),
                        );
                        await refresh();
                      }}
                    >
                      Reverse gift
                    </Button>
                  )}
                </Table.Td>
              )}
            </>
          )}
        />
      )}
    </Stack>
  );
}
