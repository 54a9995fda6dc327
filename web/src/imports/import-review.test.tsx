import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { components } from '../api/schema';
import { render, unmount } from '../testing/render';
import { type ImportPreview, ImportReview } from './import-review';

type Report = components['schemas']['ImportReport'];

const report = (over: Partial<Report>): Report => ({
  kind: 'people',
  dryRun: true,
  onError: 'abort',
  format: 'csv',
  preset: 'steeple',
  source: 'steeple',
  dateOrder: 'mdy',
  columns: [
    { column: 'First Name', field: 'firstName' },
    { column: 'Last Name', field: 'lastName' },
    { column: 'Shoe size', field: null },
  ],
  ignoredColumns: ['Shoe size'],
  rows: 3,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  errorCount: 0,
  errors: [],
  errorsTruncated: false,
  results: [],
  resultsTruncated: false,
  ...over,
});

const failed: ImportPreview = {
  message: '2 row(s) have errors; nothing was imported.',
  report: report({
    errorCount: 3,
    errors: [
      { row: 3, column: 'First Name', message: 'is required' },
      { row: 4, column: null, message: 'duplicates row 2' },
      { row: 4, column: 'Email', message: 'is not an email address' },
    ],
  }),
};
const ready: ImportPreview = {
  report: report({
    created: 2,
    updated: 1,
    results: [
      { row: 2, action: 'created', id: 'a', matchedBy: null },
      { row: 3, action: 'created', id: 'b', matchedBy: null },
      { row: 4, action: 'updated', id: 'c', matchedBy: 'email' },
    ],
  }),
};

describe('import review', () => {
  afterEach(unmount);

  it('lists each error by its line and column and offers no import', async () => {
    let cancelled = 0;
    await render(
      <ImportReview
        fileName="members.csv"
        preview={failed}
        onConfirm={() => {}}
        onCancel={() => cancelled++}
      />,
    );
    await expect.element(page.getByRole('alert')).toHaveTextContent('2 row(s) have errors');
    const errors = page.getByRole('table', { name: 'Rows with errors' });
    await expect.element(errors.getByRole('row')).toHaveLength(4);
    await expect.element(errors.getByRole('row', { name: '3 First Name is required' })).toBeVisible();
    await expect.element(errors.getByRole('row', { name: '4 Email is not an email address' })).toBeVisible();
    await expect.element(page.getByText('ignored: Shoe size')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Confirm import' })).not.toBeInTheDocument();
    await userEvent.click(page.getByRole('button', { name: 'Choose another file' }));
    expect(cancelled).toBe(1);
  });

  it('shows how the columns were read and what would happen, and confirms', async () => {
    let confirmed = 0;
    await render(
      <ImportReview
        fileName="members.csv"
        preview={ready}
        onConfirm={() => confirmed++}
        onCancel={() => {}}
      />,
    );
    await expect.element(page.getByText('2 to add, 1 to update, 0 unchanged.')).toBeVisible();
    await expect.element(page.getByText('First Name → firstName, Last Name → lastName')).toBeVisible();
    const rows = page.getByRole('table', { name: 'Rows to import' });
    await expect.element(rows.getByText('Update')).toBeVisible();
    await userEvent.click(page.getByRole('button', { name: 'Confirm import' }));
    expect(confirmed).toBe(1);
  });
});
