import { Table, Text } from '@mantine/core';
import type { YearEndSummary } from './year-end-api';

/** Donors whose statements go by post: name (and an unusable address on file) and postal address. */
export function DonorsWithoutEmailTable(props: { donors: YearEndSummary['withoutEmail'] }) {
  return (
    <Table aria-label="Donors without an email address" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Postal address</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.donors.map((d) => (
          <Table.Tr key={`${d.kind}:${d.id}`}>
            <Table.Td>
              {d.name}
              {d.email && (
                <Text size="xs" c="dimmed">
                  Email on file is not usable: {d.email}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              {d.addressLines.length
                ? d.addressLines.map((l) => <div key={l}>{l}</div>)
                : 'No address on file'}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
