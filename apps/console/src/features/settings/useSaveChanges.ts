import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { CONSOLE_SETTINGS_QUERY_KEY } from '../../api/console-settings';
import { applyApiError } from '../../components/forms';
import { notifyDone } from '../../components/notify';
import { changedFields, type FieldChange, patchOf } from './settings-forms';

interface SaveChangesOptions<T extends FieldValues, Saved extends { name: string }> {
  form: UseFormReturn<T>;
  /** The values as saved now: what the form's values are compared with. */
  saved: T;
  /** The name of what is saved (the console or the site), for the notification. */
  name: string;
  /** Sends the changed fields (a PATCH: only these), answering what is saved now. */
  send: (patch: Partial<T>) => Promise<Saved>;
  valuesOf: (saved: Saved) => T;
  /** The form's fields, for the API's field errors; `renames` maps the API's other names onto them. */
  fields: readonly Path<T>[];
  renames?: Readonly<Record<string, Path<T>>>;
  /** The fields' names and their values as the notification tells a change: `field: before → after`. */
  fieldLabels: Record<keyof T, string>;
  valueText: (field: keyof T, value: unknown) => string;
}

/**
 * Saving a settings form: only the fields that changed go to the API, the
 * form then holds what was saved, and a notification tells each change as
 * before → after. Field errors of the API go under their fields; any other,
 * to `error` for the form's alert.
 */
export function useSaveChanges<T extends FieldValues, Saved extends { name: string }>(
  options: SaveChangesOptions<T, Saved>,
) {
  const { form, saved, name, send, valuesOf, fields, renames, fieldLabels, valueText } = options;
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);

  const describe = ({ field, before, after }: FieldChange<T>) =>
    t('settings:saved.change', {
      field: fieldLabels[field],
      before: valueText(field, before),
      after: valueText(field, after),
    });
  const notify = (savedName: string, changes: readonly FieldChange<T>[]) =>
    notifyDone(
      changes.length === 0 ? t('settings:saved.nothing') : changes.map(describe).join('\n'),
      t('settings:saved.title', { name: savedName }),
    );

  const save = useMutation({
    mutationFn: (changes: FieldChange<T>[]) => send(patchOf(changes)),
    onSuccess: async (reply, changes) => {
      form.reset(valuesOf(reply));
      notify(reply.name, changes);
      await queryClient.invalidateQueries({ queryKey: CONSOLE_SETTINGS_QUERY_KEY });
    },
    onError: (failure) => setError(applyApiError(failure, form.setError, fields, renames)),
  });

  const submit = form.handleSubmit((values) => {
    setError(null);
    const changes = changedFields(saved, values);
    // The API refuses a change of nothing: say so here instead.
    if (changes.length === 0) notify(name, changes);
    else save.mutate(changes);
  });

  return { submit, saving: save.isPending, error };
}
