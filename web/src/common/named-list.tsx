import { Anchor, Stack, Table, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

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
      <Table aria-label={props.title} striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            {props.detailLabel && <Table.Th>{props.detailLabel}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.items.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>
                <Anchor component={Link} to={`${props.basePath}/${i.id}`}>
                  {i.name}
                </Anchor>
              </Table.Td>
              {props.detailLabel && <Table.Td>{i.detail}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
