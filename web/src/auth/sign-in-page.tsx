import { Anchor, Button, PasswordInput, TextInput, Text } from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { FailureAlert } from '../common/failure-alert';
import { AuthFrame } from './auth-frame';
import { Link, useLocation, useNavigate } from 'react-router';
import { signIn } from '../api/session-api';
import { required } from '../forms/required';

interface SignIn {
  church: string;
  email: string;
  password: string;
}

/** Sign in: church address, email, password. */
export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string; church?: string } | null) ?? {};
  const [failure, setFailure] = useState<string>();
  const form = useForm<SignIn>({
    defaultValues: { church: from.church ?? '', email: '', password: '' },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setFailure(undefined);
    try {
      const res = await signIn({ ...values, church: values.church.trim(), email: values.email.trim() });
      if (res.data) return navigate(from.from ?? '/', { replace: true });
      const status = res.response.status;
      setFailure(
        status === 401
          ? 'The church address, email or password is not right.'
          : (res.error?.detail ?? 'Signing in failed. Try again.'),
      );
    } catch {
      setFailure('The server could not be reached. Try again.');
    }
  });

  return (
    <AuthFrame title="Sign in to Steeple" width={400} onSubmit={submit}>
      <FailureAlert title="Not signed in">{failure}</FailureAlert>
      <TextInput
        label="Church address"
        description="The short name your church registered, e.g. grace-chapel"
        autoComplete="organization"
        autoFocus
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
      <PasswordInput
        label="Password"
        autoComplete="current-password"
        error={errors.password?.message}
        {...form.register('password', required('Enter your password'))}
      />
      <Button type="submit" loading={isSubmitting}>
        Sign in
      </Button>
      <Anchor component={Link} to="/forgot-password" state={{ church: form.watch('church') }} size="sm">
        Forgot your password?
      </Anchor>
      <Text size="sm">
        New to Steeple?{' '}
        <Anchor component={Link} to="/register">
          Register a church
        </Anchor>
      </Text>
    </AuthFrame>
  );
}
