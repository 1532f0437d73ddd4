import {
  Alert,
  Fieldset,
  Group,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import type { FieldError, UseFormReturn } from 'react-hook-form';
import { Controller } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { fieldErrorText } from '../../components/forms';
import type { AdministratorForm, SitePermission, SiteRef } from './administrator-form';

/** A field's message: a conflict by its code (ADMIN_EMAIL_TAKEN), any other rule by name. */
function fieldMessage(t: TFunction, error: FieldError | undefined): string | undefined {
  if (error?.type === 'ADMIN_EMAIL_TAKEN') return t('errors:codes.ADMIN_EMAIL_TAKEN');
  if (error?.type === 'ADMIN_PHONE_TAKEN') return t('errors:codes.ADMIN_PHONE_TAKEN');
  return fieldErrorText(t, error);
}

interface DetailsProps {
  form: UseFormReturn<AdministratorForm>;
  /** Editing: the e-mail is the login id and stays as it is. */
  emailReadOnly?: boolean;
  /** Provider support or oneself: the account type is not changed here. */
  accountTypeLocked?: boolean;
}

/** E-mail, phone, names, language and account type (DESIGN §2's administrator). */
export function AdministratorDetailsFields({
  form,
  emailReadOnly,
  accountTypeLocked,
}: DetailsProps) {
  const { t } = useTranslation();
  const { register, control, formState } = form;
  const errors = formState.errors;
  return (
    <Stack>
      <TextInput
        label={t('administrators:fields.email')}
        type="email"
        autoComplete="off"
        required={!emailReadOnly}
        readOnly={emailReadOnly}
        description={emailReadOnly ? t('administrators:edit.loginId') : undefined}
        error={fieldMessage(t, errors.email)}
        {...register('email')}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('administrators:fields.lastName')}
          description={t('administrators:fields.nameHint')}
          required
          error={fieldMessage(t, errors.lastName)}
          {...register('lastName')}
        />
        <TextInput
          label={t('administrators:fields.firstName')}
          description={t('administrators:fields.nameHint')}
          required
          error={fieldMessage(t, errors.firstName)}
          {...register('firstName')}
        />
      </SimpleGrid>
      <TextInput
        label={t('administrators:fields.phone')}
        type="tel"
        autoComplete="off"
        error={fieldMessage(t, errors.phone)}
        {...register('phone')}
      />
      <Controller
        control={control}
        name="language"
        render={({ field, fieldState }) => (
          <Select
            label={t('administrators:fields.language')}
            description={t('administrators:fields.languageHint')}
            data={[
              { value: 'ja', label: t('language.ja') },
              { value: 'en', label: t('language.en') },
            ]}
            allowDeselect={false}
            value={field.value}
            onChange={(value) => value && field.onChange(value)}
            onBlur={field.onBlur}
            error={fieldMessage(t, fieldState.error)}
          />
        )}
      />
      <Controller
        control={control}
        name="accountType"
        render={({ field, fieldState }) => (
          <Radio.Group
            label={t('administrators:fields.accountType')}
            value={field.value}
            onChange={field.onChange}
            error={fieldMessage(t, fieldState.error)}
          >
            <Stack gap="xs" mt="xs">
              <Radio
                value="super_admin"
                disabled={accountTypeLocked}
                label={t('administrators:accountType.super_admin')}
                description={t('administrators:accountTypeHelp.super_admin')}
              />
              <Radio
                value="admin"
                disabled={accountTypeLocked}
                label={t('administrators:accountType.admin')}
                description={t('administrators:accountTypeHelp.admin')}
              />
            </Stack>
          </Radio.Group>
        )}
      />
    </Stack>
  );
}

const LEVELS: readonly SitePermission[] = ['admin', 'view_only', 'no_access'];

export function useSitePermissionLabel(): (level: SitePermission) => string {
  const { t } = useTranslation();
  const labels: Record<SitePermission, string> = {
    admin: t('administrators:permissions.level.admin'),
    view_only: t('administrators:permissions.level.view_only'),
    no_access: t('administrators:permissions.level.no_access'),
  };
  return (level) => labels[level];
}

interface SitePermissionsProps {
  form: UseFormReturn<AdministratorForm>;
  sites: readonly SiteRef[];
  /** Provider support or oneself: shown, not changed. */
  locked?: boolean;
}

/** Per site: admin, view only or no access; a super admin has every site, which it says. */
export function SitePermissionsFields({ form, sites, locked }: SitePermissionsProps) {
  const { t } = useTranslation();
  const levelLabel = useSitePermissionLabel();
  const accountType = form.watch('accountType');
  if (accountType === 'super_admin') {
    return <Alert color="blue">{t('administrators:permissions.superAdmin')}</Alert>;
  }
  if (sites.length === 0) return <Text c="dimmed">{t('administrators:permissions.noSites')}</Text>;
  return (
    <Fieldset legend={t('administrators:permissions.legend')}>
      <Stack>
        {sites.map((site) => (
          <Controller
            key={site.id}
            control={form.control}
            name={`siteAccess.${site.id}`}
            render={({ field }) => (
              <Radio.Group label={site.name} value={field.value} onChange={field.onChange}>
                <Group mt="xs">
                  {LEVELS.map((level) => (
                    <Radio key={level} value={level} label={levelLabel(level)} disabled={locked} />
                  ))}
                </Group>
              </Radio.Group>
            )}
          />
        ))}
      </Stack>
    </Fieldset>
  );
}
