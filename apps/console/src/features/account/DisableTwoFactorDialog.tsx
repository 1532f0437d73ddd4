import { PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ME_QUERY_KEY } from '../../auth/me';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { fieldErrorText } from '../../components/forms';

interface DisableValues {
  password: string;
  code: string;
}

/** Turning 2FA off asks for the password and a current code from the app (DESIGN §3, journey 4). */
export function DisableTwoFactorDialog({
  opened,
  onClose,
}: {
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<DisableValues>({ defaultValues: { password: '', code: '' } });
  const { errors } = form.formState;
  const disable = useMutation({
    mutationFn: (body: DisableValues) => unwrap(api.POST('/api/v1/me/2fa/disable', { body })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
      notifications.show({ color: 'teal', message: t('signIn:twoFactor.disabled') });
      close();
    },
  });
  const close = () => {
    form.reset();
    disable.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      opened={opened}
      title={t('signIn:twoFactor.disableTitle')}
      confirmLabel={t('signIn:twoFactor.disable')}
      destructive
      busy={disable.isPending}
      error={disable.error}
      onConfirm={() => void form.handleSubmit((values) => disable.mutate(values))()}
      onClose={close}
    >
      <Stack>
        <Text size="sm">{t('signIn:twoFactor.disableText')}</Text>
        <PasswordInput
          label={t('signIn:login.password')}
          autoComplete="current-password"
          withAsterisk
          error={fieldErrorText(t, errors.password)}
          {...form.register('password', { required: true })}
        />
        <TextInput
          label={t('signIn:totp.code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          withAsterisk
          error={fieldErrorText(t, errors.code)}
          {...form.register('code', { required: true, pattern: /^[0-9]{6}$/ })}
        />
      </Stack>
    </ConfirmDialog>
  );
}
