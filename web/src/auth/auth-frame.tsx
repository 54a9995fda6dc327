import { Center, Paper, Stack, Title } from '@mantine/core';
import type { FormEventHandler, ReactNode } from 'react';

/** The frame of the signed-out pages: one titled form card in the middle of the screen. */
export function AuthFrame(props: {
  title: string;
  width?: number;
  onSubmit: FormEventHandler;
  children: ReactNode;
}) {
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={props.width ?? 420} maw="100%">
        <form onSubmit={props.onSubmit} noValidate>
          <Stack>
            <Title order={1} size="h2">
              {props.title}
            </Title>
            {props.children}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
