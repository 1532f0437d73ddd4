import { Alert, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { CONSOLE_APP_PATHS } from '@warden/contracts';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/errors';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { applyApiError, zodRules } from '../../components/forms';
import { useMe } from '../../auth/me';
import { notifyDone } from '../../components/notify';
import { formatDateTime, formatPersonName } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { AdministratorActionButtons } from './AdministratorActionMenu';
import {
  IdentityBadges,
  StateBadge,
  TwoFactorBadge,
  useAccountTypeLabel,
} from './AdministratorBadges';
import { AdministratorDetailsFields, SitePermissionsFields } from './AdministratorFields';
import {
  type Administrator,
  type AdministratorForm,
  administratorFormSchema,
  conflictFieldOf,
  editFormOf,
  FORM_FIELDS,
  type SiteRef,
  toUpdateRequest,
} from './administrator-form';
import { useAdministrator, useSites, useUpdateAdministrator } from './administrators-api';
import { PendingInvitation } from './PendingInvitation';

/** One administrator: their details, account type and site permissions, and the list's actions. */
export function AdministratorPage() {
  const { t } = useTranslation();
  const { administratorId = '' } = useParams();
  const administrator = useAdministrator(administratorId);
  const sites = useSites();
  const error = administrator.error ?? sites.error;
  return (
    <Stack maw={760}>
      {administrator.data && sites.data ? (
        <AdministratorEditor administrator={administrator.data} sites={sites.data} />
      ) : (
        <>
          <Title order={1}>{t('administrators:list.title')}</Title>
          {error ? <ApiErrorAlert error={error} /> : <Loader aria-label={t('states.loading')} />}
        </>
      )}
    </Stack>
  );
}

function AdministratorEditor({
  administrator,
  sites,
}: {
  administrator: Administrator;
  sites: SiteRef[];
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const navigate = useNavigate();
  const me = useMe();
  const update = useUpdateAdministrator(administrator.id);
  const [saveError, setSaveError] = useState<unknown>();
  const self = administrator.id === me.data?.id;
  const providerSupport = administrator.kind === 'provider_support';
  // The API refuses these (CANNOT_CHANGE_SELF, PROVIDER_SUPPORT_PROTECTED): they are shown, not offered.
  const accessLocked = self || providerSupport;
  const accountType = useAccountTypeLabel();
  const name = formatPersonName(administrator, language);
  const form = useForm<AdministratorForm>({
    values: { email: administrator.email, ...editFormOf(administrator, sites) },
    resolver: zodRules(administratorFormSchema),
    mode: 'onTouched',
  });

  const save = form.handleSubmit(() => {
    setSaveError(undefined);
    update.mutate(toUpdateRequest(administrator, form.getValues()), {
      onSuccess: (saved) =>
        notifyDone(t('administrators:edit.saved', { name: formatPersonName(saved, language) })),
      onError: (error) => {
        const conflict = conflictFieldOf(error);
        if (conflict !== undefined && error instanceof ApiError) {
          form.setError(conflict, { type: error.code });
        } else {
          setSaveError(applyApiError(error, form.setError, FORM_FIELDS));
        }
      },
    });
  });

  return (
    <>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{name}</Title>
          <Group gap="xs">
            <Text size="sm">{accountType(administrator.accountType)}</Text>
            <StateBadge state={administrator.state} />
            <TwoFactorBadge twoFactor={administrator.twoFactor} />
            <IdentityBadges administrator={administrator} self={self} />
          </Group>
          <Text size="xs" c="dimmed">
            {t('administrators:edit.created', {
              date: formatDateTime(administrator.createdAt, language, t),
            })}
          </Text>
        </Stack>
        <AdministratorActionButtons
          administrator={administrator}
          meId={me.data?.id}
          onDone={(action) => {
            if (action === 'delete') void navigate(CONSOLE_APP_PATHS.administrators);
          }}
        />
      </Group>
      {administrator.state === 'invited' && <PendingInvitation administrator={administrator} />}
      <form noValidate onSubmit={(event) => void save(event)}>
        <Stack>
          <Paper withBorder p="md">
            <AdministratorDetailsFields
              form={form}
              emailReadOnly
              accountTypeLocked={accessLocked}
            />
          </Paper>
          {accessLocked && (
            <Alert color="gray">
              {self
                ? t('administrators:edit.selfLocked')
                : t('administrators:edit.providerSupportLocked')}
            </Alert>
          )}
          <SitePermissionsFields form={form} sites={sites} locked={accessLocked} />
          <ApiErrorAlert error={saveError} />
          <Group justify="flex-end">
            <Button variant="default" component={Link} to={CONSOLE_APP_PATHS.administrators}>
              {t('actions.back')}
            </Button>
            <Button type="submit" loading={update.isPending}>
              {t('actions.saveChanges')}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
