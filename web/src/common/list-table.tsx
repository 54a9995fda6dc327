import { Table, type TableProps } from '@mantine/core';
import type { Key, ReactNode } from 'react';

/** A column of a list table: its header, and `right` for figures that line up on the right. */
export interface ListColumn {
  label: string;
  right?: boolean;
}

/**
 * A table of records: the header row from `columns` (a `false` entry is a column not shown),
 * one row per record with the cells `row` gives, and `empty` below the table when there are none.
 */
export function ListTable<T>({
  columns,
  rows,
  rowKey,
  row,
  empty,
  ...table
}: Omit<TableProps, 'children'> & {
  columns: readonly (string | ListColumn | false)[];
  rows: readonly T[] | undefined;
  rowKey: (record: T) => Key;
  row: (record: T, index: number) => ReactNode;
  empty?: ReactNode;
}) {
  const shown = columns.flatMap((c) => (c === false ? [] : [typeof c === 'string' ? { label: c } : c]));
  return (
    <>
      <Table {...table}>
        <Table.Thead>
          <Table.Tr>
            {shown.map((c) => (
              <Table.Th key={c.label} ta={c.right ? 'right' : undefined}>
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(rows ?? []).map((r, i) => (
            <Table.Tr key={rowKey(r)}>{row(r, i)}</Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows?.length === 0 && empty}
    </>
  );
}
