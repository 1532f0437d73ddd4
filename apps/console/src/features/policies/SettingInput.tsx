import { NumberInput, Select, Switch, TextInput } from '@mantine/core';
import { type Control, Controller } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { PolicyFormValues, SettingField } from './policy-form';

interface SettingInputProps {
  field: SettingField;
  control: Control<PolicyFormValues>;
  readOnly: boolean;
}

/** One setting of the catalog as the input its type calls for, its help text under it. */
export function SettingInput({ field, control, readOnly }: SettingInputProps) {
  const { t } = useTranslation();
  return (
    <Controller
      name={field.name}
      control={control}
      render={({ field: input, fieldState }) => {
        const common = {
          label: field.label,
          description: field.help,
          disabled: readOnly,
          name: input.name,
          ref: input.ref,
          onBlur: input.onBlur,
          'data-setting': field.path,
        };
        switch (field.input) {
          case 'switch':
            return (
              <Switch
                {...common}
                checked={input.value === true}
                onChange={(event) => input.onChange(event.currentTarget.checked)}
              />
            );
          case 'select':
            return (
              <Select
                {...common}
                data={field.options}
                value={String(input.value)}
                onChange={(value) => value !== null && input.onChange(value)}
                allowDeselect={false}
              />
            );
          case 'number':
            return (
              <NumberInput
                {...common}
                min={field.min}
                max={field.max}
                // Out-of-range values stay as typed: the form refuses them with a message.
                clampBehavior="none"
                allowDecimal={false}
                value={typeof input.value === 'number' ? input.value : ''}
                onChange={input.onChange}
                error={
                  fieldState.error && t('policies:editor.range', { min: field.min, max: field.max })
                }
              />
            );
          case 'time':
            return (
              <TextInput
                {...common}
                type="time"
                value={String(input.value)}
                onChange={(event) => input.onChange(event.currentTarget.value)}
                error={fieldState.error && t('policies:editor.timeOfDay')}
              />
            );
        }
      }}
    />
  );
}
