import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function EndpointsPage() {
  const { t } = useTranslation();
  return <Title order={1}>{t('nav.endpoints')}</Title>;
}
