import type { TFunction } from 'i18next';
import type { FieldError } from 'react-hook-form';
import { fieldErrorText } from '../../components/forms';

/** The error type the name field gets when the API answers POLICY_NAME_TAKEN. */
export const NAME_TAKEN = 'POLICY_NAME_TAKEN';

/** Under the name field: "a policy of this name exists" from the API, or the form's own rule. */
export function nameErrorText(t: TFunction, error: FieldError | undefined): string | undefined {
  return error?.type === NAME_TAKEN
    ? t('errors:codes.POLICY_NAME_TAKEN')
    : fieldErrorText(t, error);
}
