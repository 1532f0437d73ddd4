import { Textarea, TextInput } from '@mantine/core';
import type { FieldError, UseFormRegisterReturn, UseFormSetError } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { fieldErrorText } from '../../components/forms';

/** The error type the name field gets when the API answers POLICY_NAME_TAKEN. */
const NAME_TAKEN = 'POLICY_NAME_TAKEN';

/**
 * A name another policy has goes under the name field (focused); answers
 * whether the error was that.
 */
export function placeNameTaken(
  error: unknown,
  setError: UseFormSetError<{ name: string }>,
): boolean {
  if (!(error instanceof ApiError && error.code === NAME_TAKEN)) return false;
  setError('name', { type: NAME_TAKEN }, { shouldFocus: true });
  return true;
}

/** A policy's name and description, both required (the editor's and a copy's). */
export function PolicyNameFields(props: {
  name: UseFormRegisterReturn<'name'>;
  description: UseFormRegisterReturn<'description'>;
  errors: { name?: FieldError; description?: FieldError };
  readOnly?: boolean;
  /** In a dialog: the name field takes the focus. */
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const nameError = props.errors.name;
  return (
    <>
      <TextInput
        label={t('policies:fields.name')}
        required
        disabled={props.readOnly}
        data-autofocus={props.autoFocus || undefined}
        error={
          nameError?.type === NAME_TAKEN
            ? t('errors:codes.POLICY_NAME_TAKEN')
            : fieldErrorText(t, nameError)
        }
        {...props.name}
      />
      <Textarea
        label={t('policies:fields.description')}
        required
        autosize
        minRows={2}
        disabled={props.readOnly}
        error={fieldErrorText(t, props.errors.description)}
        {...props.description}
      />
    </>
  );
}
