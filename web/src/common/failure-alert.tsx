import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';

/** Why something failed, in plain words, in a red alert read out at once; nothing when there is no failure. */
export function FailureAlert(props: { title?: string; children?: ReactNode }) {
  if (!props.children) return null;
  return (
    <Alert color="red" role="alert" title={props.title}>
      {props.children}
    </Alert>
  );
}
