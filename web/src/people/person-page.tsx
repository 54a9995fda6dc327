import { Anchor, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { ListTable } from '../common/list-table';
import { personName } from '../common/lookups';
import { useFormat } from '../format/church-format';
import { MEMBERSHIP_LABELS } from './membership';
import { PersonGiving } from './person-giving';
import { PersonTags } from './person-tags';

/** One person: details, household, tags, groups, attendance and (finance/admin) giving. */
export default function PersonPage() {
  const id = useParams().id!;
  const fmt = useFormat();
  const canWrite = useCan('people:write');
  const canGiving = useCan('giving:read');
  const path = { params: { path: { id } } };
  const person = useQuery({
    queryKey: ['person', id],
    queryFn: async () => unwrap(await api.GET('/api/people/{id}', path)).data,
  });
  const householdId = person.data?.householdId;
  const household = useQuery({
    queryKey: ['household', householdId],
    queryFn: async () =>
      unwrap(await api.GET('/api/households/{id}', { params: { path: { id: householdId! } } })).data,
    enabled: !!householdId,
  });
  const groups = useQuery({
    queryKey: ['person-groups', id],
    queryFn: async () => unwrap(await api.GET('/api/people/{id}/groups', path)).data,
  });
  const attendance = useQuery({
    queryKey: ['person-attendance', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/people/{id}/attendance', { params: { path: { id }, query: { limit: 20 } } }))
        .data,
  });

  if (person.isPending) return <Loader aria-label="Loading" />;
  if (!person.data) return <Text role="alert">This person was not found.</Text>;
  const p = person.data;
  const details: [string, string | null][] = [
    ['Status', MEMBERSHIP_LABELS[p.membershipStatus]],
    ['Email', p.email],
    ['Phone', p.phone],
    ['Birth date', p.birthDate && fmt.date(p.birthDate)],
    ['Notes', p.notes],
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{personName(p)}</Title>
        {canWrite && (
          <Button component={Link} to={`/people/${id}/edit`} variant="default">
            Edit
          </Button>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            Details
          </Title>
          <dl>
            {details.map(([k, v]) => (
              <Group key={k} gap="xs" wrap="nowrap">
                <Text component="dt" fw={600} w={100}>
                  {k}
                </Text>
                <Text component="dd" m={0}>
                  {v || '—'}
                </Text>
              </Group>
            ))}
          </dl>
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            Household
          </Title>
          {!householdId && <Text c="dimmed">Not in a household</Text>}
          {household.data && (
            <Stack gap={4}>
              <Anchor component={Link} to={`/households/${household.data.id}`}>
                {household.data.name}
              </Anchor>
              {household.data.members.map((m) => (
                <Text key={m.personId} size="sm">
                  {m.personId === id ? (
                    personName(m)
                  ) : (
                    <Anchor component={Link} to={`/people/${m.personId}`}>
                      {personName(m)}
                    </Anchor>
                  )}{' '}
                  ({m.role})
                </Text>
              ))}
            </Stack>
          )}
          <Title order={2} size="h4" mt="md" mb="xs">
            Tags
          </Title>
          <PersonTags personId={id} />
          <Title order={2} size="h4" mt="md" mb="xs">
            Groups
          </Title>
          {groups.data?.length === 0 && <Text c="dimmed">In no groups</Text>}
          {(groups.data ?? []).map((g) => (
            <Text key={g.groupId} size="sm">
              <Anchor component={Link} to={`/groups/${g.groupId}`}>
                {g.name}
              </Anchor>{' '}
              ({g.role})
            </Text>
          ))}
        </Card>
      </SimpleGrid>
      <Title order={2} size="h3">
        Attendance
      </Title>
      {attendance.data?.length === 0 && <Text c="dimmed">No attendance recorded</Text>}
      {!!attendance.data?.length && (
        <ListTable
          aria-label="Attendance"
          columns={['Event', 'When']}
          rows={attendance.data}
          rowKey={(a) => a.eventId}
          row={(a) => (
            <>
              <Table.Td>
                <Anchor component={Link} to={`/events/${a.eventId}`}>
                  {a.eventName}
                </Anchor>
              </Table.Td>
              <Table.Td>{fmt.dateTime(a.startsAt)}</Table.Td>
            </>
          )}
        />
      )}
      {canGiving && <PersonGiving personId={id} />}
    </Stack>
  );
}
