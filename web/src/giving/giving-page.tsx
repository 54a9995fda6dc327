import { Anchor, Badge, Button, Group, SimpleGrid, Stack, Table, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import { problemMessage, unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { ListTable } from '../common/list-table';
import { useFunds } from '../common/lookups';
import { SimpleCreate } from '../common/simple-create';
import { todayIn, useFormat } from '../format/church-format';

/** Giving: batches (open ones first to finish) and funds; New batch starts entry. */
export default function GivingPage() {
  const canWrite = useCan('giving:write');
  const fmt = useFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const funds = useFunds();
  const batches = useQuery({
    queryKey: ['batches'],
    queryFn: async () => unwrap(await api.GET('/api/batches', { params: { query: { limit: 50 } } })).data,
  });
  const [batchName, setBatchName] = useState(() => `Sunday ${todayIn(fmt.timezone)}`);
  const [batchError, setBatchError] = useState<string>();

  const newBatch = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const body = { name: batchName.trim() || 'Batch', date: todayIn(fmt.timezone) };
      const b = unwrap(await api.POST('/api/batches', { body })).data;
      await queryClient.invalidateQueries({ queryKey: ['batches'] });
      navigate(`/giving/batches/${b.id}`);
    } catch (err) {
      setBatchError(problemMessage(err, 'Not saved. Try again.'));
    }
  };

  return (
    <Stack>
      <Title order={1}>Giving</Title>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Stack>
          <Title order={2} size="h3">
            Batches
          </Title>
          {canWrite && (
            <form onSubmit={newBatch} noValidate>
              <Group align="start">
                <TextInput
                  label="Batch name"
                  value={batchName}
                  onChange={(e) => setBatchName(e.currentTarget.value)}
                  error={batchError}
                  w={240}
                />
                <Button type="submit" mt={25}>
                  New batch
                </Button>
              </Group>
            </form>
          )}
          <ListTable
            aria-label="Batches"
            striped
            columns={['Batch', 'Date', 'Status', { label: 'Total', right: true }]}
            rows={batches.data}
            rowKey={(b) => b.id}
            row={(b) => (
              <>
                <Table.Td>
                  <Anchor component={Link} to={`/giving/batches/${b.id}`}>
                    {b.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{fmt.date(b.date)}</Table.Td>
                <Table.Td>
                  <Badge color={b.status === 'open' ? 'blue.9' : 'teal.9'} variant="filled">
                    {b.status === 'open' ? 'Open' : 'Committed'}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">{fmt.money(b.totalCents)}</Table.Td>
              </>
            )}
          />
        </Stack>
        <Stack>
          <Title order={2} size="h3">
            Funds
          </Title>
          {canWrite && (
            <SimpleCreate
              label="Fund name"
              button="Add fund"
              onCreate={async (name) => {
                unwrap(await api.POST('/api/funds', { body: { name } }));
                await queryClient.invalidateQueries({ queryKey: ['funds'] });
              }}
            />
          )}
          <ListTable
            aria-label="Funds"
            columns={['Fund', 'Tax deductible']}
            rows={funds.data}
            rowKey={(f) => f.id}
            row={(f) => (
              <>
                <Table.Td>{f.name}</Table.Td>
                <Table.Td>{f.taxDeductible ? 'Yes' : 'No'}</Table.Td>
              </>
            )}
          />
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
