import { Anchor, Button, Group, Select, Table } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { ListTable } from './list-table';
import { personName } from './lookups';
import { PersonPicker } from './person-picker';

interface Member {
  personId: string;
  role: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
}

/** Members of a household or group: listed with their role; writers add (person + role) and remove. */
export function MembersEditor<R extends string>(props: {
  members: readonly Member[];
  roles: readonly R[];
  canWrite: boolean;
  onAdd: (personId: string, role: R) => Promise<void>;
  onRemove: (personId: string) => Promise<void>;
}) {
  const [personId, setPersonId] = useState<string | null>(null);
  const [role, setRole] = useState<R>(props.roles[0]!);
  return (
    <>
      {props.canWrite && (
        <Group align="end">
          <PersonPicker label="Person to add" value={personId} onChange={setPersonId} w={320} />
          <Select
            label="Role"
            data={[...props.roles]}
            value={role}
            onChange={(v) => v && setRole(v as R)}
            allowDeselect={false}
            w={140}
          />
          <Button
            disabled={!personId}
            onClick={async () => {
              await props.onAdd(personId!, role);
              setPersonId(null);
            }}
          >
            Add member
          </Button>
        </Group>
      )}
      <ListTable
        aria-label="Members"
        columns={['Name', 'Role', props.canWrite && 'Actions']}
        rows={props.members}
        rowKey={(m) => m.personId}
        row={(m) => (
          <>
            <Table.Td>
              <Anchor component={Link} to={`/people/${m.personId}`}>
                {personName(m)}
              </Anchor>
            </Table.Td>
            <Table.Td>{m.role}</Table.Td>
            {props.canWrite && (
              <Table.Td>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  onClick={() => props.onRemove(m.personId)}
                  aria-label={`Remove ${personName(m)}`}
                >
                  Remove
                </Button>
              </Table.Td>
            )}
          </>
        )}
      />
    </>
  );
}
