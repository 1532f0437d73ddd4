import {
  Alert,
  Button,
  Code,
  Group,
  Image,
  List,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { Reply } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { CopyValueButton } from '../../components/CopyValueButton';
import { fieldErrorText, zodRules } from '../../components/forms';
import { AUTHENTICATOR_CODE_RULES, AuthenticatorCodeInput } from '../sign-in/CredentialInputs';
import {
  recoveryCodesText,
  type TwoFactorQuestions,
  twoFactorQuestionsSchema,
} from './twoFactorSetup';

/** Step 1: two more security questions, each with its answer. */
export function QuestionsStep(props: {
  busy: boolean;
  error: unknown;
  onSubmit: (answers: TwoFactorQuestions) => void;
}) {
  const { t } = useTranslation();
  const form = useForm<TwoFactorQuestions>({
    resolver: zodRules(twoFactorQuestionsSchema),
    defaultValues: { first: { question: '', answer: '' }, second: { question: '', answer: '' } },
  });
  const { errors } = form.formState;
  return (
    <form onSubmit={(event) => void form.handleSubmit(props.onSubmit)(event)} noValidate>
      <Stack mt="md">
        <Text>{t('signIn:twoFactorSetup.questionsIntro')}</Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('signIn:twoFactorSetup.question', { number: 1 })}
            withAsterisk
            error={fieldErrorText(t, errors.first?.question)}
            {...form.register('first.question')}
          />
          <TextInput
            label={t('signIn:twoFactorSetup.answer', { number: 1 })}
            autoComplete="off"
            withAsterisk
            error={fieldErrorText(t, errors.first?.answer)}
            {...form.register('first.answer')}
          />
          <TextInput
            label={t('signIn:twoFactorSetup.question', { number: 2 })}
            withAsterisk
            error={
              errors.second?.question?.type === 'duplicate_question'
                ? t('signIn:twoFactorSetup.duplicateQuestion')
                : fieldErrorText(t, errors.second?.question)
            }
            {...form.register('second.question')}
          />
          <TextInput
            label={t('signIn:twoFactorSetup.answer', { number: 2 })}
            autoComplete="off"
            withAsterisk
            error={fieldErrorText(t, errors.second?.answer)}
            {...form.register('second.answer')}
          />
        </SimpleGrid>
        <ApiErrorAlert error={props.error} />
        <Group>
          <Button type="submit" loading={props.busy}>
            {t('actions.continue')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Step 2: the secret for the authenticator app, as a QR code and as text. */
export function AppStep({
  setup,
  onNext,
}: {
  setup: Reply<'/api/v1/me/2fa/setup', 'post'>;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack mt="md">
      <Text>{t('signIn:twoFactorSetup.scanIntro')}</Text>
      <Image
        src={setup.qrCode}
        alt={t('signIn:twoFactorSetup.qrAlt')}
        w={200}
        h={200}
        data-testid="two-factor-qr"
      />
      <Text size="sm">{t('signIn:twoFactorSetup.secretIntro')}</Text>
      <Group gap="xs">
        <Code data-testid="two-factor-secret">{setup.secret}</Code>
        <CopyValueButton value={setup.secret} label={t('signIn:twoFactorSetup.copySecret')} />
      </Group>
      <Text size="sm">{t('signIn:twoFactorSetup.uri')}</Text>
      {/* Wrapped, not scrolled: a long URI stays readable without a keyboard-reachable scroll box. */}
      <Code
        block
        data-testid="two-factor-uri"
        style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
      >
        {setup.otpauthUri}
      </Code>
      <Group>
        <Button onClick={onNext}>{t('actions.continue')}</Button>
      </Group>
    </Stack>
  );
}

/** Step 3: a code from the app proves it holds the secret; 2FA turns on. */
export function ConfirmCodeStep(props: {
  busy: boolean;
  error: unknown;
  onBack: () => void;
  onSubmit: (code: string) => void;
}) {
  const { t } = useTranslation();
  const form = useForm({ defaultValues: { code: '' } });
  return (
    <form
      onSubmit={(event) => void form.handleSubmit(({ code }) => props.onSubmit(code.trim()))(event)}
      noValidate
    >
      <Stack mt="md">
        <Text>{t('signIn:twoFactorSetup.confirmIntro')}</Text>
        <AuthenticatorCodeInput
          w={200}
          fieldError={form.formState.errors.code}
          {...form.register('code', AUTHENTICATOR_CODE_RULES)}
        />
        <ApiErrorAlert error={props.error} />
        <Group>
          <Button variant="default" onClick={props.onBack}>
            {t('actions.back')}
          </Button>
          <Button type="submit" loading={props.busy}>
            {t('signIn:twoFactorSetup.verify')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** 2FA is on: the one-time recovery codes, shown this once. */
export function RecoveryCodesStep({ codes, onFinish }: { codes: string[]; onFinish: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack mt="md">
      <Alert color="yellow" role="status">
        {t('signIn:twoFactorSetup.codesOnce')}
      </Alert>
      <List
        aria-label={t('signIn:twoFactorSetup.codesLabel')}
        data-testid="recovery-codes"
        ff="monospace"
      >
        {codes.map((code) => (
          <List.Item key={code}>{code}</List.Item>
        ))}
      </List>
      <Group>
        <CopyValueButton
          value={recoveryCodesText(codes)}
          label={t('signIn:twoFactorSetup.copyCodes')}
        />
        <Button onClick={onFinish}>{t('signIn:twoFactorSetup.finish')}</Button>
      </Group>
    </Stack>
  );
}
