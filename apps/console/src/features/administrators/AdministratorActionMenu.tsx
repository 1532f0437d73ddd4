import { ActionIcon, Button, Group, Menu } from '@mantine/core';
import { IconDots } from '@tabler/icons-react';
import { consoleAppPath } from '@warden/contracts';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  AdministratorActionDialog,
  isDestructive,
  useActionLabel,
} from './AdministratorActionDialog';
import { type AdministratorAction, availableActions } from './administrator-actions';
import type { Administrator } from './administrator-form';

interface ActionsProps {
  administrator: Administrator;
  /** The signed-in administrator's id: nobody disables or deletes themselves. */
  meId: string | undefined;
  /** Its accessible name: "Actions for <name>". */
  name: string;
  onDone?: (action: AdministratorAction) => void;
}

/** Asking before an action: what opens the confirmation, and the dialog while it is open. */
function useActionDialog(
  administrator: Administrator,
  onDone: ActionsProps['onDone'],
): [(action: AdministratorAction) => void, ReactNode] {
  const [open, setOpen] = useState<AdministratorAction>();
  const dialog = open && (
    <AdministratorActionDialog
      administrator={administrator}
      action={open}
      onClose={() => setOpen(undefined)}
      onDone={onDone}
    />
  );
  return [setOpen, dialog];
}

/** A table row's actions: edit, and those the administrator's state allows, in a menu. */
export function AdministratorActionMenu({ administrator, meId, name, onDone }: ActionsProps) {
  const { t } = useTranslation();
  const label = useActionLabel();
  const [ask, dialog] = useActionDialog(administrator, onDone);
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t('administrators:actions.menu', { name })}
          >
            <IconDots size={18} aria-hidden />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            component={Link}
            to={consoleAppPath('administrator', { administratorId: administrator.id })}
          >
            {t('administrators:actions.edit')}
          </Menu.Item>
          {availableActions(administrator, meId).map((action) => (
            <Menu.Item
              key={action}
              color={isDestructive(action) ? 'red' : undefined}
              onClick={() => ask(action)}
            >
              {label(action)}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      {dialog}
    </>
  );
}

/** The same actions as buttons, on the administrator's own page. */
export function AdministratorActionButtons({
  administrator,
  meId,
  onDone,
}: Omit<ActionsProps, 'name'>) {
  const label = useActionLabel();
  const [ask, dialog] = useActionDialog(administrator, onDone);
  const actions = availableActions(administrator, meId);
  if (actions.length === 0) return null;
  return (
    <Group gap="xs">
      {actions.map((action) => (
        <Button
          key={action}
          variant={isDestructive(action) ? 'outline' : 'default'}
          color={isDestructive(action) ? 'red' : undefined}
          onClick={() => ask(action)}
        >
          {label(action)}
        </Button>
      ))}
      {dialog}
    </Group>
  );
}
