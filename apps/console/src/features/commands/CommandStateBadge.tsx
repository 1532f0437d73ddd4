import { Badge } from '@mantine/core';
import type { CommandState } from '@warden/contracts';
import { useTranslation } from 'react-i18next';
import { STATE_COLORS } from './command-spec';

export function CommandStateBadge({ state }: { state: CommandState }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATE_COLORS[state]} variant="light">
      {t(`commands:states.${state}`)}
    </Badge>
  );
}
