import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render, unmount } from '../testing/render';
import { type ImportPreview, ImportReview } from './import-review';

const failed: ImportPreview = {
  ok: false,
  created: 0,
  updated: 0,
  unchanged: 0,
  message: '2 row(s) have errors; nothing was imported.',
  rows: [
    { row: 2, status: 'ok', errors: [] },
    { row: 3, status: 'error', errors: ['firstName is required'] },
    { row: 4, status: 'error', errors: ['duplicates row 2', 'email is not valid'] },
  ],
};
const ready: ImportPreview = {
  ok: true,
  created: 2,
  updated: 1,
  unchanged: 0,
  rows: [
    { row: 2, status: 'created', errors: [] },
    { row: 3, status: 'created', errors: [] },
    { row: 4, status: 'updated', errors: [] },
  ],
};

describe('import review', () => {
  afterEach(unmount);

  it('lists each row in error by its line and offers no import', async () => {
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
    await expect.element(errors.getByRole('row')).toHaveLength(3);
    await expect.element(errors.getByRole('cell', { name: '3', exact: true })).toBeVisible();
    await expect
      .element(errors.getByRole('cell', { name: 'duplicates row 2; email is not valid' }))
      .toBeVisible();
    await expect.element(errors.getByRole('cell', { name: '2', exact: true })).not.toBeInTheDocument();
    await expect.element(page.getByRole('button', { name: 'Confirm import' })).not.toBeInTheDocument();
    await userEvent.click(page.getByRole('button', { name: 'Choose another file' }));
    expect(cancelled).toBe(1);
  });

  it('shows what would happen and confirms', async () => {
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
    const rows = page.getByRole('table', { name: 'Rows to import' });
    await expect.element(rows.getByText('Update')).toBeVisible();
    await userEvent.click(page.getByRole('button', { name: 'Confirm import' }));
    expect(confirmed).toBe(1);
  });
});
