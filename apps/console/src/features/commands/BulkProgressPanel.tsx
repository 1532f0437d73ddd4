import { Affix, CloseButton, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ENDPOINTS_QUERY_KEY } from '../../api/endpoints';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatNumber } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { CommandStateBadge } from './CommandStateBadge';
import { COMMANDS_QUERY_KEY, useBulk } from './command-queries';
import { bulkProgress } from './command-spec';

/**
 * A bulk command's progress, read again until every command ended: the
 * lag between sending and the agents' acknowledgements is normal (each
 * endpoint receives it at its next check-in), so the panel stays in a corner
 * while the administrator works on.
 */
export function BulkProgressPanel({ bulkId, onClose }: { bulkId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const titleId = useId();
  const bulk = useBulk(bulkId);
  useRefreshOnProgress(bulk.data?.states);
  const progress = bulk.data && bulkProgress(bulk.data);
  const number = (value: number) => formatNumber(value, language);

  return (
    <Affix position={{ bottom: 20, right: 20 }}>
      <Paper
        component="section"
        aria-labelledby={titleId}
        withBorder
        shadow="md"
        p="md"
        w={380}
        data-testid="command-progress"
      >
        <Stack gap="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Title order={2} size="h5" id={titleId}>
              {t('commands:progress.title', {
                command: bulk.data ? t(`commands:types.${bulk.data.type}`) : '',
              })}
            </Title>
            <CloseButton onClick={onClose} aria-label={t('actions.close')} />
          </Group>
          <ApiErrorAlert error={bulk.error} />
          {progress && (
            <>
              <Progress
                value={progress.percent}
                color={progress.complete ? 'green' : 'blue'}
                aria-label={t('commands:progress.bar')}
                animated={!progress.complete}
              />
              <Text size="sm">
                {t('commands:progress.summary', {
                  finished: number(progress.finished),
                  total: number(progress.total),
                })}
              </Text>
              <Group gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {progress.states.map(({ state, count }) => (
                  <li key={state} data-state={state}>
                    <Group gap={4} wrap="nowrap">
                      <CommandStateBadge state={state} />
                      <Text size="sm">{number(count)}</Text>
                    </Group>
                  </li>
                ))}
              </Group>
              <Text size="xs" c="dimmed" role="status">
                {progress.complete
                  ? t('commands:progress.complete')
                  : t('commands:progress.waiting')}
              </Text>
            </>
          )}
        </Stack>
      </Paper>
    </Affix>
  );
}

/**
 * When a bulk's counts move, the command histories and the endpoints
 * (a deactivation changes their status) on screen are stale: read them again.
 */
function useRefreshOnProgress(states: object | undefined) {
  const queryClient = useQueryClient();
  const counts = JSON.stringify(states ?? null);
  useEffect(() => {
    void queryClient.invalidateQueries({
      predicate: ({ queryKey }) =>
        (queryKey[0] === COMMANDS_QUERY_KEY[0] && queryKey[1] !== 'bulk') ||
        queryKey[0] === ENDPOINTS_QUERY_KEY[0],
    });
  }, [counts, queryClient]);
}
