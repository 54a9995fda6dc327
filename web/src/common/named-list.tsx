import { Anchor, Stack, Table, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ListTable } from './list-table';

/** A titled list of named records, each linking to its page, with a create form above. */
export function NamedList(props: {
  title: string;
  items: readonly { id: string; name: string; detail?: ReactNode }[];
  basePath: string;
  create?: ReactNode;
  detailLabel?: string;
}) {
  return (
    <Stack>
      <Title order={1}>{props.title}</Title>
      {props.create}
      <ListTable
        aria-label={props.title}
        striped
        columns={['Name', props.detailLabel ?? false]}
        rows={props.items}
        rowKey={(i) => i.id}
        row={(i) => (
          <>
            <Table.Td>
              <Anchor component={Link} to={`${props.basePath}/${i.id}`}>
                {i.name}
              </Anchor>
            </Table.Td>
            {props.detailLabel && <Table.Td>{i.detail}</Table.Td>}
          </>
        )}
      />
    </Stack>
  );
}
