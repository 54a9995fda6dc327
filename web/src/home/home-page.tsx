import { Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { ListTable } from '../common/list-table';
import { useFormat } from '../format/church-format';

/** Home: the church's counts and, for admins, the latest entries of the audit log. */
export default function HomePage() {
  const fmt = useFormat();
  const canAudit = useCan('audit:read');
  const counts = useQuery({
    queryKey: ['church-summary'],
    queryFn: async () => unwrap(await api.GET('/api/church/summary')).data,
  });
  const recent = useQuery({
    queryKey: ['audit', 'recent'],
    queryFn: async () => unwrap(await api.GET('/api/audit-log', { params: { query: { limit: 10 } } })).data,
    enabled: canAudit,
  });
  const c = counts.data;
  const tiles: [string, string | undefined][] = [
    ['People', c?.people.toString()],
    ['Households', c?.households.toString()],
    ['Groups', c?.groups.toString()],
    ["This week's attendance", c?.attendanceThisWeek.toString()],
  ];
  if (c && c.givingThisYearCents !== null)
    tiles.push(["This year's giving", fmt.money(c.givingThisYearCents)]);

  return (
    <Stack>
      <Title order={1}>Home</Title>
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        {tiles.map(([label, value]) => (
          <Card key={label} withBorder>
            <Text size="sm" c="dimmed">
              {label}
            </Text>
            <Text fz="xl" fw={700}>
              {value ?? '…'}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      {canAudit && (
        <>
          <Title order={2} size="h3">
            Recent activity
          </Title>
          <ListTable
            striped
            columns={['When', 'What', 'Record']}
            rows={recent.data}
            rowKey={(e) => e.id}
            row={(e) => (
              <>
                <Table.Td>{fmt.dateTime(e.at)}</Table.Td>
                <Table.Td>{e.action}</Table.Td>
                <Table.Td>{e.entity}</Table.Td>
              </>
            )}
          />
        </>
      )}
    </Stack>
  );
}
