import { Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from './ApiErrorAlert';

export interface ConfirmDialogProps {
  opened: boolean;
  title: string;
  /** What will happen, naming what it touches (e.g. the number of endpoints). */
  children: ReactNode;
  confirmLabel: string;
  /** Red button: the action deletes, deactivates or cannot be undone. */
  destructive?: boolean;
  busy?: boolean;
  /** The error the action met, shown in the dialog next to its button. */
  error?: unknown;
  onConfirm: () => void;
  onClose: () => void;
}

/** Every destructive action asks first, saying what it will do (close button named by the theme). */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} centered>
      <Stack>
        {props.children}
        <ApiErrorAlert error={props.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose} disabled={props.busy}>
            {t('actions.cancel')}
          </Button>
          <Button
            color={props.destructive ? 'red' : undefined}
            loading={props.busy}
            onClick={props.onConfirm}
          >
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
