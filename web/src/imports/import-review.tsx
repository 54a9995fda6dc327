import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import type { components } from '../api/schema';
import { FailureAlert } from '../common/failure-alert';
import { ListTable } from '../common/list-table';

type Report = components['schemas']['ImportReport'];

/** What a dry run of an import said: the API's report, and the message of a refused file. */
export interface ImportPreview {
  report: Report;
  /** Why the file was refused (a 422), when it was. */
  message?: string;
}

const ACTION_LABELS: Record<components['schemas']['ImportRowAction'], string> = {
  created: 'New person',
  updated: 'Update',
  unchanged: 'No change',
  skipped: 'Skipped',
};

/**
 * The review step of an import: how the file's columns were read, what would happen, the rows
 * in error (by line and column), and Confirm when nothing is wrong.
 */
export function ImportReview(props: {
  fileName: string;
  preview: ImportPreview;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const r = props.preview.report;
  const ok = r.errorCount === 0;
  const mapped = r.columns.filter((c) => c.field !== null);
  return (
    <Stack>
      <Text>
        Dry run of <b>{props.fileName}</b> ({r.rows} rows, read as {r.preset}): nothing has been saved yet.
      </Text>
      {ok ? (
        <Alert variant="outline" color="teal.9" title="Ready to import">
          {r.created} to add, {r.updated} to update, {r.unchanged} unchanged.
        </Alert>
      ) : (
        <FailureAlert title="The file has errors">
          {props.preview.message ?? `${r.errorCount} error(s) in the file`}. Fix them in the file and upload
          it again; nothing will be imported until every row is right.
        </FailureAlert>
      )}
      <Text size="sm">
        Columns used: {mapped.map((c) => `${c.column} → ${c.field}`).join(', ') || 'none'}
        {r.ignoredColumns.length > 0 && `; ignored: ${r.ignoredColumns.join(', ')}`}
      </Text>
      {r.errors.length > 0 && (
        <ListTable
          aria-label="Rows with errors"
          striped
          columns={['Line', 'Column', 'Problem']}
          rows={r.errors}
          rowKey={(e) => `${e.row}|${e.column}|${e.message}`}
          row={(e) => (
            <>
              <Table.Td>{e.row}</Table.Td>
              <Table.Td>{e.column ?? '—'}</Table.Td>
              <Table.Td>{e.message}</Table.Td>
            </>
          )}
        />
      )}
      {r.errorsTruncated && <Text size="sm">Only the first {r.errors.length} errors are listed.</Text>}
      {ok && (
        <ListTable
          aria-label="Rows to import"
          striped
          columns={['Line', 'What happens']}
          rows={r.results.slice(0, 100)}
          rowKey={(x) => x.row}
          row={(x) => (
            <>
              <Table.Td>{x.row}</Table.Td>
              <Table.Td>
                <Badge variant="light" color="dark">
                  {ACTION_LABELS[x.action]}
                </Badge>
              </Table.Td>
            </>
          )}
        />
      )}
      {ok && r.rows > 100 && <Text size="sm">The first 100 of {r.rows} rows are shown.</Text>}
      <Group>
        {ok && (
          <Button onClick={props.onConfirm} loading={props.busy}>
            Confirm import
          </Button>
        )}
        <Button variant="default" onClick={props.onCancel}>
          {ok ? 'Cancel' : 'Choose another file'}
        </Button>
      </Group>
    </Stack>
  );
}
