import { Alert, Anchor, Button, PasswordInput } from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { FailureAlert } from '../common/failure-alert';
import { AuthFrame } from './auth-frame';
import { Link } from 'react-router';
import { api } from '../api/client';
import { ApiError, unwrap } from '../api/problem';
import { applyProblem } from '../forms/apply-problem';

interface NewPassword {
  password: string;
  repeat: string;
}

/**
 * The emailed link's page, `/reset-password#token=...`: the token sits in the fragment, which
 * browsers never send to a server or put in a Referer; it goes only in the confirm request body.
 */
export default function ResetPasswordPage() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  const [done, setDone] = useState(false);
  const [failure, setFailure] = useState<string>();
  const form = useForm<NewPassword>({ defaultValues: { password: '', repeat: '' } });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (v) => {
    setFailure(undefined);
    try {
      unwrap(await api.POST('/api/auth/password-reset/confirm', { body: { token, password: v.password } }));
      setDone(true);
    } catch (err) {
      const gone = err instanceof ApiError && (err.status === 410 || err.status === 409);
      setFailure(
        gone
          ? 'This link has expired or was used already. Ask for a new one.'
          : applyProblem(err, form.setError, ['password']),
      );
    }
  });

  return (
    <AuthFrame title="Choose a new password" onSubmit={submit}>
      {!token && <FailureAlert>This page needs the link from the email. Ask for a new one.</FailureAlert>}
      <FailureAlert>{failure}</FailureAlert>
      {done ? (
        <Alert variant="outline" color="teal.9" role="status" title="Password changed">
          Sign in with your new password. Every other session of yours has been signed out.
        </Alert>
      ) : (
        <>
          <PasswordInput
            label="New password"
            description="At least 10 characters"
            autoComplete="new-password"
            error={errors.password?.message}
            {...form.register('password', {
              validate: (v) => v.length >= 10 || 'Use at least 10 characters',
            })}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            error={errors.repeat?.message}
            {...form.register('repeat', {
              validate: (v, all) => v === all.password || 'The two passwords differ',
            })}
          />
          <Button type="submit" loading={isSubmitting} disabled={!token}>
            Save new password
          </Button>
        </>
      )}
      <Anchor component={Link} to={done ? '/sign-in' : '/forgot-password'} size="sm">
        {done ? 'Sign in' : 'Ask for a new link'}
      </Anchor>
    </AuthFrame>
  );
}
