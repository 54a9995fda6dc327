import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  TextInput,
  Title,
  Text,
} from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useLocation, useNavigate } from 'react-router';
import { z } from 'zod';
import { signIn } from '../api/session-api';

const schema = z.object({
  church: z.string().trim().min(1, 'Enter your church address'),
  email: z.string().trim().min(1, 'Enter your email'),
  password: z.string().min(1, 'Enter your password'),
});
type SignIn = z.infer<typeof schema>;

/** Sign in: church address, email, password. */
export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string; church?: string } | null) ?? {};
  const [failure, setFailure] = useState<string>();
  const form = useForm<SignIn>({
    resolver: zodResolver(schema),
    defaultValues: { church: from.church ?? '', email: '', password: '' },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setFailure(undefined);
    try {
      const res = await signIn(values);
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
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h2">
              Sign in to Steeple
            </Title>
            {failure && (
              <Alert color="red" role="alert" title="Not signed in">
                {failure}
              </Alert>
            )}
            <TextInput
              label="Church address"
              description="The short name your church registered, e.g. grace-chapel"
              autoComplete="organization"
              autoFocus
              error={errors.church?.message}
              {...form.register('church')}
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
              autoComplete="current-password"
              error={errors.password?.message}
              {...form.register('password')}
            />
            <Button type="submit" loading={isSubmitting}>
              Sign in
            </Button>
            <Text size="sm">
              New to Steeple?{' '}
              <Anchor component={Link} to="/register">
                Register a church
              </Anchor>
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
