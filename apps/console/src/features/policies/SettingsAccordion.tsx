import { Accordion, Stack, Text } from '@mantine/core';
import type { Control } from 'react-hook-form';
import type { PolicyFormValues, SectionFields } from './policy-form';
import { SettingInput } from './SettingInput';

interface SettingsAccordionProps {
  sections: readonly SectionFields[];
  control: Control<PolicyFormValues>;
  readOnly: boolean;
  /** The keys of the open sections (the editor opens those holding a refused value). */
  open: string[];
  onOpenChange: (open: string[]) => void;
}

/** The catalog's sections, each a panel of its settings' inputs under the section's help text. */
export function SettingsAccordion({
  sections,
  control,
  readOnly,
  open,
  onOpenChange,
}: SettingsAccordionProps) {
  return (
    <Accordion multiple value={open} onChange={onOpenChange} variant="separated">
      {sections.map((section) => (
        <Accordion.Item key={section.key} value={section.key}>
          <Accordion.Control>{section.label}</Accordion.Control>
          <Accordion.Panel>
            <Stack gap="md">
              <Text size="sm" c="dimmed">
                {section.help}
              </Text>
              {section.fields.map((field) => (
                <SettingInput
                  key={field.path}
                  field={field}
                  control={control}
                  readOnly={readOnly}
                />
              ))}
            </Stack>
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}
