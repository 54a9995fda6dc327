import { Button, Group, Loader, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { personName } from '../common/lookups';
import { useFormat } from '../format/church-format';
import { AttendanceChecklist } from './attendance-checklist';

/** One event: take attendance (its group's members, or anyone by search) and the headcount. */
export default function EventPage() {
  const id = useParams().id!;
  const fmt = useFormat();
  const canTake = useCan('attendance:write');
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 100);
  const [headcount, setHeadcount] = useState<number | string>('');
  const event = useQuery({
    queryKey: ['event', id],
    queryFn: async () => unwrap(await api.GET('/api/events/{id}', { params: { path: { id } } })).data,
  });
  const groupId = event.data?.groupId ?? null;
  const attendance = useQuery({
    queryKey: ['attendance', id],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/events/{id}/attendance', { params: { path: { id }, query: { limit: 200 } } }),
      ).data,
  });
  const members = useQuery({
    queryKey: ['group-members', groupId],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/groups/{id}/members', {
          params: { path: { id: groupId! }, query: { limit: 200 } },
        }),
      ).data,
    enabled: groupId !== null,
  });
  const found = useQuery({
    queryKey: ['people', 'attendance', q],
    queryFn: async () =>
      unwrap(await api.GET('/api/people', { params: { query: { q: q || undefined, limit: 50 } } })).data,
    enabled: event.data !== undefined && groupId === null,
    placeholderData: keepPreviousData,
  });

  if (event.isPending) return <Loader aria-label="Loading" />;
  if (!event.data) return <Text role="alert">This event was not found.</Text>;
  const needle = search.trim().toLowerCase();
  const people = (groupId ? (members.data ?? []).map((m) => ({ ...m, id: m.personId })) : (found.data ?? []))
    .map((p) => ({ id: p.id, name: personName(p) }))
    .filter((p) => !groupId || p.name.toLowerCase().includes(needle));
  const present = new Set((attendance.data ?? []).map((a) => a.personId));

  const toggle = async (personId: string, on: boolean) => {
    if (on)
      unwrap(
        await api.POST('/api/events/{id}/attendance', {
          params: { path: { id } },
          body: { personIds: [personId] },
        }),
      );
    else
      unwrap(
        await api.DELETE('/api/events/{id}/attendance/{personId}', { params: { path: { id, personId } } }),
      );
    await queryClient.invalidateQueries({ queryKey: ['attendance', id] });
  };
  const saveHeadcount = async () => {
    const count = headcount === '' ? null : Number(headcount);
    unwrap(await api.PUT('/api/events/{id}/headcount', { params: { path: { id } }, body: { count } }));
    await queryClient.invalidateQueries({ queryKey: ['event', id] });
  };

  return (
    <Stack>
      <Title order={1}>{event.data.name}</Title>
      <Text>
        {fmt.dateTime(event.data.startsAt)}
        {event.data.location ? ` · ${event.data.location}` : ''} · Headcount:{' '}
        {event.data.headcount ?? 'not recorded'}
      </Text>
      {canTake && (
        <Group align="end">
          <NumberInput label="Headcount" min={0} value={headcount} onChange={setHeadcount} w={140} />
          <Button variant="default" onClick={saveHeadcount}>
            Save headcount
          </Button>
        </Group>
      )}
      <Title order={2} size="h3">
        Attendance
      </Title>
      {canTake ? (
        <AttendanceChecklist
          people={people}
          present={present}
          search={search}
          onSearchChange={setSearch}
          onToggle={toggle}
        />
      ) : (
        <Text>{present.size} checked in</Text>
      )}
    </Stack>
  );
}
