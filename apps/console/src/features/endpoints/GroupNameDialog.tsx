import { TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { groupNameSchema } from '@warden/contracts';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { useErrorText } from '../../components/ApiErrorAlert';
import { applyApiError, fieldErrorText, zodRules } from '../../components/forms';
import { FormDialog } from '../../components/FormDialog';
import { notifyDone } from '../../components/notify';
import { PolicySelect } from './PolicySelect';
import { type Group as EndpointGroup, useRefreshEndpoints } from './queries';

const groupNameForm = z.object({ name: groupNameSchema });
type GroupNameForm = z.input<typeof groupNameForm>;

/** Codes that concern the name, shown under the field rather than above the buttons. */
const NAME_CODES = new Set(['GROUP_NAME_TAKEN', 'GROUP_SYSTEM_PROTECTED']);

/** A new group of the site (with its policy, if any), or a new name for one. */
export function GroupNameDialog(props: {
  siteId: string;
  /** Absent: create a group. */
  group?: EndpointGroup;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const refresh = useRefreshEndpoints();
  const [policyId, setPolicyId] = useState<string | null>(null);
  const [otherError, setOtherError] = useState<unknown>();
  const form = useForm<GroupNameForm>({
    resolver: zodRules(groupNameForm),
    defaultValues: { name: props.group?.name ?? '' },
  });
  const save = useMutation({
    mutationFn: ({ name }: GroupNameForm) =>
      props.group
        ? unwrap(
            api.PATCH('/api/v1/sites/{siteId}/groups/{groupId}', {
              params: { path: { siteId: props.siteId, groupId: props.group.id } },
              body: { name },
            }),
          )
        : unwrap(
            api.POST('/api/v1/sites/{siteId}/groups', {
              params: { path: { siteId: props.siteId } },
              body: { name, policyId },
            }),
          ),
    onSuccess: async (group) => {
      notifyDone(
        t(props.group ? 'endpoints:groups.renamed' : 'endpoints:groups.created', {
          name: group.name,
        }),
      );
      await refresh();
      props.onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError && NAME_CODES.has(error.code ?? '')) {
        form.setError('name', { type: 'api', message: errorText(error) });
        setOtherError(undefined);
      } else {
        setOtherError(applyApiError(error, form.setError, ['name']));
      }
    },
  });
  const submit = form.handleSubmit((values) => save.mutate(values));
  const nameError = form.formState.errors.name;
  return (
    <FormDialog
      title={t(props.group ? 'endpoints:groups.rename' : 'endpoints:groups.create')}
      submitLabel={t('common:actions.save')}
      busy={save.isPending}
      error={otherError}
      onSubmit={() => void submit()}
      onClose={props.onClose}
    >
      <TextInput
        label={t('endpoints:groups.name')}
        required
        data-autofocus
        {...form.register('name')}
        error={nameError?.type === 'api' ? nameError.message : fieldErrorText(t, nameError)}
      />
      {!props.group && (
        <PolicySelect
          label={t('endpoints:columns.policy')}
          inheritLabel={t('endpoints:groups.followSite')}
          value={policyId}
          onChange={setPolicyId}
        />
      )}
    </FormDialog>
  );
}
