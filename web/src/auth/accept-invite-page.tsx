import { Button, PasswordInput, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { ApiError, unwrap } from '../api/problem';
import { sessionFrom, sessionStore } from '../api/session-store';
import { FailureAlert } from '../common/failure-alert';
import { applyProblem } from '../forms/apply-problem';
import { AuthFrame } from './auth-frame';

interface Acceptance {
  name: string;
  password: string;
  repeat: string;
}

/**
 * The emailed invitation's page, `/accept-invite#token=...` (the token stays in the fragment:
 * never sent to a server but in a request body): the new staff member names themselves, picks a
 * password and is signed in.
 */
export default function AcceptInvitePage() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string>();
  const invite = useQuery({
    queryKey: ['invite', token],
    queryFn: async () => unwrap(await api.POST('/api/invites/inspect', { body: { token } })).data,
    enabled: token !== '',
    retry: false,
  });
  const form = useForm<Acceptance>({ defaultValues: { name: '', password: '', repeat: '' } });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (v) => {
    setFailure(undefined);
    try {
      const body = { token, name: v.name.trim(), password: v.password, refreshCookie: true };
      sessionStore.set(sessionFrom(unwrap(await api.POST('/api/invites/accept', { body })).data));
      navigate('/', { replace: true });
    } catch (err) {
      const gone = err instanceof ApiError && (err.status === 410 || err.status === 409);
      setFailure(
        gone
          ? 'This invitation has expired or was used already. Ask for a new one.'
          : applyProblem(err, form.setError, ['name', 'password']),
      );
    }
  });

  const unusable = !token || invite.isError;
  return (
    <AuthFrame title="Join your church on Steeple" onSubmit={submit}>
      {unusable && (
        <FailureAlert>
          This invitation link is not valid any more. Ask whoever invited you for a new one.
        </FailureAlert>
      )}
      {invite.data && (
        <Text>
          {invite.data.church.name} invites <b>{invite.data.email}</b> as {invite.data.role}.
        </Text>
      )}
      <FailureAlert>{failure}</FailureAlert>
      <TextInput
        label="Your name"
        autoComplete="name"
        error={errors.name?.message}
        {...form.register('name', { validate: (v) => v.trim() !== '' || 'Enter your name' })}
      />
      <PasswordInput
        label="Password"
        description="At least 10 characters"
        autoComplete="new-password"
        error={errors.password?.message}
        {...form.register('password', { validate: (v) => v.length >= 10 || 'Use at least 10 characters' })}
      />
      <PasswordInput
        label="Repeat the password"
        autoComplete="new-password"
        error={errors.repeat?.message}
        {...form.register('repeat', {
          validate: (v, all) => v === all.password || 'The two passwords differ',
        })}
      />
      <Button type="submit" loading={isSubmitting} disabled={unusable || !invite.data}>
        Join
      </Button>
    </AuthFrame>
  );
}
