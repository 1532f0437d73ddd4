import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import type { TableSelection } from './table-state';

/**
 * How many endpoints are selected, and the step from rows picked here to
 * every endpoint matching the filter, across pages.
 */
export function SelectionBar(props: {
  selection: TableSelection;
  count: number;
  matching: number;
  onSelectAllMatching: () => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (props.count === 0) return null;
  const allMatching = props.selection.kind === 'allMatching';
  return (
    <Group gap="sm">
      <Text size="sm" fw={600} data-testid="selection-count">
        {t(allMatching ? 'endpoints:selection.allMatching' : 'endpoints:selection.count', {
          n: formatNumber(props.count, language),
        })}
      </Text>
      {!allMatching && props.matching > props.count && (
        <Button variant="subtle" size="compact-sm" onClick={props.onSelectAllMatching}>
          {t('endpoints:selection.selectAllMatching', {
            n: formatNumber(props.matching, language),
          })}
        </Button>
      )}
      <Button variant="subtle" size="compact-sm" color="gray" onClick={props.onClear}>
        {t('endpoints:selection.clear')}
      </Button>
    </Group>
  );
}
