import { Alert, FileInput, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { FailureAlert } from '../common/failure-alert';
import { type ImportPreview, ImportReview } from './import-review';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends the file as it is (CSV or XLSX); `dryRun` only reports. The API reads the layout. */
async function runImport(file: File, dryRun: boolean): Promise<ImportPreview> {
  const xlsx = file.name.toLowerCase().endsWith('.xlsx');
  const res = await api.POST('/api/imports/people', {
    params: { query: { dryRun } },
    body: (await (xlsx ? file.arrayBuffer() : file.text())) as string,
    bodySerializer: (b) => b,
    headers: { 'content-type': xlsx ? XLSX : 'text/csv' },
  });
  if (res.response.status === 200 && res.data && 'errorCount' in res.data.data)
    return { report: res.data.data };
  const p = res.error;
  if (p && 'report' in p && p.report) return { report: p.report, message: p.detail };
  throw new Error(p?.detail ?? `The server answered ${res.response.status}.`);
}

/** Import people from a CSV file: upload, review the dry run, confirm. */
export default function ImportPage() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview>();
  const [done, setDone] = useState<ImportPreview>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const choose = async (f: File | null) => {
    setFile(f);
    setPreview(undefined);
    setDone(undefined);
    setFailure(undefined);
    if (!f) return;
    setBusy(true);
    try {
      setPreview(await runImport(f, true));
    } catch (err) {
      setFailure(err instanceof Error ? err.message : 'The file could not be read.');
    } finally {
      setBusy(false);
    }
  };
  const confirm = async () => {
    setBusy(true);
    try {
      setDone(await runImport(file!, false));
      setPreview(undefined);
      await queryClient.invalidateQueries({ queryKey: ['people'] });
    } catch (err) {
      setFailure(err instanceof Error ? err.message : 'The import failed.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={800}>
      <Title order={1}>Import people</Title>
      <Text>
        A CSV or Excel file with a header row, such as an export from another church system: its columns are
        recognised and shown before anything is saved. Every person needs a first and a last name; people
        already here are matched and updated, not added twice.
      </Text>
      <FileInput
        label="File (CSV or Excel)"
        placeholder="Choose a file"
        accept=".csv,.xlsx,text/csv"
        value={file}
        onChange={choose}
        clearable
        clearButtonProps={{ 'aria-label': 'Clear file' }}
        w={360}
      />
      <FailureAlert>{failure}</FailureAlert>
      {preview && file && (
        <ImportReview
          fileName={file.name}
          preview={preview}
          busy={busy}
          onConfirm={confirm}
          onCancel={() => choose(null)}
        />
      )}
      {done && (
        <Alert variant="outline" color="teal.9" role="status" title="Imported">
          {done.report.created} added, {done.report.updated} updated, {done.report.unchanged} unchanged.
        </Alert>
      )}
    </Stack>
  );
}
