import { Group, Radio, Text, TextInput } from '@mantine/core';
import type { CommandType } from '@warden/contracts';
import { useEffect, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { applyApiError, fieldErrorText, zodRules } from '../../components/forms';
import { FormDialog } from '../../components/FormDialog';
import { type CommandParameters, NO_PARAMETERS, parametersSchemaFor } from './command-spec';

interface CommandParametersDialogProps {
  type: CommandType;
  busy: boolean;
  /** The preview's error: a keycode licensing does not know lands under its field. */
  error: unknown;
  onSubmit: (values: CommandParameters) => void;
  onClose: () => void;
}

/** What a command needs before it can be counted: a change of keycode's keycode, a scan's kind. */
export function CommandParametersDialog(props: CommandParametersDialogProps) {
  const { t } = useTranslation();
  const form = useForm<CommandParameters>({
    defaultValues: NO_PARAMETERS,
    resolver: zodRules(parametersSchemaFor(props.type)),
  });
  const [unplaced, setUnplaced] = useState<unknown>();
  useEffect(() => {
    setUnplaced(
      applyApiError(props.error, form.setError, ['keycode'], { 'parameters.keycode': 'keycode' }),
    );
  }, [props.error, form.setError]);

  const keycodeError = form.formState.errors.keycode;
  return (
    <FormDialog
      title={t(`commands:types.${props.type}`)}
      submitLabel={t('actions.next')}
      busy={props.busy}
      error={unplaced}
      onSubmit={() => void form.handleSubmit(props.onSubmit)()}
      onClose={props.onClose}
    >
      <Text size="sm">{t(`commands:descriptions.${props.type}`)}</Text>
      {props.type === 'change_keycode' && (
        <TextInput
          label={t('commands:parameters.keycode')}
          description={t('commands:parameters.keycodeDescription')}
          autoComplete="off"
          spellCheck={false}
          data-autofocus
          {...form.register('keycode')}
          error={
            keycodeError?.type?.startsWith('keycode_')
              ? t(`commands:parameters.keycodeRules.${keycodeError.type}`)
              : fieldErrorText(t, keycodeError)
          }
        />
      )}
      {props.type === 'scan' && (
        <Controller
          control={form.control}
          name="scanKind"
          render={({ field }) => (
            <Radio.Group
              label={t('commands:parameters.scanKind')}
              value={field.value}
              onChange={field.onChange}
            >
              <Group mt="xs">
                <Radio value="quick" label={t('commands:parameters.scanKinds.quick')} />
                <Radio value="full" label={t('commands:parameters.scanKinds.full')} />
              </Group>
            </Radio.Group>
          )}
        />
      )}
    </FormDialog>
  );
}
