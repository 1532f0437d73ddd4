import { Box, Center, Group, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/LanguageSwitch';

/** The frame of the pages before sign-in: the product, the language switch, one card. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Box bg="gray.0" mih="100vh">
      <Group component="header" justify="space-between" px="lg" py="sm">
        <Text fw={700}>{t('product')}</Text>
        <LanguageSwitch />
      </Group>
      <Center component="main" px="md" py="xl">
        <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={520}>
          <Stack>{children}</Stack>
        </Paper>
      </Center>
    </Box>
  );
}
