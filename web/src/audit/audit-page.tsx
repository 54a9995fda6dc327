import { Code, Group, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { ListTable } from '../common/list-table';
import { Pager } from '../common/pager';
import { usePaged } from '../common/use-paged';
import { useFormat, wallTimeToIso } from '../format/church-format';

const ENTITIES = [
  'person',
  'household',
  'tag',
  'group',
  'event',
  'fund',
  'batch',
  'donation',
  'user',
  'church',
];
const ACTIONS = ['create', 'update', 'delete', 'commit', 'reverse', 'import'];

/** The audit log, newest first: filter by kind of record, action, staff user and dates. */
export default function AuditPage() {
  const fmt = useFormat();
  const [entity, setEntity] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [actor, setActor] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filters = {
    entity: entity ?? undefined,
    action: action ?? undefined,
    actor: actor ?? undefined,
    // Dates are whole days in the church's time zone; "to" includes its day.
    from: from ? wallTimeToIso(from, fmt.timezone) : undefined,
    to: to ? wallTimeToIso(nextDay(to), fmt.timezone) : undefined,
  };
  const paged = usePaged(JSON.stringify(filters));
  const users = useQuery({
    queryKey: ['users'],
    queryFn: async () => unwrap(await api.GET('/api/users', { params: { query: { limit: 200 } } })).data,
  });
  const names = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  const log = useQuery({
    queryKey: ['audit', filters, paged.cursor],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/audit-log', {
          params: { query: { ...filters, cursor: paged.cursor, limit: 50 } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack>
      <Title order={1}>Audit log</Title>
      <Group align="end">
        <Select
          label="Record"
          placeholder="Any record"
          data={ENTITIES}
          value={entity}
          onChange={setEntity}
          clearable
          w={150}
        />
        <Select
          label="Action"
          placeholder="Any action"
          data={ACTIONS}
          value={action}
          onChange={setAction}
          clearable
          w={150}
        />
        <Select
          label="Staff user"
          placeholder="Anyone"
          data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={actor}
          onChange={setActor}
          clearable
          searchable
          w={200}
        />
        <TextInput label="From" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput label="To" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
      </Group>
      <ListTable
        aria-label="Audit log"
        striped
        columns={['When', 'Who', 'Action', 'Record', 'Changes']}
        rows={log.data?.data}
        rowKey={(e) => e.id}
        row={(e) => (
          <>
            <Table.Td>{fmt.dateTime(e.at)}</Table.Td>
            <Table.Td>{e.actorId ? (names.get(e.actorId) ?? e.actorId) : 'System'}</Table.Td>
            <Table.Td>{e.action}</Table.Td>
            <Table.Td>{e.entity}</Table.Td>
            <Table.Td>
              <Code>{JSON.stringify(e.changes).slice(0, 120)}</Code>
            </Table.Td>
          </>
        )}
      />
      <Pager
        page={paged.page}
        nextCursor={log.data?.meta.nextCursor}
        onNext={paged.next}
        onPrevious={paged.previous}
      />
    </Stack>
  );
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
