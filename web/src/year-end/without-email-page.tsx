import { Anchor, Button, Container, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import classes from './without-email-page.module.css';
import { DonorsWithoutEmailTable } from './donors-without-email-table';
import { useYearEndSummary } from './year-end-api';
import { yearEndErrorText } from './year-end-errors';

/** The donors of a year with no email address and their postal addresses, laid out for printing. */
export default function WithoutEmailPage() {
  const year = Number(useParams().year);
  const summary = useYearEndSummary(year);
  if (summary.isPending) return <Loader aria-label="Loading" />;
  if (!summary.data) return <Text role="alert">{yearEndErrorText(summary.error)}</Text>;
  const donors = summary.data.withoutEmail;
  return (
    <Container size="md" py="lg" component="main">
      <Group justify="space-between" className={classes.noPrint} mb="md">
        <Anchor component={Link} to={`/year-end?year=${year}`}>
          Back to year-end statements
        </Anchor>
        <Button onClick={() => window.print()}>Print</Button>
      </Group>
      <Stack>
        <Title order={1}>Statements to post for {year}</Title>
        <Text>
          {donors.length === 1 ? '1 donor has' : `${donors.length} donors have`} no usable email address:
          print their statements from the ZIP and post them.
        </Text>
        <DonorsWithoutEmailTable donors={donors} />
      </Stack>
    </Container>
  );
}
