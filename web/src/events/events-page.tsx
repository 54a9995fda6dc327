import { Anchor, Button, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import { problemMessage, unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { ListTable } from '../common/list-table';
import { todayIn, useFormat, wallTimeToIso } from '../format/church-format';

/** Events: the latest ones and a form to add one (its time in the church's time zone). */
export default function EventsPage() {
  const canWrite = useCan('events:write');
  const fmt = useFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [startsAt, setStartsAt] = useState(() => `${todayIn(fmt.timezone)}T10:00`);
  const [error, setError] = useState<string>();
  const events = useQuery({
    queryKey: ['events'],
    queryFn: async () => unwrap(await api.GET('/api/events', { params: { query: { limit: 100 } } })).data,
  });

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('Enter the event name');
    try {
      const body = { name: name.trim(), startsAt: wallTimeToIso(startsAt, fmt.timezone) };
      const ev = unwrap(await api.POST('/api/events', { body })).data;
      await queryClient.invalidateQueries({ queryKey: ['events'] });
      navigate(`/events/${ev.id}`);
    } catch (err) {
      setError(problemMessage(err, 'Not saved. Try again.'));
    }
  };

  return (
    <Stack>
      <Title order={1}>Events</Title>
      {canWrite && (
        <form onSubmit={create} noValidate>
          <Group align="start">
            <TextInput
              label="Event name"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={error}
              w={260}
            />
            <TextInput
              label={`Starts (${fmt.timezone})`}
              type="datetime-local"
              value={startsAt}
              onChange={(e) => setStartsAt(e.currentTarget.value)}
            />
            <Button type="submit" mt={25}>
              Add event
            </Button>
          </Group>
        </form>
      )}
      <ListTable
        aria-label="Events"
        striped
        columns={['Event', 'Starts', 'Headcount']}
        rows={events.data}
        rowKey={(ev) => ev.id}
        row={(ev) => (
          <>
            <Table.Td>
              <Anchor component={Link} to={`/events/${ev.id}`}>
                {ev.name}
              </Anchor>
            </Table.Td>
            <Table.Td>{fmt.dateTime(ev.startsAt)}</Table.Td>
            <Table.Td>{ev.headcount ?? '—'}</Table.Td>
          </>
        )}
      />
    </Stack>
  );
}
