import { Alert, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CONSOLE_APP_PATHS } from '@warden/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { session, type SessionEnd, type SessionTokens } from '../../auth/session';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import {
  askedPositions,
  destinationAfterLogin,
  isTotpChallenge,
  type LoginStep,
  stepAfterSession,
} from './loginFlow';
import { CredentialsForm, SecurityCodeForm, TotpForm, TwoFactorOffer } from './LoginSteps';
import { PublicLayout } from './PublicLayout';

/** What the pages that send people here say in `location.state`. */
interface LoginState {
  from?: string;
  ended?: SessionEnd;
  /** The reset page's "your password is changed". */
  passwordReset?: boolean;
}

/** Login: password → two characters of the security code → (2FA on) an app code → the console. */
export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const state = (useLocation().state ?? {}) as LoginState;
  const [step, setStep] = useState<LoginStep>({ step: 'credentials' });
  // A failed later step returns to the first (its loginId is spent), saying why.
  const [failure, setFailure] = useState<unknown>();

  const goOn = () => void navigate(destinationAfterLogin(state.from), { replace: true });
  const signedIn = (tokens: SessionTokens) => {
    // Nothing cached for whoever used this tab before (an expired session keeps its cache).
    queryClient.clear();
    session.start(tokens);
    const next = stepAfterSession(tokens);
    if (next === 'done') goOn();
    else setStep(next);
  };
  const startOver = (error?: unknown) => {
    setFailure(error);
    setStep({ step: 'credentials' });
  };

  const login = useMutation({
    mutationFn: (body: { login: string; password: string }) =>
      unwrap(api.POST('/api/v1/auth/login', { body })),
    onMutate: () => setFailure(undefined),
    onSuccess: ({ loginId, positions }) =>
      setStep({ step: 'security_code', loginId, positions: askedPositions(positions) }),
    onError: setFailure,
  });
  const securityCode = useMutation({
    mutationFn: ({ loginId, characters }: { loginId: string; characters: string }) =>
      unwrap(
        api.POST('/api/v1/auth/login/{loginId}/security-code', {
          params: { path: { loginId } },
          body: { characters },
        }),
      ),
    onSuccess: (reply) =>
      isTotpChallenge(reply) ? setStep({ step: 'totp', loginId: reply.loginId }) : signedIn(reply),
    onError: startOver,
  });
  const totp = useMutation({
    mutationFn: ({
      loginId,
      answer,
    }: {
      loginId: string;
      answer: { code: string } | { recoveryCode: string };
    }) =>
      unwrap(
        api.POST('/api/v1/auth/login/{loginId}/totp', {
          params: { path: { loginId } },
          body: answer,
        }),
      ),
    onSuccess: signedIn,
    onError: startOver,
  });

  return (
    <PublicLayout>
      <Title order={1} size="h2">
        {t(`signIn:login.titles.${step.step}`)}
      </Title>
      {step.step === 'credentials' && <ArrivalNotice state={state} />}
      <ApiErrorAlert error={failure} />
      {step.step === 'credentials' && (
        <CredentialsForm busy={login.isPending} onSubmit={(body) => login.mutate(body)} />
      )}
      {step.step === 'security_code' && (
        <SecurityCodeForm
          key={step.loginId}
          positions={step.positions}
          busy={securityCode.isPending}
          onSubmit={({ characters }) => securityCode.mutate({ loginId: step.loginId, characters })}
          onStartOver={() => startOver()}
        />
      )}
      {step.step === 'totp' && (
        <TotpForm
          busy={totp.isPending}
          onSubmit={(answer) => totp.mutate({ loginId: step.loginId, answer })}
          onStartOver={() => startOver()}
        />
      )}
      {step.step === 'two_factor_offer' && (
        <TwoFactorOffer
          onSetUp={() => void navigate(CONSOLE_APP_PATHS.twoFactorSetup, { replace: true })}
          onSkip={goOn}
        />
      )}
    </PublicLayout>
  );
}

/** Why the administrator is here: the session expired, they logged out, or reset the password. */
function ArrivalNotice({ state }: { state: LoginState }) {
  const { t } = useTranslation();
  if (state.passwordReset) {
    return (
      <Alert color="teal" role="status">
        {t('signIn:reset.done')}
      </Alert>
    );
  }
  if (state.ended === 'expired') {
    return (
      <Alert color="yellow" role="status" data-testid="session-ended">
        {t('session.expired')}
      </Alert>
    );
  }
  if (state.ended === 'signed_out') {
    return (
      <Alert color="blue" role="status" data-testid="session-ended">
        {t('session.signedOut')}
      </Alert>
    );
  }
  return null;
}
