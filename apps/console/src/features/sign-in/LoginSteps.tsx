import { Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { CONSOLE_APP_PATHS } from '@warden/contracts';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fieldErrorText } from '../../components/forms';
import {
  AUTHENTICATOR_CODE_RULES,
  AuthenticatorCodeInput,
  CurrentPasswordInput,
} from './CredentialInputs';
import { securityCodeCharacters } from './loginFlow';

interface StepProps<V> {
  busy: boolean;
  onSubmit: (values: V) => void;
}

/** Step 1: e-mail address or phone number, and the password. */
export function CredentialsForm({
  busy,
  onSubmit,
}: StepProps<{ login: string; password: string }>) {
  const { t } = useTranslation();
  const form = useForm({ defaultValues: { login: '', password: '' } });
  const { errors } = form.formState;
  return (
    <form onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
      <Stack>
        <TextInput
          label={t('signIn:login.login')}
          description={t('signIn:login.loginHint')}
          autoComplete="username"
          withAsterisk
          error={fieldErrorText(t, errors.login)}
          {...form.register('login', { required: true })}
        />
        <CurrentPasswordInput
          fieldError={errors.password}
          {...form.register('password', { required: true })}
        />
        <Button type="submit" loading={busy}>
          {t('signIn:login.submit')}
        </Button>
        <Anchor component={Link} to={CONSOLE_APP_PATHS.recovery} size="sm">
          {t('signIn:login.forgotPassword')}
        </Anchor>
      </Stack>
    </form>
  );
}

/**
 * Step 2: the two characters of the personal security code the server
 * asked for, one box each, each box named by its position.
 */
export function SecurityCodeForm({
  positions: [first, second],
  busy,
  onSubmit,
  onStartOver,
}: StepProps<{ characters: string }> & { positions: [number, number]; onStartOver: () => void }) {
  const { t } = useTranslation();
  const form = useForm({ defaultValues: { first: '', second: '' } });
  const { errors } = form.formState;
  const submit = form.handleSubmit(({ first: a, second: b }) =>
    onSubmit({ characters: securityCodeCharacters(a, b) }),
  );
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack>
        <Text>{t('signIn:securityCode.instructions', { first, second })}</Text>
        <Group grow align="flex-start">
          <PasswordInput
            label={t('signIn:securityCode.position', { position: first })}
            maxLength={1}
            autoComplete="off"
            autoFocus
            withAsterisk
            error={fieldErrorText(t, errors.first)}
            {...form.register('first', { required: true })}
          />
          <PasswordInput
            label={t('signIn:securityCode.position', { position: second })}
            maxLength={1}
            autoComplete="off"
            withAsterisk
            error={fieldErrorText(t, errors.second)}
            {...form.register('second', { required: true })}
          />
        </Group>
        <Button type="submit" loading={busy}>
          {t('signIn:securityCode.submit')}
        </Button>
        <StartOver onClick={onStartOver} />
      </Stack>
    </form>
  );
}

/** Step 3 (2FA on): the app's current 6-digit code, or one of the one-time recovery codes. */
export function TotpForm({
  busy,
  onSubmit,
  onStartOver,
}: StepProps<{ code: string } | { recoveryCode: string }> & { onStartOver: () => void }) {
  const { t } = useTranslation();
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const form = useForm({ defaultValues: { code: '', recoveryCode: '' } });
  const { errors } = form.formState;
  const submit = form.handleSubmit(({ code, recoveryCode }) =>
    onSubmit(useRecoveryCode ? { recoveryCode: recoveryCode.trim() } : { code: code.trim() }),
  );
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack>
        <Text>
          {useRecoveryCode ? t('signIn:totp.recoveryInstructions') : t('signIn:totp.instructions')}
        </Text>
        {useRecoveryCode ? (
          <TextInput
            key="recovery"
            label={t('signIn:totp.recoveryCode')}
            autoComplete="off"
            autoFocus
            withAsterisk
            error={fieldErrorText(t, errors.recoveryCode)}
            {...form.register('recoveryCode', { required: true })}
          />
        ) : (
          <AuthenticatorCodeInput
            key="code"
            autoFocus
            fieldError={errors.code}
            {...form.register('code', AUTHENTICATOR_CODE_RULES)}
          />
        )}
        <Button type="submit" loading={busy}>
          {t('signIn:totp.submit')}
        </Button>
        <Group justify="space-between">
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => setUseRecoveryCode((on) => !on)}
          >
            {useRecoveryCode ? t('signIn:totp.useCode') : t('signIn:totp.useRecoveryCode')}
          </Anchor>
          <StartOver onClick={onStartOver} />
        </Group>
      </Stack>
    </form>
  );
}

function StartOver({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Anchor component="button" type="button" size="sm" onClick={onClick}>
      {t('signIn:login.startOver')}
    </Anchor>
  );
}

/** Signed in without 2FA: the offer to set it up now, or later. */
export function TwoFactorOffer({ onSetUp, onSkip }: { onSetUp: () => void; onSkip: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Text>{t('signIn:offer.body')}</Text>
      <Group grow>
        <Button onClick={onSetUp}>{t('signIn:offer.setUp')}</Button>
        <Button variant="default" onClick={onSkip}>
          {t('signIn:offer.skip')}
        </Button>
      </Group>
    </Stack>
  );
}
