import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Loader, Select, SimpleGrid, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useNavigate, useParams } from 'react-router';
import { z } from 'zod';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { FailureAlert } from '../common/failure-alert';
import { applyProblem } from '../forms/apply-problem';
import { MEMBERSHIP_OPTIONS } from './membership';

const optional = z.string().trim().max(200);
const schema = z.object({
  firstName: z.string().trim().min(1, 'Enter a first name').max(100),
  lastName: z.string().trim().min(1, 'Enter a last name').max(100),
  preferredName: optional,
  email: z.union([z.literal(''), z.email('Enter an email address')]),
  phone: optional,
  birthDate: z.union([z.literal(''), z.iso.date('Use a date like 1980-04-30')]),
  membershipStatus: z.enum(['visitor', 'regular', 'member', 'inactive']),
  notes: z.string().max(5000),
});
type PersonForm = z.infer<typeof schema>;
const FIELDS = [
  'firstName',
  'lastName',
  'preferredName',
  'email',
  'phone',
  'birthDate',
  'membershipStatus',
  'notes',
] as const;
const EMPTY: PersonForm = {
  firstName: '',
  lastName: '',
  preferredName: '',
  email: '',
  phone: '',
  birthDate: '',
  membershipStatus: 'visitor',
  notes: '',
};
// Blank optional fields are sent as null (cleared), never as "".
const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** Add a person (`/people/new`) or edit one (`/people/:id/edit`). */
export default function PersonEditPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string>();
  const form = useForm<PersonForm>({ resolver: zodResolver(schema), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;
  const existing = useQuery({
    queryKey: ['person', id],
    queryFn: async () => unwrap(await api.GET('/api/people/{id}', { params: { path: { id: id! } } })).data,
    enabled: id !== undefined,
  });
  useEffect(() => {
    const p = existing.data;
    if (p)
      form.reset({
        firstName: p.firstName,
        lastName: p.lastName,
        preferredName: p.preferredName ?? '',
        email: p.email ?? '',
        phone: p.phone ?? '',
        birthDate: p.birthDate ?? '',
        membershipStatus: p.membershipStatus,
        notes: p.notes ?? '',
      });
  }, [existing.data, form]);

  const save = useMutation({
    mutationFn: async (v: PersonForm) => {
      const body = {
        firstName: v.firstName,
        lastName: v.lastName,
        preferredName: orNull(v.preferredName),
        email: orNull(v.email),
        phone: orNull(v.phone),
        birthDate: orNull(v.birthDate),
        membershipStatus: v.membershipStatus,
        notes: orNull(v.notes),
      };
      return id
        ? unwrap(await api.PATCH('/api/people/{id}', { params: { path: { id } }, body })).data
        : unwrap(await api.POST('/api/people', { body })).data;
    },
    onSuccess: (person) => {
      void queryClient.invalidateQueries({ queryKey: ['people'] });
      queryClient.setQueryData(['person', person.id], person);
      navigate(`/people/${person.id}`);
    },
    onError: (err) => setFailure(applyProblem(err, form.setError, FIELDS)),
  });

  if (id && existing.isPending) return <Loader aria-label="Loading" />;
  return (
    <form onSubmit={form.handleSubmit((v) => save.mutateAsync(v).catch(() => undefined))} noValidate>
      <Stack maw={720}>
        <Title order={1}>{id ? 'Edit person' : 'Add person'}</Title>
        <FailureAlert title="Not saved">{failure}</FailureAlert>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="First name"
            autoFocus
            error={errors.firstName?.message}
            {...form.register('firstName')}
          />
          <TextInput label="Last name" error={errors.lastName?.message} {...form.register('lastName')} />
          <TextInput
            label="Preferred name"
            error={errors.preferredName?.message}
            {...form.register('preferredName')}
          />
          <Controller
            control={form.control}
            name="membershipStatus"
            render={({ field }) => (
              <Select
                label="Status"
                data={MEMBERSHIP_OPTIONS}
                value={field.value}
                onChange={(v) => v && field.onChange(v)}
                allowDeselect={false}
              />
            )}
          />
          <TextInput label="Email" type="email" error={errors.email?.message} {...form.register('email')} />
          <TextInput label="Phone" type="tel" error={errors.phone?.message} {...form.register('phone')} />
          <TextInput
            label="Birth date"
            type="date"
            error={errors.birthDate?.message}
            {...form.register('birthDate')}
          />
        </SimpleGrid>
        <Textarea
          label="Notes"
          autosize
          minRows={2}
          error={errors.notes?.message}
          {...form.register('notes')}
        />
        <Group>
          <Button type="submit" loading={isSubmitting}>
            Save
          </Button>
          <Button variant="default" onClick={() => navigate(-1)}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
