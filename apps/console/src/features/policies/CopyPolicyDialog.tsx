import { Text } from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { applyApiError, zodRules } from '../../components/forms';
import { FormDialog } from '../../components/FormDialog';
import { policyFormSchema } from './policy-form';
import { PolicyNameFields, placeNameTaken } from './PolicyNameFields';
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
  // A new form for each copy: nothing typed for the last one stays.
  return source && <CopyPolicyForm source={source} onClose={onClose} />;
}

function CopyPolicyForm({ source, onClose }: { source: CopySource; onClose: () => void }) {
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
          if (placeNameTaken(error, setError)) return;
          setFormError(applyApiError(error, setError, ['name', 'description']));
        },
      },
    );
  });

  return (
    <FormDialog
      title={t('policies:copy.title')}
      submitLabel={t('common:actions.copy')}
      busy={copy.isPending}
      error={formError}
      onSubmit={() => void submit()}
      onClose={onClose}
    >
      <Text size="sm">{t('policies:copy.source', { name: source.name })}</Text>
      <PolicyNameFields
        name={register('name')}
        description={register('description')}
        errors={errors}
        autoFocus
      />
    </FormDialog>
  );
}
