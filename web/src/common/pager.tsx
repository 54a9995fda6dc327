import { Button, Group, Text } from '@mantine/core';

/** Previous / next page buttons for a keyset-paged list. */
export function Pager(props: {
  page: number;
  nextCursor: string | null | undefined;
  onNext: (c: string) => void;
  onPrevious: () => void;
}) {
  const { page, nextCursor } = props;
  if (page === 1 && !nextCursor) return null;
  return (
    <Group justify="flex-end">
      <Text size="sm">Page {page}</Text>
      <Button variant="default" disabled={page === 1} onClick={props.onPrevious}>
        Previous page
      </Button>
      <Button variant="default" disabled={!nextCursor} onClick={() => nextCursor && props.onNext(nextCursor)}>
        Next page
      </Button>
    </Group>
  );
}
