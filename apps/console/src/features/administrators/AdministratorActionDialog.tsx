import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { notifyDone } from '../../components/notify';
import { formatPersonName } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import type { AdministratorAction } from './administrator-actions';
import type { Administrator } from './administrator-form';
import { useAdministratorAction } from './administrators-api';

export interface AdministratorActionDialogProps {
  administrator: Administrator;
  action: AdministratorAction;
  onClose: () => void;
  /** After the action succeeded (a deleted administrator's page leaves). */
  onDone?: (action: AdministratorAction) => void;
}

/**
 * Asks before an action on an administrator, saying what it does to them;
 * a refusal (LAST_SUPER_ADMIN, PROVIDER_SUPPORT_PROTECTED,
 * CANNOT_CHANGE_SELF…) is shown in the dialog, next to its button.
 */
export function AdministratorActionDialog(props: AdministratorActionDialogProps) {
  const { administrator, action, onClose, onDone } = props;
  const { language } = useLanguage();
  const mutation = useAdministratorAction(administrator.id, action);
  const name = formatPersonName(administrator, language);
  const text = useActionTexts(action, { name, email: administrator.email });

  const confirm = () =>
    mutation.mutate(undefined, {
      onSuccess: () => {
        notifyDone(text.done);
        onClose();
        onDone?.(action);
      },
    });

  return (
    <ConfirmDialog
      opened
      title={text.title}
      confirmLabel={text.label}
      destructive={isDestructive(action)}
      busy={mutation.isPending}
      error={mutation.error ?? undefined}
      onConfirm={confirm}
      onClose={onClose}
    >
      <Text size="sm">{text.body}</Text>
    </ConfirmDialog>
  );
}

interface ActionTexts {
  title: string;
  body: string;
  label: string;
  done: string;
}

/** The dialog's words for an action (each key literal, so the translation test sees it). */
function useActionTexts(
  action: AdministratorAction,
  values: { name: string; email: string },
): ActionTexts {
  const { t } = useTranslation();
  const label = useActionLabel()(action);
  switch (action) {
    case 'disable':
      return {
        label,
        title: t('administrators:confirm.disable.title'),
        body: t('administrators:confirm.disable.body', values),
        done: t('administrators:done.disable', values),
      };
    case 'enable':
      return {
        label,
        title: t('administrators:confirm.enable.title'),
        body: t('administrators:confirm.enable.body', values),
        done: t('administrators:done.enable', values),
      };
    case 'unlock':
      return {
        label,
        title: t('administrators:confirm.unlock.title'),
        body: t('administrators:confirm.unlock.body', values),
        done: t('administrators:done.unlock', values),
      };
    case 'resetTwoFactor':
      return {
        label,
        title: t('administrators:confirm.resetTwoFactor.title'),
        body: t('administrators:confirm.resetTwoFactor.body', values),
        done: t('administrators:done.resetTwoFactor', values),
      };
    case 'delete':
      return {
        label,
        title: t('administrators:confirm.delete.title'),
        body: t('administrators:confirm.delete.body', values),
        done: t('administrators:done.delete', values),
      };
  }
}

export function useActionLabel(): (action: AdministratorAction) => string {
  const { t } = useTranslation();
  const labels: Record<AdministratorAction, string> = {
    disable: t('administrators:actions.disable'),
    enable: t('administrators:actions.enable'),
    unlock: t('administrators:actions.unlock'),
    resetTwoFactor: t('administrators:actions.resetTwoFactor'),
    delete: t('administrators:actions.delete'),
  };
  return (action) => labels[action];
}

/** Red: the action takes access away. */
export const isDestructive = (action: AdministratorAction) =>
  action === 'disable' || action === 'delete' || action === 'resetTwoFactor';
