import { Button, Group, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { problemMessage, unwrap } from '../api/problem';
import type { components } from '../api/schema';
import { FailureAlert } from '../common/failure-alert';
import { ListTable } from '../common/list-table';
import { useFormat } from '../format/church-format';
import { ROLE_OPTIONS } from './role-options';

type Role = components['schemas']['Role'];

/** Invitations by email: the invited person picks their own name and password from the link. */
export function InvitesPanel() {
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('staff');
  const [failure, setFailure] = useState<string>();
  const invites = useQuery({
    queryKey: ['invites'],
    queryFn: async () => unwrap(await api.GET('/api/invites', { params: { query: { limit: 200 } } })).data,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['invites'] });

  const send = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    try {
      unwrap(await api.POST('/api/invites', { body: { email: email.trim(), role } }));
      setEmail('');
      await refresh();
    } catch (err) {
      setFailure(problemMessage(err, 'The invitation was not sent.'));
    }
  };

  return (
    <Stack>
      <Title order={2} size="h3">
        Invitations
      </Title>
      <form onSubmit={send} noValidate aria-label="Invite by email">
        <Group align="start">
          <TextInput
            label="Email to invite"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <Select
            label="Role for the invitation"
            data={ROLE_OPTIONS}
            value={role}
            onChange={(v) => v && setRole(v as Role)}
            allowDeselect={false}
            w={170}
          />
          <Button type="submit" mt={25}>
            Send invite
          </Button>
        </Group>
      </form>
      <FailureAlert>{failure}</FailureAlert>
      <ListTable
        aria-label="Invitations"
        striped
        columns={['Email', 'Role', 'Status', 'Expires', 'Actions']}
        rows={invites.data}
        rowKey={(i) => i.id}
        row={(i) => (
          <>
            <Table.Td>{i.email}</Table.Td>
            <Table.Td>{i.role}</Table.Td>
            <Table.Td>{i.status}</Table.Td>
            <Table.Td>{fmt.dateTime(i.expiresAt)}</Table.Td>
            <Table.Td>
              {i.status === 'pending' && (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  aria-label={`Revoke the invitation of ${i.email}`}
                  onClick={async () => {
                    unwrap(await api.DELETE('/api/invites/{id}', { params: { path: { id: i.id } } }));
                    await refresh();
                  }}
                >
                  Revoke
                </Button>
              )}
            </Table.Td>
          </>
        )}
      />
    </Stack>
  );
}
