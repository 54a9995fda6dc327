import { Alert, Anchor, Blockquote, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { YearEndSummary } from './year-end-api';

function Figure(props: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="sm" c="dimmed">
        {props.label}
      </Text>
      <Text size="xl" fw={700}>
        {props.value}
      </Text>
    </Paper>
  );
}

/** The year at a glance: donors, gifts, total, the open-batch warning and the receipt wording. */
export function YearEndFigures(props: {
  summary: YearEndSummary;
  money: (cents: number) => string;
  canEditReceipt: boolean;
}) {
  const s = props.summary;
  const open = s.uncommittedGifts;
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, xs: 3 }} role="group" aria-label={`Giving in ${s.year}`}>
        <Figure label="Donors" value={String(s.donors)} />
        <Figure label="Gifts" value={String(s.gifts)} />
        <Figure label="Total given" value={props.money(s.totalCents)} />
      </SimpleGrid>
      {open > 0 && (
        <Alert color="dark" variant="outline" role="note" title="Some gifts are not counted yet">
          {open === 1 ? '1 gift' : `${open} gifts`} of {s.year} {open === 1 ? 'is' : 'are'} in batches not yet
          committed. {open === 1 ? 'It is' : 'They are'} left off the statements (each statement says so)
          until the batch is counted and committed on the Giving page.
        </Alert>
      )}
      <Stack gap={4}>
        <Title order={2} size="h4">
          Tax-receipt text on every statement
        </Title>
        <Blockquote p="sm">{s.receiptText}</Blockquote>
        <Group>
          {props.canEditReceipt ? (
            <Anchor component={Link} to="/settings">
              Change it in Church settings
            </Anchor>
          ) : (
            <Text size="sm" c="dimmed">
              A church administrator can change it in Church settings.
            </Text>
          )}
        </Group>
      </Stack>
    </Stack>
  );
}
