import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import type { components } from '../api/schema';

type ImportRow = components['schemas']['ImportRow'];

/** What a dry run of an import said: counts, and every row with a problem. */
export interface ImportPreview {
  /** False when some row has an error: nothing can be imported until the file is fixed. */
  ok: boolean;
  created: number;
  updated: number;
  unchanged: number;
  rows: readonly ImportRow[];
  message?: string;
}

const STATUS_LABELS: Record<ImportRow['status'], string> = {
  created: 'New person',
  updated: 'Update',
  unchanged: 'No change',
  ok: 'Fine',
  error: 'Error',
};

/** The review step of an import: what would happen, the rows in error (by line), and Confirm. */
export function ImportReview(props: {
  fileName: string;
  preview: ImportPreview;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { preview } = props;
  const errors = preview.rows.filter((r) => r.status === 'error');
  return (
    <Stack>
      <Text>
        Dry run of <b>{props.fileName}</b>: nothing has been saved yet.
      </Text>
      {preview.ok ? (
        <Alert variant="outline" color="teal.9" title="Ready to import">
          {preview.created} to add, {preview.updated} to update, {preview.unchanged} unchanged.
        </Alert>
      ) : (
        <Alert color="red" role="alert" title="The file has errors">
          {preview.message ?? `${errors.length} row(s) have errors`}. Fix them in the file and upload it
          again; nothing will be imported until every row is right.
        </Alert>
      )}
      {errors.length > 0 && (
        <Table aria-label="Rows with errors" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {errors.map((r) => (
              <Table.Tr key={r.row}>
                <Table.Td>{r.row}</Table.Td>
                <Table.Td>{r.errors.join('; ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {preview.ok && (
        <Table aria-label="Rows to import" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th>What happens</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.rows.slice(0, 100).map((r) => (
              <Table.Tr key={r.row}>
                <Table.Td>{r.row}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{STATUS_LABELS[r.status]}</Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {preview.rows.length > 100 && preview.ok && (
        <Text size="sm">The first 100 of {preview.rows.length} rows are shown.</Text>
      )}
      <Group>
        {preview.ok && (
          <Button onClick={props.onConfirm} loading={props.busy}>
            Confirm import
          </Button>
        )}
        <Button variant="default" onClick={props.onCancel}>
          {preview.ok ? 'Cancel' : 'Choose another file'}
        </Button>
      </Group>
    </Stack>
  );
}
