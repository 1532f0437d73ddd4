import {
  Badge,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { ConsoleSettings } from '../../api/console-settings';
import { usePermissions } from '../../auth/me';
import { fieldErrorText, zodRules } from '../../components/forms';
import { formatDate } from '../../i18n/format';
import { LANGUAGES } from '../../i18n/i18n';
import { useLanguage } from '../../i18n/language';
import { type ConsoleForm, consoleFormOf, consoleFormSchema } from './settings-forms';
import { SaveChangesButton } from './SaveChangesButton';
import { useSaveChanges } from './useSaveChanges';

const CONSOLE_FIELDS = ['name', 'language', 'notSeenThresholdHours'] as const;

/** The console's details; super admins change its name, default language and "not seen recently" threshold. */
export function ConsoleSettingsSection({ detail }: { detail: ConsoleSettings['console'] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { superAdmin } = usePermissions();
  const form = useForm<ConsoleForm>({
    defaultValues: consoleFormOf(detail),
    resolver: zodRules(consoleFormSchema),
  });
  const { errors } = form.formState;

  const fieldLabels: Record<keyof ConsoleForm, string> = {
    name: t('settings:console.name'),
    language: t('settings:console.language'),
    notSeenThresholdHours: t('settings:console.notSeenThreshold'),
  };
  const valueText = (field: keyof ConsoleForm, value: unknown) =>
    field === 'language' ? t(`common:language.${String(value)}`) : String(value);
  const { submit, saving, error } = useSaveChanges({
    form,
    saved: consoleFormOf(detail),
    name: detail.name,
    send: (patch) => unwrap(api.PATCH('/api/v1/settings', { body: patch })),
    valuesOf: consoleFormOf,
    fields: CONSOLE_FIELDS,
    fieldLabels,
    valueText,
  });

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="console-settings-title">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <Title order={2} id="console-settings-title">
            {t('settings:console.title')}
          </Title>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('settings:console.kind')}
            </Text>
            <Badge color={detail.kind === 'trial' ? 'yellow' : 'indigo'}>
              {t(`settings:console.kinds.${detail.kind}`)}
            </Badge>
            {detail.kind === 'trial' && detail.trialEndsAt !== null && (
              <Text size="sm" data-testid="trial-ends">
                {t('settings:console.trialEndsAt', {
                  date: formatDate(detail.trialEndsAt, language),
                })}
              </Text>
            )}
            {detail.trialExpired && <Badge color="red">{t('settings:console.trialExpired')}</Badge>}
          </Group>
          <TextInput
            label={t('settings:console.name')}
            readOnly={!superAdmin}
            error={fieldErrorText(t, errors.name)}
            {...form.register('name')}
          />
          <Controller
            control={form.control}
            name="language"
            render={({ field }) => (
              <Select
                label={t('settings:console.language')}
                description={t('settings:console.languageHelp')}
                data={LANGUAGES.map((value) => ({ value, label: t(`common:language.${value}`) }))}
                value={field.value}
                onChange={(value) => value !== null && field.onChange(value)}
                allowDeselect={false}
                readOnly={!superAdmin}
                error={fieldErrorText(t, errors.language)}
              />
            )}
          />
          <Controller
            control={form.control}
            name="notSeenThresholdHours"
            render={({ field }) => (
              <NumberInput
                label={t('settings:console.notSeenThreshold')}
                description={t('settings:console.notSeenThresholdHelp')}
                value={field.value}
                onChange={(value) => field.onChange(typeof value === 'number' ? value : NaN)}
                onBlur={field.onBlur}
                min={1}
                max={24 * 365}
                allowDecimal={false}
                readOnly={!superAdmin}
                error={fieldErrorText(t, errors.notSeenThresholdHours)}
              />
            )}
          />
          {superAdmin ? (
            <SaveChangesButton saving={saving} error={error} />
          ) : (
            <Text size="sm" c="dimmed">
              {t('settings:console.superAdminOnly')}
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
