import { Alert, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/errors';

/** The message of an error code in the current language (NETWORK for a request that never arrived). */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation('errors');
  return (error) => {
    const code = error instanceof ApiError ? error.code : 'INTERNAL';
    return t(`codes.${code}`, { defaultValue: t('codes.INTERNAL') });
  };
}

/**
 * An API error shown where the action that met it is: its code's message in
 * the current language, and the request id support can look up.
 */
export function ApiErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation('errors');
  const text = useErrorText();
  if (error === undefined || error === null) return null;
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  const code = error instanceof ApiError ? error.code : 'INTERNAL';
  return (
    <Alert
      color="red"
      icon={<IconAlertCircle aria-hidden />}
      title={title}
      role="alert"
      data-error-code={code}
    >
      <Text size="sm">{text(error)}</Text>
      {requestId && (
        <Text size="xs" c="dimmed">
          {t('requestId', { requestId })}
        </Text>
      )}
    </Alert>
  );
}
