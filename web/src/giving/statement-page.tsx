import {
  Anchor,
  Button,
  Container,
  Group,
  Loader,
  NumberInput,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { ListTable } from '../common/list-table';
import { churchFormat, todayIn, useChurch } from '../format/church-format';
import { METHOD_LABELS } from './methods';
import classes from './statement-page.module.css';

/** A person's giving statement for a year, laid out for printing (the menu is not shown). */
export default function StatementPage() {
  const id = useParams().id!;
  const church = useChurch().data;
  const [params, setParams] = useSearchParams();
  const thisYear = Number(todayIn(church?.timezone ?? 'UTC').slice(0, 4));
  const year = Number(params.get('year') ?? thisYear);
  const statement = useQuery({
    queryKey: ['statement', id, year],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/people/{id}/giving-statement', { params: { path: { id }, query: { year } } }),
      ).data,
  });
  if (statement.isPending) return <Loader aria-label="Loading" />;
  if (!statement.data) return <Text role="alert">The statement could not be made.</Text>;
  const s = statement.data;
  const fmt = churchFormat(s.currency, church?.timezone ?? 'UTC');
  const addressLines = (a: typeof s.address) =>
    a
      ? [a.line1, a.line2, [a.city, a.region, a.postalCode].filter(Boolean).join(' '), a.country].filter(
          Boolean,
        )
      : [];

  return (
    <Container size="md" py="lg" component="main">
      <Group justify="space-between" className={classes.noPrint} mb="md">
        <Anchor component={Link} to={`/people/${id}`}>
          Back to {s.person.firstName} {s.person.lastName}
        </Anchor>
        <Group align="end">
          <NumberInput
            label="Year"
            value={year}
            min={1900}
            max={9999}
            onChange={(v) => v && setParams({ year: String(v) })}
            w={100}
          />
          <Button onClick={() => window.print()}>Print</Button>
        </Group>
      </Group>
      <Stack>
        <div>
          <Text fw={700}>{s.church.name}</Text>
          {addressLines(s.church.address).map((l) => (
            <Text key={l}>{l}</Text>
          ))}
        </div>
        <Title order={1}>Giving statement {s.year}</Title>
        <div>
          <Text fw={700}>
            {s.person.preferredName || s.person.firstName} {s.person.lastName}
          </Text>
          {addressLines(s.address).map((l) => (
            <Text key={l}>{l}</Text>
          ))}
        </div>
        <ListTable
          aria-label="Gifts"
          columns={['Date', 'Method', 'Fund', { label: 'Amount', right: true }]}
          rows={s.donations}
          rowKey={(d) => d.id}
          row={(d) => (
            <>
              <Table.Td>{fmt.date(d.receivedOn)}</Table.Td>
              <Table.Td>
                {METHOD_LABELS[d.method]}
                {d.checkNumber ? ` #${d.checkNumber}` : ''}
              </Table.Td>
              <Table.Td>{d.splits.map((x) => x.fundName).join(', ')}</Table.Td>
              <Table.Td ta="right">{fmt.money(d.amountCents)}</Table.Td>
            </>
          )}
        />
        <Table aria-label="Totals by fund" w={360} ml="auto">
          <Table.Tbody>
            {s.byFund.map((f) => (
              <Table.Tr key={f.fundId}>
                <Table.Td>{f.fundName}</Table.Td>
                <Table.Td ta="right">{fmt.money(f.totalCents)}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Th>Total</Table.Th>
              <Table.Th ta="right">{fmt.money(s.totalCents)}</Table.Th>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        {s.uncommittedDonations > 0 && (
          <Text size="sm" className={classes.noPrint}>
            {s.uncommittedDonations} gifts of this year are in batches not yet committed and are not shown.
          </Text>
        )}
      </Stack>
    </Container>
  );
}
