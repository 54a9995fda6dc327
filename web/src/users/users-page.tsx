import { zodResolver } from '@hookform/resolvers/zod';
import { Badge, Button, Group, PasswordInput, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { ROLES } from '../../../src/auth/roles';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { useSession } from '../api/session-store';
import { FailureAlert } from '../common/failure-alert';
import { ListTable } from '../common/list-table';
import { applyProblem } from '../forms/apply-problem';
import { InvitesPanel } from './invites-panel';
import { ROLE_OPTIONS } from './role-options';

const schema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(120),
  email: z.email('Enter an email address'),
  role: z.enum(ROLES),
  password: z.string().min(10, 'Use at least 10 characters'),
});
type NewUser = z.infer<typeof schema>;

/** Staff users: who can sign in and with which role; add, change role, disable, enable. */
export default function UsersPage() {
  const me = useSession()!.user;
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string>();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: async () => unwrap(await api.GET('/api/users', { params: { query: { limit: 200 } } })).data,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });
  const form = useForm<NewUser>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', email: '', role: 'staff', password: '' },
  });
  const { errors, isSubmitting } = form.formState;
  const add = form.handleSubmit(async (v) => {
    setFailure(undefined);
    try {
      unwrap(await api.POST('/api/users', { body: v }));
      form.reset();
      await refresh();
    } catch (err) {
      setFailure(applyProblem(err, form.setError, ['name', 'email', 'role', 'password']));
    }
  });

  return (
    <Stack>
      <Title order={1}>Staff users</Title>
      <form onSubmit={add} noValidate aria-label="Add staff user">
        <Group align="start">
          <TextInput label="Name" error={errors.name?.message} {...form.register('name')} />
          <TextInput label="Email" type="email" error={errors.email?.message} {...form.register('email')} />
          <Controller
            control={form.control}
            name="role"
            render={({ field }) => (
              <Select
                label="Role"
                data={ROLE_OPTIONS}
                value={field.value}
                onChange={(v) => v && field.onChange(v)}
                allowDeselect={false}
                w={130}
              />
            )}
          />
          <PasswordInput
            label="Password"
            autoComplete="new-password"
            error={errors.password?.message}
            {...form.register('password')}
            w={200}
          />
          <Button type="submit" mt={25} loading={isSubmitting}>
            Add user
          </Button>
        </Group>
      </form>
      <FailureAlert>{failure}</FailureAlert>
      <ListTable
        aria-label="Staff users"
        striped
        columns={['Name', 'Email', 'Role', 'Actions']}
        rows={users.data}
        rowKey={(u) => u.id}
        row={(u) => (
          <>
            <Table.Td>
              {u.name} {u.disabled && <Badge color="gray.8">Disabled</Badge>}
            </Table.Td>
            <Table.Td>{u.email}</Table.Td>
            <Table.Td>
              <Select
                aria-label={`Role of ${u.name}`}
                data={ROLE_OPTIONS}
                value={u.role}
                disabled={u.id === me.id}
                allowDeselect={false}
                onChange={async (role) => {
                  if (!role) return;
                  unwrap(
                    await api.PATCH('/api/users/{id}', {
                      params: { path: { id: u.id } },
                      body: { role: role as NewUser['role'] },
                    }),
                  );
                  await refresh();
                }}
                w={130}
              />
            </Table.Td>
            <Table.Td>
              {u.id !== me.id && (
                <Button
                  size="xs"
                  variant="subtle"
                  color={u.disabled ? undefined : 'red'}
                  onClick={async () => {
                    const params = { params: { path: { id: u.id } } };
                    unwrap(
                      await (u.disabled
                        ? api.POST('/api/users/{id}/enable', params)
                        : api.POST('/api/users/{id}/disable', params)),
                    );
                    await refresh();
                  }}
                >
                  {u.disabled ? 'Enable' : 'Disable'}
                </Button>
              )}
            </Table.Td>
          </>
        )}
      />
      <InvitesPanel />
    </Stack>
  );
}
