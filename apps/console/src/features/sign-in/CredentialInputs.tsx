import {
  PasswordInput,
  type PasswordInputProps,
  TextInput,
  type TextInputProps,
} from '@mantine/core';
import type { Ref } from 'react';
import type { FieldError } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { fieldErrorText } from '../../components/forms';

/** The rules of an authenticator app's code, for `register('code', AUTHENTICATOR_CODE_RULES)`. */
export const AUTHENTICATOR_CODE_RULES = { required: true, pattern: /^[0-9]{6}$/ };

/**
 * The current 6-digit code of the authenticator app (login, 2FA set-up and
 * turning 2FA off ask for it alike): numeric keyboard, the browser's
 * one-time-code autofill, its rule's error in the console's words.
 */
export function AuthenticatorCodeInput({
  fieldError,
  ...props
}: TextInputProps & { ref?: Ref<HTMLInputElement>; fieldError: FieldError | undefined }) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={t('signIn:totp.code')}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      withAsterisk
      error={fieldErrorText(t, fieldError)}
      {...props}
    />
  );
}

/** The administrator's password as it is now (login, and turning 2FA off), for the browser's password manager. */
export function CurrentPasswordInput({
  fieldError,
  ...props
}: PasswordInputProps & { ref?: Ref<HTMLInputElement>; fieldError: FieldError | undefined }) {
  const { t } = useTranslation();
  return (
    <PasswordInput
      label={t('signIn:login.password')}
      autoComplete="current-password"
      withAsterisk
      error={fieldErrorText(t, fieldError)}
      {...props}
    />
  );
}
