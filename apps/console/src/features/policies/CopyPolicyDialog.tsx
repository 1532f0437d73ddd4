import { Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { applyApiError, fieldErrorText, zodRules } from '../../components/forms';
import { ApiError } from '../../api/errors';
import { NAME_TAKEN, nameErrorText } from './name-error';
import { policyFormSchema } from './policy-form';
import { useCopyPolicy } from './policy-queries';

const copyFormSchema = policyFormSchema.pick({ name: true, description: true });
type CopyFormValues = { name: string; description: string };

/** The policy being copied. */
export interface CopySource {
  id: string;
  name: string;
}

/** "コピーするポリシー": a new name and description (both required), then the copy opens. */
export function CopyPolicyDialog({
  source,
  onClose,
}: {
  source: CopySource | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={source !== null} onClose={onClose} title={t('policies:copy.title')} centered>
      {source && <CopyPolicyForm source={source} onCancel={onClose} />}
    </Modal>
  );
}

function CopyPolicyForm({ source, onCancel }: { source: CopySource; onCancel: () => void }) {
  const { t } = useTranslation();
  // A retried submission makes one copy; after a refusal (a name taken) the next try is a new request.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const copy = useCopyPolicy();
  const [formError, setFormError] = useState<unknown>();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors },
  } = useForm<CopyFormValues>({
    resolver: zodRules(copyFormSchema),
    defaultValues: { name: '', description: '' },
  });

  const submit = handleSubmit((values) => {
    setFormError(undefined);
    copy.mutate(
      { sourcePolicyId: source.id, idempotencyKey, ...values },
      {
        onError: (error) => {
          if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
            setIdempotencyKey(crypto.randomUUID());
          }
          if (error instanceof ApiError && error.code === 'POLICY_NAME_TAKEN') {
            setError('name', { type: NAME_TAKEN }, { shouldFocus: true });
            return;
          }
          setFormError(applyApiError(error, setError, ['name', 'description']));
        },
      },
    );
  });

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack>
        <Text size="sm">{t('policies:copy.source', { name: source.name })}</Text>
        <TextInput
          label={t('policies:fields.name')}
          required
          data-autofocus
          error={nameErrorText(t, errors.name)}
          {...register('name')}
        />
        <Textarea
          label={t('policies:fields.description')}
          required
          autosize
          minRows={2}
          error={fieldErrorText(t, errors.description)}
          {...register('description')}
        />
        <ApiErrorAlert error={formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={copy.isPending}>
            {t('common:actions.cancel')}
          </Button>
          <Button type="submit" loading={copy.isPending}>
            {t('common:actions.copy')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
