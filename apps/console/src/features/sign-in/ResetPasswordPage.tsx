import { Button, PasswordInput, Stack, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { CONSOLE_APP_PATHS } from '@warden/contracts';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { applyApiError, fieldErrorText, zodRules } from '../../components/forms';
import { newPasswordSchema, type NewPasswordValues } from './credentials';
import { PasswordChecklist } from './PasswordChecklist';
import { PublicLayout } from './PublicLayout';

/** The link from the reset e-mail: a new password (twice), then the login page. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const token = useParams()['token'] ?? '';
  const form = useForm<NewPasswordValues>({
    resolver: zodRules(newPasswordSchema),
    defaultValues: { password: '', confirmation: '' },
  });
  const { errors } = form.formState;
  // A link error (unknown, expired, used) concerns the page, not the field.
  const [pageError, setPageError] = useState<unknown>();
  const reset = useMutation({
    mutationFn: ({ password }: NewPasswordValues) =>
      unwrap(
        api.POST('/api/v1/auth/reset/{token}', { params: { path: { token } }, body: { password } }),
      ),
    onMutate: () => setPageError(undefined),
    onSuccess: () =>
      void navigate(CONSOLE_APP_PATHS.login, { replace: true, state: { passwordReset: true } }),
    onError: (error) => setPageError(applyApiError(error, form.setError, ['password'])),
  });

  return (
    <PublicLayout>
      <Title order={1} size="h2">
        {t('signIn:reset.title')}
      </Title>
      <form
        onSubmit={(event) => void form.handleSubmit((values) => reset.mutate(values))(event)}
        noValidate
      >
        <Stack>
          <ApiErrorAlert error={pageError} />
          <PasswordInput
            label={t('signIn:reset.password')}
            autoComplete="new-password"
            withAsterisk
            error={fieldErrorText(t, errors.password)}
            {...form.register('password')}
          />
          <PasswordChecklist password={form.watch('password')} />
          <PasswordInput
            label={t('signIn:reset.confirmation')}
            autoComplete="new-password"
            withAsterisk
            error={fieldErrorText(t, errors.confirmation)}
            {...form.register('confirmation')}
          />
          <Button type="submit" loading={reset.isPending}>
            {t('signIn:reset.submit')}
          </Button>
        </Stack>
      </form>
    </PublicLayout>
  );
}
