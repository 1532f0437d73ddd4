import { Alert, Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { CONSOLE_APP_PATHS } from '@warden/contracts';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { fieldErrorText } from '../../components/forms';
import { PublicLayout } from './PublicLayout';

type RecoveryStep =
  { step: 'email' } | { step: 'question'; recoveryId: string; question: string } | { step: 'sent' };

/**
 * Password recovery (DESIGN §3, journey 5): e-mail → the security question →
 * the answer → a reset link by e-mail. The replies are the same whether the
 * address exists or the answer was right: only the e-mail tells.
 */
export function RecoveryPage() {
  const { t } = useTranslation();
  const [step, setStep] = useState<RecoveryStep>({ step: 'email' });
  return (
    <PublicLayout>
      <Title order={1} size="h2">
        {t('signIn:recovery.title')}
      </Title>
      {step.step === 'email' && (
        <EmailForm
          onQuestion={(recoveryId, question) => setStep({ step: 'question', recoveryId, question })}
        />
      )}
      {step.step === 'question' && (
        <AnswerForm
          recoveryId={step.recoveryId}
          question={step.question}
          onSent={() => setStep({ step: 'sent' })}
        />
      )}
      {step.step === 'sent' && (
        <Alert color="teal" role="status">
          {t('signIn:recovery.sent')}
        </Alert>
      )}
      <Anchor component={Link} to={CONSOLE_APP_PATHS.login} size="sm">
        {t('signIn:recovery.backToLogin')}
      </Anchor>
    </PublicLayout>
  );
}

function EmailForm({ onQuestion }: { onQuestion: (recoveryId: string, question: string) => void }) {
  const { t } = useTranslation();
  const form = useForm({ defaultValues: { email: '' } });
  const start = useMutation({
    mutationFn: (body: { email: string }) => unwrap(api.POST('/api/v1/auth/recovery', { body })),
    onSuccess: ({ recoveryId, question }) => onQuestion(recoveryId, question),
  });
  return (
    <form
      onSubmit={(event) => void form.handleSubmit((values) => start.mutate(values))(event)}
      noValidate
    >
      <Stack>
        <Text>{t('signIn:recovery.intro')}</Text>
        <TextInput
          type="email"
          label={t('signIn:recovery.email')}
          autoComplete="email"
          withAsterisk
          error={fieldErrorText(t, form.formState.errors.email)}
          {...form.register('email', { required: true })}
        />
        <ApiErrorAlert error={start.error} />
        <Button type="submit" loading={start.isPending}>
          {t('actions.continue')}
        </Button>
      </Stack>
    </form>
  );
}

function AnswerForm(props: { recoveryId: string; question: string; onSent: () => void }) {
  const { t } = useTranslation();
  const form = useForm({ defaultValues: { answer: '' } });
  const answer = useMutation({
    mutationFn: (body: { answer: string }) =>
      unwrap(
        api.POST('/api/v1/auth/recovery/{recoveryId}', {
          params: { path: { recoveryId: props.recoveryId } },
          body,
        }),
      ),
    onSuccess: props.onSent,
  });
  return (
    <form
      onSubmit={(event) => void form.handleSubmit((values) => answer.mutate(values))(event)}
      noValidate
    >
      <Stack>
        <Text>{t('signIn:recovery.questionIntro')}</Text>
        <Text fw={600} data-testid="security-question">
          {props.question}
        </Text>
        <TextInput
          label={t('signIn:recovery.answer')}
          autoComplete="off"
          withAsterisk
          error={fieldErrorText(t, form.formState.errors.answer)}
          {...form.register('answer', { required: true })}
        />
        <ApiErrorAlert error={answer.error} />
        <Button type="submit" loading={answer.isPending}>
          {t('signIn:recovery.send')}
        </Button>
      </Stack>
    </form>
  );
}
