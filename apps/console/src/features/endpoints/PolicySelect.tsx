import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePolicies } from '../../api/policies';

/** The Select's value for "no policy of its own": Mantine's Select has no null option. */
const INHERIT = 'inherit';

/**
 * A policy to give an endpoint or a group, or none of its own (`null`): it
 * then follows its group's, or its site's default.
 */
export function PolicySelect(props: {
  label: string;
  /** What "none of its own" means here ("follow the group", "follow the site's default"). */
  inheritLabel: string;
  value: string | null;
  onChange: (policyId: string | null) => void;
  error?: string;
}) {
  const policies = usePolicies();
  const { t } = useTranslation();
  const data = [
    { value: INHERIT, label: props.inheritLabel },
    ...(policies.data ?? []).map((policy) => ({ value: policy.id, label: policy.name })),
  ];
  return (
    <Select
      label={props.label}
      data={data}
      value={props.value ?? INHERIT}
      onChange={(value) => props.onChange(value === INHERIT || value === null ? null : value)}
      allowDeselect={false}
      searchable
      nothingFoundMessage={t('endpoints:noMatch')}
      error={props.error}
    />
  );
}
