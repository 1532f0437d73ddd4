import { Button, Group, Select, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { PAGE_SIZES } from './table-state';

/** Keyset paging: forward with the reply's cursor, back through the cursors already seen. */
export function TablePager(props: {
  /** 1 on the first page. */
  page: number;
  total: number;
  pageSize: number;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  onPageSize: (pageSize: number) => void;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <Group justify="space-between">
      <Text size="sm" aria-live="polite">
        {t('endpoints:pager.summary', {
          page: formatNumber(props.page, language),
          total: formatNumber(props.total, language),
        })}
      </Text>
      <Group>
        <Select
          label={t('endpoints:pager.pageSize')}
          data={PAGE_SIZES.map((size) => String(size))}
          value={String(props.pageSize)}
          onChange={(size) => size && props.onPageSize(Number(size))}
          allowDeselect={false}
          w={100}
        />
        <Button
          variant="default"
          leftSection={<IconChevronLeft size={16} aria-hidden />}
          disabled={props.page <= 1}
          onClick={props.onPrevious}
          mt="auto"
        >
          {t('common:actions.previousPage')}
        </Button>
        <Button
          variant="default"
          rightSection={<IconChevronRight size={16} aria-hidden />}
          disabled={!props.hasNext}
          onClick={props.onNext}
          mt="auto"
        >
          {t('common:actions.nextPage')}
        </Button>
      </Group>
    </Group>
  );
}
