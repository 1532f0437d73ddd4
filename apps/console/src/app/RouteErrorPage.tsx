import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * What a page shows when it cannot be drawn: typically its module could not
 * be loaded, because the console was updated since this tab opened (the old
 * assets are gone). Reloading fetches the new console.
 */
export function RouteErrorPage() {
  const { t } = useTranslation();
  return (
    <Center mih="60vh" p="md">
      <Stack align="center" maw={480}>
        <Title order={1}>{t('pageError.title')}</Title>
        <Text ta="center">{t('pageError.body')}</Text>
        <Button onClick={() => window.location.reload()}>{t('pageError.reload')}</Button>
      </Stack>
    </Center>
  );
}
