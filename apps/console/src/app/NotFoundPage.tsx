import { Anchor, Stack, Title } from '@mantine/core';
import { CONSOLE_APP_PATHS } from '@warden/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1}>{t('notFound.title')}</Title>
      <Anchor component={Link} to={CONSOLE_APP_PATHS.dashboard}>
        {t('notFound.back')}
      </Anchor>
    </Stack>
  );
}
