import { Alert, Button, Group, Stack, Stepper, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CONSOLE_APP_PATHS } from '@warden/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, type Reply, unwrap } from '../../api/client';
import { ME_QUERY_KEY, useMe } from '../../auth/me';
import { notifyDone } from '../../components/notify';
import { AppStep, ConfirmCodeStep, QuestionsStep, RecoveryCodesStep } from './TwoFactorSetupSteps';
import { cancellable, SETUP_STEPS, type SetupStep, setupAnswers } from './twoFactorSetup';

type Setup = Reply<'/api/v1/me/2fa/setup', 'post'>;

/**
 * 2段階認証 setup (DESIGN §3, journey 4): two more security questions → the
 * app's secret as a QR code → a code from the app confirms it → the one-time
 * recovery codes. Nothing changes on the account before the confirmation, and
 * cancelling throws the started setup away.
 */
export function TwoFactorSetupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMe();
  const [step, setStep] = useState<SetupStep>('questions');
  const [setup, setSetup] = useState<Setup>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>([]);

  const toAccount = () => void navigate(CONSOLE_APP_PATHS.account);
  const start = useMutation({
    mutationFn: (answers: ReturnType<typeof setupAnswers>) =>
      unwrap(api.POST('/api/v1/me/2fa/setup', { body: { answers } })),
    onSuccess: (started) => {
      setSetup(started);
      setStep('app');
    },
  });
  const confirm = useMutation({
    mutationFn: ({ setupId, code }: { setupId: string; code: string }) =>
      unwrap(
        api.POST('/api/v1/me/2fa/setup/{setupId}/confirm', {
          params: { path: { setupId } },
          body: { code },
        }),
      ),
    onSuccess: async (reply) => {
      setRecoveryCodes(reply.recoveryCodes);
      setStep('codes');
      await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    },
  });
  const cancel = useMutation({
    mutationFn: (setupId: string) =>
      unwrap(api.DELETE('/api/v1/me/2fa/setup/{setupId}', { params: { path: { setupId } } })),
    // The setup ends with the page either way: an abandoned one expires by itself.
    onSettled: toAccount,
  });
  const onCancel = () => (setup ? cancel.mutate(setup.setupId) : toAccount());
  const finish = () => {
    notifyDone(t('signIn:twoFactorSetup.finished'));
    toAccount();
  };

  const alreadyOn = me.data?.twoFactor === 'enabled' && step !== 'codes';
  return (
    <Stack maw={760}>
      <Title order={1}>{t('signIn:twoFactorSetup.title')}</Title>
      {alreadyOn ? (
        <Alert color="teal" role="status">
          {t('errors:codes.TWO_FACTOR_ALREADY_ENABLED')}
        </Alert>
      ) : (
        <Stepper active={SETUP_STEPS.indexOf(step)} allowNextStepsSelect={false}>
          <Stepper.Step label={t('signIn:twoFactorSetup.steps.questions')}>
            <QuestionsStep
              busy={start.isPending}
              error={start.error}
              onSubmit={(answers) => start.mutate(setupAnswers(answers))}
            />
          </Stepper.Step>
          <Stepper.Step label={t('signIn:twoFactorSetup.steps.app')}>
            {setup && <AppStep setup={setup} onNext={() => setStep('confirm')} />}
          </Stepper.Step>
          <Stepper.Step label={t('signIn:twoFactorSetup.steps.confirm')}>
            {setup && (
              <ConfirmCodeStep
                busy={confirm.isPending}
                error={confirm.error}
                onBack={() => setStep('app')}
                onSubmit={(code) => confirm.mutate({ setupId: setup.setupId, code })}
              />
            )}
          </Stepper.Step>
          <Stepper.Step label={t('signIn:twoFactorSetup.steps.codes')}>
            <RecoveryCodesStep codes={recoveryCodes} onFinish={finish} />
          </Stepper.Step>
        </Stepper>
      )}
      {!alreadyOn && cancellable(step) && (
        <Group>
          <Button variant="subtle" color="gray" loading={cancel.isPending} onClick={onCancel}>
            {t('actions.cancel')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('signIn:twoFactorSetup.cancelHint')}
          </Text>
        </Group>
      )}
    </Stack>
  );
}
