import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconTerminal2 } from '@tabler/icons-react';
import type { CommandSpecInput, CommandTarget, CommandType } from '@warden/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ENDPOINTS_QUERY_KEY } from '../../api/endpoints';
import { ApiError } from '../../api/errors';
import { usePermissions } from '../../auth/me';
import { notifyDone } from '../../components/notify';
import { BulkProgressPanel } from './BulkProgressPanel';
import { CommandConfirmDialog } from './CommandConfirmDialog';
import { CommandParametersDialog } from './CommandParametersDialog';
import { COMMANDS_QUERY_KEY, issueCommand, previewCommand } from './command-queries';
import { MENU_COMMANDS, NO_PARAMETERS, commandSpec, takesParameters } from './command-spec';

export interface EndpointActionsProps {
  /**
   * What the actions apply to: the endpoints selected on this page, every
   * endpoint matching the table's filter ("select all across pages"), a
   * group or a site.
   */
  target: CommandTarget | undefined;
  /** How many endpoints the target names, as the table counts them (for the buttons' state). */
  count: number;
  /** After a command was issued (the table refreshes and may clear its selection). */
  onIssued?: () => void;
}

/** Where the administrator is in sending one command. */
type Step =
  | { kind: 'parameters'; type: CommandType }
  | { kind: 'confirm'; type: CommandType; spec: CommandSpecInput };

/** A confirmation the server no longer honours (expired, or made by another session). */
const STALE_CONFIRMATION = new Set(['CONFIRMATION_TOKEN_EXPIRED', 'CONFIRMATION_TOKEN_INVALID']);

/**
 * The agent commands of DESIGN §3 (deactivate, change keycode, scan,
 * refresh configuration, isolate…) for a target: preview, a confirmation
 * naming the count (and, for deactivate, the billing warning), then the
 * bulk's progress.
 */
export function EndpointActions({ target, count, onIssued }: EndpointActionsProps) {
  const { t } = useTranslation();
  const permissions = usePermissions();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>();
  const [bulkId, setBulkId] = useState<string>();

  const preview = useMutation({
    mutationFn: (request: { target: CommandTarget; spec: CommandSpecInput }) =>
      previewCommand(request.target, request.spec),
  });
  const issue = useMutation({
    mutationFn: issueCommand,
    onSuccess: (bulk) => {
      setStep(undefined);
      setBulkId(bulk.bulkId);
      notifyDone(t('commands:issued'));
      void queryClient.invalidateQueries({ queryKey: COMMANDS_QUERY_KEY });
      void queryClient.invalidateQueries({ queryKey: ENDPOINTS_QUERY_KEY });
      onIssued?.();
    },
  });

  const mayCommand =
    target === undefined || target.kind === 'endpoints'
      ? permissions.administersAnySite
      : permissions.administers(target.siteId);
  if (!mayCommand) return null;

  /** Asks the server how many endpoints the command reaches (and for its confirmation token). */
  const countTargets = (spec: CommandSpecInput, onCounted?: () => void) => {
    if (target) preview.mutate({ target, spec }, { onSuccess: onCounted });
  };
  /** Sends what was counted; a confirmation gone stale is counted again, so a second press works. */
  const send = (spec: CommandSpecInput) => {
    if (!preview.data) return countTargets(spec);
    issue.mutate(preview.data.confirmationToken, {
      onError: (error) => {
        if (error instanceof ApiError && STALE_CONFIRMATION.has(error.code)) countTargets(spec);
      },
    });
  };
  const confirm = (type: CommandType, spec: CommandSpecInput) => {
    issue.reset();
    countTargets(spec, () => setStep({ kind: 'confirm', type, spec }));
  };
  const choose = (type: CommandType) => {
    preview.reset();
    issue.reset();
    if (takesParameters(type)) {
      setStep({ kind: 'parameters', type });
    } else {
      const spec = commandSpec(type, NO_PARAMETERS);
      setStep({ kind: 'confirm', type, spec });
      confirm(type, spec);
    }
  };
  const close = () => setStep(undefined);

  return (
    <>
      <Menu position="bottom-start" withinPortal>
        <Menu.Target>
          <Button
            variant="default"
            leftSection={<IconTerminal2 size={16} aria-hidden />}
            rightSection={<IconChevronDown size={14} aria-hidden />}
            disabled={target === undefined || count === 0}
            title={count === 0 ? t('commands:menu.noSelection') : undefined}
          >
            {t('commands:menu.label')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {MENU_COMMANDS.map((type) => (
            <Menu.Item
              key={type}
              color={type === 'deactivate' ? 'red' : undefined}
              onClick={() => choose(type)}
            >
              {t(`commands:types.${type}`)}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      {step?.kind === 'parameters' && (
        <CommandParametersDialog
          type={step.type}
          busy={preview.isPending}
          error={preview.error}
          onSubmit={(values) => confirm(step.type, commandSpec(step.type, values))}
          onClose={close}
        />
      )}
      {step?.kind === 'confirm' && (
        <CommandConfirmDialog
          type={step.type}
          spec={step.spec}
          preview={preview.data}
          previewing={preview.isPending}
          sending={issue.isPending}
          error={issue.error ?? preview.error}
          onSend={() => send(step.spec)}
          onClose={close}
        />
      )}
      {bulkId && <BulkProgressPanel bulkId={bulkId} onClose={() => setBulkId(undefined)} />}
    </>
  );
}
