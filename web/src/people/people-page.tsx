import { Anchor, Button, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { ListTable } from '../common/list-table';
import { personName, useGroups, useTags } from '../common/lookups';
import { Pager } from '../common/pager';
import { usePaged } from '../common/use-paged';
import { MEMBERSHIP_LABELS, MEMBERSHIP_OPTIONS, type MembershipStatus } from './membership';

/** People: search as you type, filter by status, tag and group, page through, add. */
export default function PeoplePage() {
  const canWrite = useCan('people:write');
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 150);
  const [status, setStatus] = useState<MembershipStatus | null>(null);
  // A tag's "People" link opens this page filtered (`?tag=`).
  const [tag, setTag] = useState<string | null>(useSearchParams()[0].get('tag'));
  const [group, setGroup] = useState<string | null>(null);
  const paged = usePaged(JSON.stringify([q, status, tag, group]));
  const tags = useTags();
  const groups = useGroups();

  const people = useQuery({
    queryKey: ['people', q, status, tag, group, paged.cursor],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/people', {
          params: {
            query: {
              q: q || undefined,
              membershipStatus: status ?? undefined,
              tag: tag ?? undefined,
              group: group ?? undefined,
              cursor: paged.cursor,
              limit: 50,
            },
          },
        }),
      ),
    // Typing keeps the last answer on screen until the next one arrives (no flicker).
    placeholderData: keepPreviousData,
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>People</Title>
        {canWrite && (
          <Button component={Link} to="/people/new">
            Add person
          </Button>
        )}
      </Group>
      <Group align="end">
        <TextInput
          label="Search"
          placeholder="Name or email"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          w={260}
          type="search"
        />
        <Select
          label="Status"
          placeholder="Any status"
          data={MEMBERSHIP_OPTIONS}
          value={status}
          onChange={(v) => setStatus(v as MembershipStatus | null)}
          clearable
        />
        <Select
          label="Tag"
          placeholder="Any tag"
          data={(tags.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
          value={tag}
          onChange={setTag}
          clearable
          searchable
        />
        <Select
          label="Group"
          placeholder="Any group"
          data={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
          value={group}
          onChange={setGroup}
          clearable
          searchable
        />
        {people.isFetching && <Loader size="sm" aria-label="Searching" />}
      </Group>
      <ListTable
        striped
        highlightOnHover
        aria-label="People"
        columns={['Name', 'Email', 'Phone', 'Status']}
        rows={people.data?.data}
        rowKey={(p) => p.id}
        row={(p) => (
          <>
            <Table.Td>
              <Anchor component={Link} to={`/people/${p.id}`}>
                {personName(p)}
              </Anchor>
            </Table.Td>
            <Table.Td>{p.email}</Table.Td>
            <Table.Td>{p.phone}</Table.Td>
            <Table.Td>{MEMBERSHIP_LABELS[p.membershipStatus]}</Table.Td>
          </>
        )}
        empty={<Text>No one matches.</Text>}
      />
      <Pager
        page={paged.page}
        nextCursor={people.data?.meta.nextCursor}
        onNext={paged.next}
        onPrevious={paged.previous}
      />
    </Stack>
  );
}
