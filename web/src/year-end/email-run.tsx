import { Button, Group, Modal, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { FailureAlert } from '../common/failure-alert';
import { runFinished, type YearEndRun } from './year-end-api';
import { yearEndErrorText } from './year-end-errors';

/** What a run's numbers mean to the treasurer. */
function runStatus(run: YearEndRun): string {
  if (run.status === 'failed')
    return `Sending stopped: ${run.error ?? 'an error'}. Send again to finish; nobody gets a statement twice.`;
  if (!runFinished(run)) {
    return run.queued < run.total
      ? `Preparing statements: ${run.queued} of ${run.total} ready.`
      : 'All statements are ready; the last emails are going out.';
  }
  return run.failed > 0
    ? `Finished. ${run.failed} could not be delivered: print those statements from the ZIP.`
    : 'Finished. Every donor with an email address has their statement.';
}

/** Emailing every donor their statement: a confirmation first, then the run's progress. */
export function EmailRun(props: {
  year: number;
  withEmail: number;
  run: YearEndRun | undefined;
  onSend: () => Promise<void>;
}) {
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string>();
  const { run } = props;
  const send = async () => {
    setSending(true);
    setFailure(undefined);
    try {
      await props.onSend();
      setConfirming(false);
    } catch (err) {
      setFailure(yearEndErrorText(err));
    } finally {
      setSending(false);
    }
  };
  const busy = run !== undefined && !runFinished(run);
  const people = props.withEmail === 1 ? '1 donor' : `${props.withEmail} donors`;

  return (
    <Stack gap="xs">
      <Group>
        <Button onClick={() => setConfirming(true)} disabled={busy || props.withEmail === 0}>
          Email statements
        </Button>
        <Text size="sm">
          {people} {props.withEmail === 1 ? 'has' : 'have'} an email address.
        </Text>
      </Group>
      {!confirming && <FailureAlert>{failure}</FailureAlert>}
      {run && (
        <Stack gap={4} role="status" aria-label="Email progress">
          <Progress value={run.total ? (100 * (run.sent + run.failed)) / run.total : 100} aria-hidden />
          <Text>
            Sent {run.sent} of {run.total}
            {run.failed > 0 ? `, ${run.failed} failed` : ''}.
          </Text>
          <Text size="sm">{runStatus(run)}</Text>
        </Stack>
      )}
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={`Email the ${props.year} statements?`}
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack>
          <Text>
            Each of the {people} with an email address gets their {props.year} statement as a PDF attachment.
            A donor who already has it is not emailed again.
          </Text>
          <FailureAlert>{failure}</FailureAlert>
          <Group justify="end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button onClick={send} loading={sending}>
              Send {props.withEmail === 1 ? '1 email' : `${props.withEmail} emails`}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
