import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';

/**
 * A section of the dashboard that lists a few rows: its title (naming the
 * section), the read's error, and either a note that there is nothing or
 * the table under its column headers.
 */
export function DashboardTable(props: {
  title: string;
  error: unknown;
  /** The read succeeded with no rows. */
  empty: boolean;
  emptyText: string;
  columns: readonly string[];
  /** The rows (`<Table.Tr>`). */
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <Paper component="section" aria-labelledby={titleId} withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h3" id={titleId}>
          {props.title}
        </Title>
        <ApiErrorAlert error={props.error} />
        {props.empty ? (
          <Text c="dimmed">{props.emptyText}</Text>
        ) : (
          <Table.ScrollContainer minWidth={520}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  {props.columns.map((column) => (
                    <Table.Th key={column}>{column}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>{props.children}</Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
