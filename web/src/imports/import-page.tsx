import { Alert, FileInput, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { type ImportPreview, ImportReview } from './import-review';

/** Sends a CSV file as it is; `dryRun` only reports. */
async function runImport(csv: string, dryRun: boolean): Promise<ImportPreview> {
  const res = await api.POST('/api/imports/people', {
    params: { query: { dryRun } },
    body: csv,
    bodySerializer: (b) => b,
    headers: { 'content-type': 'text/csv' },
  });
  if (res.data) return { ok: true, ...res.data.data };
  const p = res.error;
  if (p && 'rows' in p && p.rows)
    return { ok: false, created: 0, updated: 0, unchanged: 0, rows: p.rows, message: p.detail };
  throw new Error(p?.detail ?? `The server answered ${res.response.status}.`);
}

/** Import people from a CSV file: upload, review the dry run, confirm. */
export default function ImportPage() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState('');
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
      const text = await f.text();
      setCsv(text);
      setPreview(await runImport(text, true));
    } catch (err) {
      setFailure(err instanceof Error ? err.message : 'The file could not be read.');
    } finally {
      setBusy(false);
    }
  };
  const confirm = async () => {
    setBusy(true);
    try {
      setDone(await runImport(csv, false));
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
        A CSV file with a header row: firstName and lastName are required; email, phone, birthDate,
        membershipStatus and household are optional. People are matched by email: a known email updates that
        person.
      </Text>
      <FileInput
        label="CSV file"
        placeholder="Choose a file"
        accept=".csv,text/csv"
        value={file}
        onChange={choose}
        clearable
        clearButtonProps={{ 'aria-label': 'Clear file' }}
        w={360}
      />
      {failure && (
        <Alert color="red" role="alert">
          {failure}
        </Alert>
      )}
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
          {done.created} added, {done.updated} updated, {done.unchanged} unchanged.
        </Alert>
      )}
    </Stack>
  );
}
