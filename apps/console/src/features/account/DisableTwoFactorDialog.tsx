import { Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ME_QUERY_KEY } from '../../auth/me';
import { FormDialog } from '../../components/FormDialog';
import { notifyDone } from '../../components/notify';
import {
  AUTHENTICATOR_CODE_RULES,
  AuthenticatorCodeInput,
  CurrentPasswordInput,
} from '../sign-in/CredentialInputs';

interface DisableValues {
  password: string;
  code: string;
}

/**
 * Turning 2FA off asks for the password and a current code from the app
 * (DESIGN §3, journey 4): a form dialog, shaped like ConfirmDialog.
 */
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
  });
  const close = () => {
    form.reset();
    disable.reset();
    onClose();
  };
  const submit = form.handleSubmit((values) =>
    disable.mutate(values, {
      onSuccess: () => {
        notifyDone(t('signIn:twoFactor.disabled'));
        close();
        void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
      },
    }),
  );
  return (
    <FormDialog
      opened={opened}
      title={t('signIn:twoFactor.disableTitle')}
      submitLabel={t('signIn:twoFactor.disable')}
      destructive
      busy={disable.isPending}
      error={disable.error}
      onSubmit={() => void submit()}
      onClose={close}
    >
      <Text size="sm">{t('signIn:twoFactor.disableText')}</Text>
      <CurrentPasswordInput
        fieldError={errors.password}
        {...form.register('password', { required: true })}
      />
      <AuthenticatorCodeInput
        fieldError={errors.code}
        {...form.register('code', AUTHENTICATOR_CODE_RULES)}
      />
    </FormDialog>
  );
}
