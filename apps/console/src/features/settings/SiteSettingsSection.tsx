import { Paper, Select, Stack, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { Controller, type FieldError, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Site } from '../../api/console-settings';
import { usePolicies } from '../../api/policies';
import { usePermissions } from '../../auth/me';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { CopyValueButton } from '../../components/CopyValueButton';
import { fieldErrorText, zodRules } from '../../components/forms';
import { formatNumber } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import {
  MAX_REPORT_RECIPIENTS,
  RECIPIENT_FIELD_RENAMES,
  type SiteForm,
  siteFormOf,
  siteFormSchema,
} from './settings-forms';
import { SaveChangesButton } from './SaveChangesButton';
import { useSaveChanges } from './useSaveChanges';

const SITE_FIELDS = ['name', 'comment', 'defaultPolicyId', 'reportRecipients'] as const;

/** A recipient list's error: the rule, and the address that breaks it when there is one. */
function recipientErrorText(t: TFunction, error: FieldError | undefined): string | undefined {
  const problem = fieldErrorText(t, error);
  if (problem === undefined || !error?.message) return problem;
  return t('settings:site.recipientProblem', { address: error.message, problem });
}

/**
 * One site (設定 › エンドポイント): its name, comment, default endpoint policy
 * and report distribution list, which its administrators change; keycode and
 * seats are read-only here (seats change only through the provider).
 */
export function SiteSettingsSection({ site }: { site: Site }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const editable = usePermissions().administers(site.id);
  const policies = usePolicies();
  const policyChoices = policies.data?.map((policy) => ({ value: policy.id, label: policy.name }));
  const form = useForm<SiteForm>({
    defaultValues: siteFormOf(site),
    resolver: zodRules(siteFormSchema),
  });
  const { errors } = form.formState;
  const titleId = `site-${site.id}-title`;

  const policyName = (id: unknown) =>
    policies.data?.find((policy) => policy.id === id)?.name ?? String(id);
  const fieldLabels: Record<keyof SiteForm, string> = {
    name: t('settings:site.name'),
    comment: t('settings:site.comment'),
    defaultPolicyId: t('settings:site.defaultPolicy'),
    reportRecipients: t('settings:site.recipients'),
  };
  const valueText = (field: keyof SiteForm, value: unknown): string => {
    if (field === 'defaultPolicyId') return policyName(value);
    if (Array.isArray(value))
      return value.length === 0 ? t('common:states.none') : value.join(', ');
    return value === '' ? t('common:states.none') : String(value);
  };
  const { submit, saving, error } = useSaveChanges({
    form,
    saved: siteFormOf(site),
    name: site.name,
    send: (patch) =>
      unwrap(
        api.PATCH('/api/v1/sites/{siteId}', { params: { path: { siteId: site.id } }, body: patch }),
      ),
    valuesOf: siteFormOf,
    fields: SITE_FIELDS,
    renames: RECIPIENT_FIELD_RENAMES,
    fieldLabels,
    valueText,
  });

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={titleId}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <Title order={3} id={titleId}>
            {site.name}
          </Title>
          {!editable && (
            <Text size="sm" c="dimmed">
              {t('settings:site.viewOnly')}
            </Text>
          )}
          <TextInput
            label={t('settings:site.name')}
            readOnly={!editable}
            error={fieldErrorText(t, errors.name)}
            {...form.register('name')}
          />
          <TextInput
            label={t('settings:site.keycode')}
            value={site.keycode}
            readOnly
            ff="monospace"
            rightSection={
              <CopyValueButton value={site.keycode} label={t('settings:site.copyKeycode')} />
            }
          />
          <Textarea
            label={t('settings:site.comment')}
            readOnly={!editable}
            autosize
            minRows={2}
            error={fieldErrorText(t, errors.comment)}
            {...form.register('comment')}
          />
          <TextInput
            label={t('settings:site.seats')}
            description={t('settings:site.seatsHelp')}
            value={t('settings:site.seatsUsage', {
              used: formatNumber(site.usage.used, language),
              seats: formatNumber(site.usage.seats, language),
              free: formatNumber(site.usage.free, language),
            })}
            readOnly
          />
          <Controller
            control={form.control}
            name="defaultPolicyId"
            render={({ field }) => (
              <Select
                label={t('settings:site.defaultPolicy')}
                description={t('settings:site.defaultPolicyHelp')}
                data={policyChoices ?? [{ value: field.value, label: field.value }]}
                value={field.value}
                onChange={(value) => value !== null && field.onChange(value)}
                allowDeselect={false}
                readOnly={!editable}
                error={fieldErrorText(t, errors.defaultPolicyId)}
              />
            )}
          />
          <ApiErrorAlert error={policies.error} />
          <Controller
            control={form.control}
            name="reportRecipients"
            render={({ field }) => (
              <TagsInput
                label={t('settings:site.recipients')}
                description={t('settings:site.recipientsHelp', { max: MAX_REPORT_RECIPIENTS })}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                splitChars={[',', ' ', ';']}
                acceptValueOnBlur
                clearable={editable}
                readOnly={!editable}
                error={recipientErrorText(t, errors.reportRecipients as FieldError | undefined)}
              />
            )}
          />
          {editable && <SaveChangesButton saving={saving} error={error} />}
        </Stack>
      </form>
    </Paper>
  );
}
