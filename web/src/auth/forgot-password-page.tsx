import { Alert, Anchor, Button, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { FailureAlert } from '../common/failure-alert';
import { AuthFrame } from './auth-frame';
import { Link, useLocation } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { applyProblem } from '../forms/apply-problem';
import { required } from '../forms/required';

interface ForgotPassword {
  church: string;
  email: string;
}

/** Forgot password: the server emails a reset link (and says the same whether or not the account exists). */
export default function ForgotPasswordPage() {
  const church = (useLocation().state as { church?: string } | null)?.church ?? '';
  const [sent, setSent] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const form = useForm<ForgotPassword>({ defaultValues: { church, email: '' } });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (v) => {
    setFailure(undefined);
    try {
      const body = { church: v.church.trim(), email: v.email.trim() };
      setSent(unwrap(await api.POST('/api/auth/password-reset', { body })).data.message);
    } catch (err) {
      setFailure(applyProblem(err, form.setError, ['church', 'email']));
    }
  });

  return (
    <AuthFrame title="Forgot your password?" onSubmit={submit}>
      {sent ? (
        <Alert variant="outline" color="teal.9" role="status" title="Check your email">
          {sent}
        </Alert>
      ) : (
        <>
          <Text>Enter your church address and email: we will send you a link to choose a new password.</Text>
          <FailureAlert>{failure}</FailureAlert>
          <TextInput
            label="Church address"
            error={errors.church?.message}
            {...form.register('church', required('Enter your church address'))}
          />
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            error={errors.email?.message}
            {...form.register('email', required('Enter your email'))}
          />
          <Button type="submit" loading={isSubmitting}>
            Send reset link
          </Button>
        </>
      )}
      <Anchor component={Link} to="/sign-in" size="sm">
        Back to sign in
      </Anchor>
    </AuthFrame>
  );
}
