import { Table, Text } from '@mantine/core';
import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { render, unmount } from '../testing/render';
import { ListTable } from './list-table';

const funds = [
  { id: 'f1', name: 'General', cents: 1200 },
  { id: 'f2', name: 'Building', cents: 50 },
];

const fundTable = (rows: typeof funds | undefined, canWrite: boolean) => (
  <ListTable
    aria-label="Funds"
    columns={['Fund', { label: 'Total', right: true }, canWrite && 'Actions']}
    rows={rows}
    rowKey={(f) => f.id}
    row={(f, i) => (
      <>
        <Table.Td>
          {i + 1}. {f.name}
        </Table.Td>
        <Table.Td ta="right">{f.cents}</Table.Td>
        {canWrite && <Table.Td>Remove</Table.Td>}
      </>
    )}
    empty={<Text>No funds yet.</Text>}
  />
);

describe('list table', () => {
  afterEach(unmount);

  it('draws the header from the columns, leaving out the ones not shown, and a row per record', async () => {
    await render(fundTable(funds, false));
    const table = page.getByRole('table', { name: 'Funds' });
    await expect.element(table.getByRole('row', { name: 'Fund Total', exact: true })).toBeVisible();
    await expect.element(table.getByText('Total', { exact: true })).toHaveStyle({ textAlign: 'right' });
    await expect.element(table.getByRole('row', { name: '2. Building 50' })).toBeVisible();
    await expect.element(table.getByRole('row')).toHaveLength(3);
    await expect.element(page.getByText('No funds yet.')).not.toBeInTheDocument();

    await render(fundTable(funds, true));
    await expect.element(page.getByRole('row', { name: 'Fund Total Actions', exact: true })).toBeVisible();
  });

  it('says so when there are no records, but not while they are loading', async () => {
    await render(fundTable([], true));
    await expect.element(page.getByText('No funds yet.')).toBeVisible();
    await render(fundTable(undefined, true));
    await expect.element(page.getByRole('table', { name: 'Funds' })).toBeVisible();
    await expect.element(page.getByText('No funds yet.')).not.toBeInTheDocument();
  });
});
