import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { EndpointRow } from './queries';

/** An endpoint's effective policy and where it comes from (its own, its group's, its site's). */
export function PolicyName({ policy }: { policy: EndpointRow['policy'] }) {
  const { t } = useTranslation();
  return (
    <Stack gap={0}>
      <Text size="sm">{policy.name}</Text>
      <Text size="xs" c="dimmed">
        {t(`endpoints:policySource.${policy.source}`)}
      </Text>
    </Stack>
  );
}
