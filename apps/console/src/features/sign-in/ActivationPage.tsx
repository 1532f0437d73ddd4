import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { CONSOLE_APP_PATHS } from '@warden/contracts';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, type Reply, unwrap } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { applyApiError, fieldErrorText, zodRules } from '../../components/forms';
import { formatDateTime } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { activationSchema, type ActivationValues, RULE_LIMITS } from './credentials';
import { PasswordChecklist } from './PasswordChecklist';
import { PublicLayout } from './PublicLayout';

type ActivationView = Reply<'/api/v1/activation/{token}', 'get'>;

const FIELDS = [
  'temporaryPassword',
  'password',
  'securityCode',
  'securityQuestion',
  'securityAnswer',
] as const;

/** アカウントの作成: the link from the activation e-mail registers the invited administrator. */
export function ActivationPage() {
  const { t } = useTranslation();
  const token = useParams()['token'] ?? '';
  const [registered, setRegistered] = useState(false);
  const view = useQuery({
    queryKey: ['activation', token],
    queryFn: () => unwrap(api.GET('/api/v1/activation/{token}', { params: { path: { token } } })),
    retry: false,
  });

  return (
    <PublicLayout>
      <Title order={1} size="h2">
        {registered ? t('signIn:activation.doneTitle') : t('signIn:activation.title')}
      </Title>
      {view.isPending && <Text>{t('states.loading')}</Text>}
      <ApiErrorAlert error={view.error} />
      {view.isError && (
        <Anchor component={Link} to={CONSOLE_APP_PATHS.login}>
          {t('signIn:activation.toLogin')}
        </Anchor>
      )}
      {view.data &&
        (registered ? (
          <Registered />
        ) : (
          <RegistrationForm token={token} view={view.data} onDone={() => setRegistered(true)} />
        ))}
    </PublicLayout>
  );
}

function Registered() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Alert color="teal" role="status">
        {t('signIn:activation.done')}
      </Alert>
      <Button component={Link} to={CONSOLE_APP_PATHS.login}>
        {t('signIn:activation.toLogin')}
      </Button>
    </Stack>
  );
}

function RegistrationForm({
  token,
  view,
  onDone,
}: {
  token: string;
  view: ActivationView;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const form = useForm<ActivationValues>({
    resolver: zodRules(activationSchema(view.email)),
    defaultValues: {
      temporaryPassword: '',
      password: '',
      securityCode: '',
      securityQuestion: '',
      securityAnswer: '',
    },
  });
  const { errors } = form.formState;
  // A link error (expired, used, locked…) concerns the page, not a field.
  const [pageError, setPageError] = useState<unknown>();
  const register = useMutation({
    mutationFn: (body: ActivationValues) =>
      unwrap(api.POST('/api/v1/activation/{token}', { params: { path: { token } }, body })),
    onMutate: () => setPageError(undefined),
    onSuccess: onDone,
    onError: (error) => setPageError(applyApiError(error, form.setError, FIELDS)),
  });
  const password = form.watch('password');

  return (
    <form
      onSubmit={(event) => void form.handleSubmit((values) => register.mutate(values))(event)}
      noValidate
    >
      <Stack>
        <Text>
          {t('signIn:activation.intro', {
            consoleName: view.consoleName,
            email: view.email,
          })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('signIn:activation.expires', {
            expiresAt: formatDateTime(view.expiresAt, language, t),
          })}
        </Text>
        <ApiErrorAlert error={pageError} />
        <PasswordInput
          label={t('signIn:activation.temporaryPassword')}
          description={t('signIn:activation.temporaryPasswordHint')}
          autoComplete="off"
          withAsterisk
          error={fieldErrorText(t, errors.temporaryPassword)}
          {...form.register('temporaryPassword')}
        />
        <PasswordInput
          label={t('signIn:activation.password')}
          autoComplete="new-password"
          withAsterisk
          error={fieldErrorText(t, errors.password)}
          {...form.register('password')}
        />
        <PasswordChecklist password={password} email={view.email} />
        <PasswordInput
          label={t('signIn:activation.securityCode')}
          description={t('signIn:activation.securityCodeHint', RULE_LIMITS)}
          autoComplete="off"
          withAsterisk
          error={fieldErrorText(t, errors.securityCode)}
          {...form.register('securityCode')}
        />
        <TextInput
          label={t('signIn:activation.securityQuestion')}
          description={t('signIn:activation.securityQuestionHint')}
          withAsterisk
          error={fieldErrorText(t, errors.securityQuestion)}
          {...form.register('securityQuestion')}
        />
        <TextInput
          label={t('signIn:activation.securityAnswer')}
          autoComplete="off"
          withAsterisk
          error={fieldErrorText(t, errors.securityAnswer)}
          {...form.register('securityAnswer')}
        />
        <Button type="submit" loading={register.isPending}>
          {t('signIn:activation.submit')}
        </Button>
      </Stack>
    </form>
  );
}
