import { zodResolver } from '@hookform/resolvers/zod';
import { Anchor, Button, Fieldset, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { FailureAlert } from '../common/failure-alert';
import { AuthFrame } from './auth-frame';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { api } from '../api/client';
import { signIn } from '../api/session-api';
import { applyProblem } from '../forms/apply-problem';
import { CURRENCIES, TIME_ZONES } from '../format/church-choices';
import { unwrap } from '../api/problem';
import { SLUG_PATTERN, useSlugAvailability } from './slug-availability';

const schema = z.object({
  name: z.string().trim().min(1, 'Enter the church name').max(120),
  slug: z.string().regex(SLUG_PATTERN, 'Use 3 to 40 lower-case letters, digits or dashes'),
  timezone: z.string().min(1, 'Choose a time zone'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'Choose a currency'),
  adminName: z.string().trim().min(1, 'Enter your name').max(120),
  email: z.email('Enter an email address'),
  password: z.string().min(10, 'Use at least 10 characters'),
});
type Registration = z.infer<typeof schema>;

const slugFrom = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

/** Waits for the church's database (a 202 answer), then the new admin is signed in. */
async function waitUntilReady(id: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const reg = unwrap(await api.GET('/api/registrations/{id}', { params: { path: { id } } })).data;
    if (reg.status === 'ready') return;
    if (reg.status === 'failed') throw new Error(reg.error ?? 'The church could not be set up.');
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('Setting up the church is taking long. Try signing in in a minute.');
}

/** Register a church: its name, address, time zone, currency and the first admin. */
export default function RegisterPage() {
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string>();
  const form = useForm<Registration>({
    resolver: zodResolver(schema),
    mode: 'onTouched',
    defaultValues: {
      name: '',
      slug: '',
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      currency: 'USD',
      adminName: '',
      email: '',
      password: '',
    },
  });
  const { errors, isSubmitting, dirtyFields } = form.formState;
  const slug = form.watch('slug');
  const availability = useSlugAvailability(slug);
  const slugTaken = availability && !availability.available;

  const submit = form.handleSubmit(async (v) => {
    setFailure(undefined);
    try {
      const res = await api.POST('/api/registrations', {
        params: { query: { wait: true } },
        body: {
          church: { name: v.name, slug: v.slug, timezone: v.timezone, currency: v.currency },
          admin: { name: v.adminName, email: v.email, password: v.password },
        },
      });
      const reg = unwrap(res).data;
      if (reg.status !== 'ready') await waitUntilReady(reg.id);
      const session = await signIn({ church: v.slug, email: v.email, password: v.password });
      navigate(session.data ? '/' : '/sign-in', { replace: true, state: { church: v.slug } });
    } catch (err) {
      if (err instanceof Error && !('status' in err)) return setFailure(err.message);
      setFailure(
        applyProblem(err, form.setError, {
          name: 'church.name',
          slug: 'church.slug',
          timezone: 'church.timezone',
          currency: 'church.currency',
          adminName: 'admin.name',
          email: 'admin.email',
          password: 'admin.password',
        }),
      );
    }
  });

  const nameField = form.register('name');
  return (
    <AuthFrame title="Register a church" width={520} onSubmit={submit}>
      <FailureAlert title="Not registered">{failure}</FailureAlert>
      <Fieldset legend="Church">
        <Stack>
          <TextInput
            label="Church name"
            autoFocus
            error={errors.name?.message}
            {...nameField}
            onChange={(e) => {
              void nameField.onChange(e);
              if (!dirtyFields.slug) form.setValue('slug', slugFrom(e.target.value));
            }}
          />
          <TextInput
            label="Church address"
            description={
              slugTaken
                ? undefined
                : availability?.available
                  ? `${slug} is available`
                  : 'Used to sign in: lower-case letters, digits and dashes'
            }
            error={
              errors.slug?.message ??
              (slugTaken
                ? availability.reason === 'reserved'
                  ? `${slug} is reserved`
                  : `${slug} is taken`
                : undefined)
            }
            {...form.register('slug')}
          />
          <Controller
            control={form.control}
            name="timezone"
            render={({ field }) => (
              <Select
                label="Time zone"
                data={TIME_ZONES}
                searchable
                value={field.value}
                onChange={(v) => field.onChange(v ?? '')}
                onBlur={field.onBlur}
                error={errors.timezone?.message}
              />
            )}
          />
          <Controller
            control={form.control}
            name="currency"
            render={({ field }) => (
              <Select
                label="Currency"
                data={CURRENCIES}
                searchable
                value={field.value}
                onChange={(v) => field.onChange(v ?? '')}
                onBlur={field.onBlur}
                error={errors.currency?.message}
              />
            )}
          />
        </Stack>
      </Fieldset>
      <Fieldset legend="You (the church's first admin)">
        <Stack>
          <TextInput
            label="Your name"
            autoComplete="name"
            error={errors.adminName?.message}
            {...form.register('adminName')}
          />
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            error={errors.email?.message}
            {...form.register('email')}
          />
          <PasswordInput
            label="Password"
            description="At least 10 characters"
            autoComplete="new-password"
            error={errors.password?.message}
            {...form.register('password')}
          />
        </Stack>
      </Fieldset>
      <Button type="submit" loading={isSubmitting} disabled={slugTaken}>
        Register
      </Button>
      <Text size="sm">
        Already registered?{' '}
        <Anchor component={Link} to="/sign-in">
          Sign in
        </Anchor>
      </Text>
    </AuthFrame>
  );
}
