import { Alert, Badge, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { CONSOLE_APP_PATHS } from '@warden/contracts';
import { useMemo, useState } from 'react';
import { type FieldErrors, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/errors';
import { usePermissions } from '../../auth/me';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { applyApiError, zodRules } from '../../components/forms';
import { notifyDone } from '../../components/notify';
import { useLanguage } from '../../i18n/language';
import { CopyPolicyDialog } from './CopyPolicyDialog';
import { PolicyUsageList } from './PolicyUsageList';
import { SettingsAccordion } from './SettingsAccordion';
import {
  ifMatchOf,
  policyChanges,
  policyFormSchema,
  type PolicyFormValues,
  settingSections,
} from './policy-form';
import { PolicyNameFields, placeNameTaken } from './PolicyNameFields';
import { type PolicyDetail, usePolicyUsage, useUpdatePolicy } from './policy-queries';

const formValuesOf = (policy: PolicyDetail): PolicyFormValues => ({
  name: policy.name,
  description: policy.description,
  settings: policy.settings,
});

/** What the form was loaded from: the base of the next save (its If-Match) and of its changes. */
interface Loaded {
  version: number;
  values: PolicyFormValues;
}

export interface PolicyEditorProps {
  policy: PolicyDetail;
  /** Reads the policy again (after someone else saved it first). */
  reload: () => Promise<PolicyDetail | undefined>;
}

export function PolicyEditor({ policy, reload }: PolicyEditorProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { administersAnySite } = usePermissions();
  const readOnly = policy.builtin || !administersAnySite;
  const sections = useMemo(() => settingSections(language), [language]);
  const [openSections, setOpenSections] = useState<string[]>([sections[0]?.key ?? '']);
  const [loaded, setLoaded] = useState<Loaded>(() => ({
    version: policy.version,
    values: formValuesOf(policy),
  }));
  const [conflict, setConflict] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const [copying, setCopying] = useState(false);
  const update = useUpdatePolicy(policy.id);
  const {
    control,
    register,
    handleSubmit,
    reset,
    setError,
    formState: { errors, isDirty },
  } = useForm<PolicyFormValues>({
    resolver: zodRules(policyFormSchema),
    defaultValues: loaded.values,
  });

  const startFrom = (detail: PolicyDetail) => {
    const values = formValuesOf(detail);
    setLoaded({ version: detail.version, values });
    reset(values);
  };

  // Sections holding a refused value open, so the message under it is seen.
  const openInvalidSections = (invalid: FieldErrors<PolicyFormValues>) => {
    const withErrors = Object.keys(invalid.settings ?? {});
    setOpenSections((open) => [...new Set([...open, ...withErrors])]);
  };

  const save = handleSubmit((values) => {
    setSaveError(undefined);
    const changes = policyChanges(loaded.values, values);
    if (Object.keys(changes).length === 0) {
      notifyDone(t('policies:editor.unchanged'));
      return;
    }
    update.mutate(
      { ifMatch: ifMatchOf(loaded.version), changes },
      {
        onSuccess: (saved) => {
          startFrom(saved);
          notifyDone(t('common:states.saved'));
        },
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'POLICY_VERSION_CONFLICT') {
            // The administrator's values stay in the form until they choose to reload.
            setConflict(true);
            return;
          }
          if (placeNameTaken(error, setError)) return;
          setSaveError(applyApiError(error, setError, ['name', 'description']));
        },
      },
    );
  }, openInvalidSections);

  const reloadAfterConflict = async () => {
    const fresh = await reload();
    if (!fresh) return;
    startFrom(fresh);
    setConflict(false);
  };

  return (
    <>
      <form onSubmit={(event) => void save(event)} noValidate>
        <Stack gap="lg">
          <Group justify="space-between" align="flex-start">
            <Group gap="sm">
              <Title order={1}>{policy.name}</Title>
              {policy.builtin && <Badge variant="light">{t('policies:builtin')}</Badge>}
            </Group>
            <Button variant="default" component={Link} to={CONSOLE_APP_PATHS.policies}>
              {t('common:actions.back')}
            </Button>
          </Group>

          {policy.builtin && (
            <Alert color="blue" title={t('policies:editor.builtinTitle')}>
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{t('policies:editor.builtinNote')}</Text>
                {administersAnySite && (
                  <Button size="xs" onClick={() => setCopying(true)}>
                    {t('common:actions.copy')}
                  </Button>
                )}
              </Stack>
            </Alert>
          )}
          {!policy.builtin && !administersAnySite && (
            <Alert color="gray">{t('policies:editor.viewOnly')}</Alert>
          )}

          <Stack gap="sm" maw={640}>
            <PolicyNameFields
              name={register('name')}
              description={register('description')}
              errors={errors}
              readOnly={readOnly}
            />
          </Stack>

          <Stack gap="xs">
            <Title order={2}>{t('policies:editor.settings')}</Title>
            <SettingsAccordion
              sections={sections}
              control={control}
              readOnly={readOnly}
              open={openSections}
              onOpenChange={setOpenSections}
            />
          </Stack>

          {conflict && (
            <Alert color="orange" role="alert" title={t('policies:editor.conflictTitle')}>
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{t('errors:codes.POLICY_VERSION_CONFLICT')}</Text>
                <Button size="xs" variant="default" onClick={() => void reloadAfterConflict()}>
                  {t('policies:editor.reload')}
                </Button>
              </Stack>
            </Alert>
          )}
          <ApiErrorAlert error={saveError} />
          {!readOnly && (
            <Group>
              <Button type="submit" loading={update.isPending} disabled={conflict || !isDirty}>
                {t('common:actions.save')}
              </Button>
            </Group>
          )}

          <PolicyUsageCard policyId={policy.id} />
        </Stack>
      </form>
      {/* Outside the editor's form: the dialog's own submit must not bubble into it. */}
      <CopyPolicyDialog
        source={copying ? { id: policy.id, name: policy.name } : null}
        onClose={() => setCopying(false)}
      />
    </>
  );
}

/** Where the policy is used: sites' defaults, groups, endpoints. */
function PolicyUsageCard({ policyId }: { policyId: string }) {
  const { t } = useTranslation();
  const usage = usePolicyUsage(policyId);
  return (
    <Card withBorder component="section" aria-labelledby="policy-usage-title">
      <Stack gap="xs">
        <Title order={2} id="policy-usage-title">
          {t('policies:usage.title')}
        </Title>
        {usage.isPending && <Loader size="sm" aria-label={t('common:states.loading')} />}
        <ApiErrorAlert error={usage.error} />
        {usage.data && <PolicyUsageList usage={usage.data} />}
      </Stack>
    </Card>
  );
}
