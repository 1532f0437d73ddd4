import { Button, Group, List, Paper, Stack, Stepper, Text, Title } from '@mantine/core';
import { CONSOLE_APP_PATHS } from '@warden/contracts';
import { useState } from 'react';
import { useForm, type UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/errors';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { applyApiError, zodRules } from '../../components/forms';
import { notifyDone } from '../../components/notify';
import { formatPersonName } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { useAccountTypeLabel } from './AdministratorBadges';
import {
  AdministratorDetailsFields,
  SitePermissionsFields,
  useSitePermissionLabel,
} from './AdministratorFields';
import {
  type AdministratorForm,
  administratorFormSchema,
  conflictFieldOf,
  emptyAdministratorForm,
  FORM_FIELDS,
  INVITE_STEPS,
  type SiteRef,
  STEP_FIELDS,
  stepOfFields,
  toAddRequest,
} from './administrator-form';
import { useInviteAdministrator, useSites } from './administrators-api';

/**
 * Adding an administrator (DESIGN §3 journey 12): details → site
 * permissions → review and save, which sends the invitation e-mail.
 */
export function InviteAdministratorPage() {
  const { t } = useTranslation();
  const sites = useSites();
  return (
    <Stack maw={760}>
      <Title order={1}>{t('administrators:invite.title')}</Title>
      <ApiErrorAlert error={sites.error ?? undefined} />
      {sites.data && <InviteWizard sites={sites.data} />}
    </Stack>
  );
}

function InviteWizard({ sites }: { sites: SiteRef[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { language } = useLanguage();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const invite = useInviteAdministrator(idempotencyKey);
  const [active, setActive] = useState(0);
  /** The save's error that concerns no field: shown beside the save button. */
  const [saveError, setSaveError] = useState<unknown>();
  const form = useForm<AdministratorForm>({
    defaultValues: emptyAdministratorForm(sites, language),
    resolver: zodRules(administratorFormSchema),
    mode: 'onTouched',
  });
  const step = INVITE_STEPS[active]!;
  const last = active === INVITE_STEPS.length - 1;

  const next = async () => {
    if (await form.trigger(STEP_FIELDS[step])) setActive(active + 1);
  };

  /** Each refusal goes under its field, on the step that asks for it. */
  const showSaveError = (error: unknown) => {
    const conflict = conflictFieldOf(error);
    if (conflict !== undefined && error instanceof ApiError) {
      form.setError(conflict, { type: error.code });
      setActive(INVITE_STEPS.indexOf('details'));
      return;
    }
    setSaveError(applyApiError(error, form.setError, FORM_FIELDS));
    const fieldStep = stepOfFields(error instanceof ApiError ? Object.keys(error.fields) : []);
    if (fieldStep !== undefined) setActive(INVITE_STEPS.indexOf(fieldStep));
  };

  const save = async () => {
    setSaveError(undefined);
    if (!(await form.trigger())) {
      setActive(
        INVITE_STEPS.indexOf(stepOfFields(Object.keys(form.formState.errors)) ?? 'details'),
      );
      return;
    }
    const body = toAddRequest(form.getValues());
    invite.mutate(body, {
      onSuccess: (administrator) => {
        notifyDone(t('administrators:invite.sent', { email: administrator.email }));
        void navigate(CONSOLE_APP_PATHS.administrators);
      },
      onError: showSaveError,
    });
  };

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void (last ? save() : next());
      }}
    >
      <Stack>
        <Stepper active={active} allowNextStepsSelect={false} onStepClick={setActive}>
          <Stepper.Step label={t('administrators:steps.details')}>
            <AdministratorDetailsFields form={form} />
          </Stepper.Step>
          <Stepper.Step label={t('administrators:steps.sitePermissions')}>
            <SitePermissionsFields form={form} sites={sites} />
          </Stepper.Step>
          <Stepper.Step label={t('administrators:steps.review')}>
            <InviteReview form={form} sites={sites} />
          </Stepper.Step>
        </Stepper>
        <ApiErrorAlert error={saveError} />
        <Group justify="space-between">
          <Button variant="subtle" component={Link} to={CONSOLE_APP_PATHS.administrators}>
            {t('actions.cancel')}
          </Button>
          <Group>
            {active > 0 && (
              <Button variant="default" onClick={() => setActive(active - 1)}>
                {t('actions.back')}
              </Button>
            )}
            <Button type="submit" loading={invite.isPending}>
              {last ? t('actions.save') : t('actions.next')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

/** What will be saved, in words: the last look before the invitation goes out. */
function InviteReview({
  form,
  sites,
}: {
  form: UseFormReturn<AdministratorForm>;
  sites: SiteRef[];
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const accountType = useAccountTypeLabel();
  const levelLabel = useSitePermissionLabel();
  const values = form.getValues();
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Text fw={600}>
          {formatPersonName(values, language)} ({values.email})
        </Text>
        <Text size="sm">
          {t('administrators:fields.accountType')}: {accountType(values.accountType)}
        </Text>
        {values.accountType === 'super_admin' ? (
          <Text size="sm">{t('administrators:permissions.superAdmin')}</Text>
        ) : (
          <List size="sm">
            {sites.map((site) => (
              <List.Item key={site.id}>
                {t('administrators:permissions.summary', {
                  site: site.name,
                  level: levelLabel(values.siteAccess[site.id] ?? 'no_access'),
                })}
              </List.Item>
            ))}
          </List>
        )}
        <Text size="sm" c="dimmed">
          {t('administrators:invite.reviewIntro', { email: values.email })}
        </Text>
      </Stack>
    </Paper>
  );
}
