import { Badge, Checkbox, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';
import { ListTable } from '../common/list-table';

export interface ChecklistPerson {
  id: string;
  name: string;
}

/**
 * Taking attendance from the keyboard: type part of a name, Enter marks the first match not yet
 * present and clears the search for the next name; Tab and Space work through the list.
 */
export function AttendanceChecklist(props: {
  people: readonly ChecklistPerson[];
  present: ReadonlySet<string>;
  search: string;
  onSearchChange: (text: string) => void;
  onToggle: (personId: string, present: boolean) => Promise<void>;
}) {
  const searchBox = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const toggle = async (id: string, present: boolean) => {
    setBusy((b) => new Set(b).add(id));
    try {
      await props.onToggle(id, present);
    } finally {
      setBusy((b) => {
        const next = new Set(b);
        next.delete(id);
        return next;
      });
    }
  };
  const onKeyDown = async (e: React.KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const first = props.people.find((p) => !props.present.has(p.id));
    if (!first || !props.search.trim()) return;
    props.onSearchChange('');
    await toggle(first.id, true);
    searchBox.current?.focus();
  };

  return (
    <Stack>
      <Group align="end">
        <TextInput
          ref={searchBox}
          label="Find a name"
          description="Enter marks the first match present"
          type="search"
          value={props.search}
          onChange={(e) => props.onSearchChange(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          w={300}
        />
        <Badge size="lg" variant="light" role="status" aria-live="polite">
          {props.present.size} checked in
        </Badge>
      </Group>
      <ListTable
        aria-label="Attendance check-list"
        columns={['Present']}
        rows={props.people}
        rowKey={(p) => p.id}
        row={(p) => (
          <Table.Td>
            <Checkbox
              label={p.name}
              checked={props.present.has(p.id)}
              disabled={busy.has(p.id)}
              onChange={(e) => toggle(p.id, e.currentTarget.checked)}
            />
          </Table.Td>
        )}
        empty={<Text c="dimmed">No one matches.</Text>}
      />
    </Stack>
  );
}
