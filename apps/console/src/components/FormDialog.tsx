import { Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from './ApiErrorAlert';

export interface FormDialogProps {
  opened?: boolean;
  title: string;
  /** The form's fields. */
  children: ReactNode;
  submitLabel: string;
  /** Red button: the action turns something off or cannot be undone. */
  destructive?: boolean;
  busy?: boolean;
  /** Nothing to submit yet (e.g. no choice made). */
  incomplete?: boolean;
  /** The error no field shows, next to the buttons. */
  error?: unknown;
  onSubmit: () => void;
  onClose: () => void;
}

/**
 * A dialog that asks for a few values before an action: its fields, the
 * error the action met, cancel and submit (close button named by the theme).
 * The browser's own validation stays off: fields show the console's messages.
 */
export function FormDialog({ opened = true, ...props }: FormDialogProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={props.onClose} title={props.title} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          props.onSubmit();
        }}
        noValidate
      >
        <Stack>
          {props.children}
          <ApiErrorAlert error={props.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose} disabled={props.busy}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              type="submit"
              color={props.destructive ? 'red' : undefined}
              loading={props.busy}
              disabled={props.incomplete}
            >
              {props.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
