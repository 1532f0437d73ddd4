import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { CONSOLE_APP_PATHS } from '@warden/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Me, useMe } from '../../auth/me';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatPersonName } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { DisableTwoFactorDialog } from './DisableTwoFactorDialog';

/** マイアカウント: who I am, my language, and my two-factor authentication. */
export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Stack>
      <Title order={1}>{t('nav.account')}</Title>
      <ApiErrorAlert error={me.error} />
      {me.isPending && <Text>{t('states.loading')}</Text>}
      {me.data && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Profile me={me.data} />
          <TwoFactor me={me.data} />
        </SimpleGrid>
      )}
    </Stack>
  );
}

function Profile({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const rows: [string, string][] = [
    [t('signIn:account.name'), formatPersonName(me, language)],
    [t('signIn:account.email'), me.email],
    [t('signIn:account.phone'), me.phone ?? t('states.none')],
    [t('signIn:account.console'), me.consoleName],
    [t('signIn:account.accountType'), t(`signIn:account.accountTypes.${me.accountType}`)],
    [t('signIn:account.language'), t(`language.${me.language}`)],
  ];
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {t('signIn:account.profile')}
      </Title>
      <dl>
        {rows.map(([term, value]) => (
          <Group key={term} gap="xs" wrap="nowrap" mb={6} align="baseline">
            <Text component="dt" size="sm" c="dimmed" w={160}>
              {term}
            </Text>
            <Text component="dd" m={0}>
              {value}
            </Text>
          </Group>
        ))}
      </dl>
      <Text size="sm" c="dimmed">
        {t('signIn:account.languageHint')}
      </Text>
    </Card>
  );
}

/** 2FA on or not, and the way to change it; the badge's shades read at WCAG AA contrast. */
function TwoFactor({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [disabling, setDisabling] = useState(false);
  const enabled = me.twoFactor === 'enabled';
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('signIn:twoFactor.title')}
        </Title>
        <Badge color={enabled ? 'teal' : 'gray'} data-testid="two-factor-status">
          {enabled ? t('states.enabled') : t('signIn:twoFactor.notSetUp')}
        </Badge>
      </Group>
      <Text size="sm" mb="md">
        {enabled ? t('signIn:twoFactor.enabledText') : t('signIn:twoFactor.notSetUpText')}
      </Text>
      {enabled ? (
        <Button color="red" variant="light" onClick={() => setDisabling(true)}>
          {t('signIn:twoFactor.disable')}
        </Button>
      ) : (
        <Button component={Link} to={CONSOLE_APP_PATHS.twoFactorSetup}>
          {t('signIn:offer.setUp')}
        </Button>
      )}
      <DisableTwoFactorDialog opened={disabling} onClose={() => setDisabling(false)} />
    </Card>
  );
}
