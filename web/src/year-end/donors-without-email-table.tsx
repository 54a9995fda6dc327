import { Table, Text } from '@mantine/core';
import { ListTable } from '../common/list-table';
import type { YearEndSummary } from './year-end-api';

/** Donors whose statements go by post: name (and an unusable address on file) and postal address. */
export function DonorsWithoutEmailTable(props: { donors: YearEndSummary['withoutEmail'] }) {
  return (
    <ListTable
      aria-label="Donors without an email address"
      striped
      columns={['Name', 'Postal address']}
      rows={props.donors}
      rowKey={(d) => `${d.kind}:${d.id}`}
      row={(d) => (
        <>
          <Table.Td>
            {d.name}
            {d.email && (
              <Text size="xs" c="dimmed">
                Email on file is not usable: {d.email}
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            {d.addressLines.length ? d.addressLines.map((l) => <div key={l}>{l}</div>) : 'No address on file'}
          </Table.Td>
        </>
      )}
    />
  );
}
