import { Anchor, Button, Group, Loader, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { FailureAlert } from '../common/failure-alert';
import { DonorsWithoutEmailTable } from './donors-without-email-table';
import { EmailRun } from './email-run';
import type { YearEndRun, YearEndSummary } from './year-end-api';
import { yearEndErrorText } from './year-end-errors';
import { YearEndFigures } from './year-end-figures';

export interface YearEndViewProps {
  year: number;
  years: number[];
  onYear: (year: number) => void;
  summary: { data?: YearEndSummary; error?: unknown; pending: boolean };
  money: (cents: number) => string;
  canSend: boolean;
  canEditReceipt: boolean;
  run: YearEndRun | undefined;
  onDownload: () => Promise<void>;
  onSend: () => Promise<void>;
}

/** The year-end statements screen: figures, the ZIP, the emails and the donors to post to. */
export function YearEndView(p: YearEndViewProps) {
  const [downloading, setDownloading] = useState(false);
  const [failure, setFailure] = useState<string>();
  const s = p.summary.data;
  const download = async () => {
    setDownloading(true);
    setFailure(undefined);
    try {
      await p.onDownload();
    } catch (err) {
      setFailure(yearEndErrorText(err));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Stack maw={860}>
      <Title order={1}>Year-end statements</Title>
      <Text>
        A giving statement for every donor of the year, with the church's name, address and tax-receipt text.
        Only gifts in committed batches are counted.
      </Text>
      <Select
        label="Year"
        w={140}
        data={p.years.map(String)}
        value={String(p.year)}
        allowDeselect={false}
        onChange={(v) => v && p.onYear(Number(v))}
      />
      {p.summary.pending && <Loader aria-label="Loading" />}
      {p.summary.error !== undefined && p.summary.error !== null && (
        <FailureAlert>{yearEndErrorText(p.summary.error)}</FailureAlert>
      )}
      {s && (
        <>
          <YearEndFigures summary={s} money={p.money} canEditReceipt={p.canEditReceipt} />
          <Title order={2} size="h3">
            Statements
          </Title>
          <Group>
            <Button variant="default" onClick={download} loading={downloading}>
              Download all statements (ZIP)
            </Button>
            <Text size="sm">One PDF per donor, to print or keep.</Text>
          </Group>
          <FailureAlert>{failure}</FailureAlert>
          {p.canSend && <EmailRun year={p.year} withEmail={s.withEmail} run={p.run} onSend={p.onSend} />}
          <Title order={2} size="h3">
            Donors without an email address
          </Title>
          {s.withoutEmail.length === 0 ? (
            <Text>Every donor has an email address.</Text>
          ) : (
            <>
              <Group>
                <Text>
                  {s.withoutEmail.length === 1 ? '1 donor needs' : `${s.withoutEmail.length} donors need`} a
                  printed statement by post.
                </Text>
                <Anchor component={Link} to={`/year-end/${p.year}/without-email`}>
                  Printable list
                </Anchor>
              </Group>
              <DonorsWithoutEmailTable donors={s.withoutEmail} />
            </>
          )}
        </>
      )}
    </Stack>
  );
}
