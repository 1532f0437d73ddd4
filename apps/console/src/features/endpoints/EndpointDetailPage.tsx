import { Anchor, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconFolderShare, IconShieldCog } from '@tabler/icons-react';
import { consoleAppPath } from '@warden/contracts';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { type EndpointDetail, useEndpoint } from '../../api/endpoints';
import { usePermissions } from '../../auth/me';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDateTime } from '../../i18n/format';
import { useLanguage } from '../../i18n/language';
import { CommandHistory } from '../commands/CommandHistory';
import { EndpointActions } from '../commands/EndpointActions';
import { EndpointPolicyDialog } from './EndpointPolicyDialog';
import { StatusBadge } from './EndpointsTable';
import { MoveDialog } from './MoveDialog';
import { PolicyName } from './PolicyName';
import { useGroups } from './queries';
import { groupLabel } from './group-label';

/** One endpoint: what it is, where it is, its policy, its detections and its commands. */
export function EndpointDetailPage() {
  const { t } = useTranslation();
  const { endpointId = '' } = useParams();
  const endpoint = useEndpoint(endpointId);
  return (
    <Stack>
      <Anchor component={Link} to={consoleAppPath('endpoints')} size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} aria-hidden />
          {t('endpoints:detail.back')}
        </Group>
      </Anchor>
      <Title order={1}>{endpoint.data?.hostname ?? t('endpoints:detail.title')}</Title>
      <ApiErrorAlert error={endpoint.error} />
      {endpoint.isPending && <Loader aria-label={t('common:states.loading')} />}
      {endpoint.data && <EndpointSections endpoint={endpoint.data} />}
    </Stack>
  );
}

function EndpointSections({ endpoint }: { endpoint: EndpointDetail }) {
  const { t } = useTranslation();
  const mayChange = usePermissions().administers(endpoint.siteId);
  const [dialog, setDialog] = useState<'policy' | 'move' | undefined>();
  return (
    <>
      {mayChange && (
        <Group>
          <Button
            variant="default"
            leftSection={<IconShieldCog size={16} aria-hidden />}
            onClick={() => setDialog('policy')}
          >
            {t('endpoints:policyDialog.open')}
          </Button>
          <Button
            variant="default"
            leftSection={<IconFolderShare size={16} aria-hidden />}
            onClick={() => setDialog('move')}
          >
            {t('endpoints:move.openOne')}
          </Button>
          <EndpointActions target={{ kind: 'endpoints', endpointIds: [endpoint.id] }} count={1} />
        </Group>
      )}
      <Facts endpoint={endpoint} />
      <Detections detections={endpoint.detections} />
      <CommandHistory endpointId={endpoint.id} />
      {dialog === 'policy' && (
        <EndpointPolicyDialog opened endpoint={endpoint} onClose={() => setDialog(undefined)} />
      )}
      <MoveDialog
        opened={dialog === 'move'}
        siteId={endpoint.siteId}
        selection={{ kind: 'ids', endpointIds: [endpoint.id] }}
        count={1}
        onClose={() => setDialog(undefined)}
      />
    </>
  );
}

function Facts({ endpoint }: { endpoint: EndpointDetail }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const group = useGroups(endpoint.siteId).data?.find((g) => g.id === endpoint.groupId);
  const none = t('common:states.none');
  const facts: [string, ReactNode][] = [
    ['endpoints:columns.status', <StatusBadge key="status" status={endpoint.status} />],
    ['endpoints:columns.group', group ? groupLabel(group, t) : endpoint.groupName],
    ['endpoints:columns.policy', <PolicyName key="policy" policy={endpoint.policy} />],
    [
      'endpoints:detail.os',
      t(`endpoints:os.${endpoint.os.family}`, { version: endpoint.os.version }),
    ],
    ['endpoints:columns.product', t('endpoints:product', { version: endpoint.agentVersion })],
    ['endpoints:detail.ip', endpoint.ip ?? none],
    ['endpoints:detail.mac', endpoint.mac ?? none],
    ['endpoints:detail.enrolledAt', formatDateTime(endpoint.enrolledAt, language, t)],
    ['endpoints:columns.lastSeen', formatDateTime(endpoint.lastSeenAt, language, t)],
    ['endpoints:columns.lastInfection', formatDateTime(endpoint.lastInfectionAt, language, t)],
  ];
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        {t('endpoints:detail.facts')}
      </Title>
      <Table variant="vertical" layout="fixed" withTableBorder>
        <Table.Tbody>
          {facts.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={220} scope="row">
                {t(label)}
              </Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function Detections({ detections }: { detections: EndpointDetail['detections'] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        {t('endpoints:detail.detections')}
      </Title>
      {detections.length === 0 ? (
        <Text c="dimmed">{t('endpoints:detail.noDetections')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table striped aria-label={t('endpoints:detail.detections')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('endpoints:detections.threat')}</Table.Th>
                <Table.Th>{t('endpoints:detections.path')}</Table.Th>
                <Table.Th>{t('endpoints:detections.action')}</Table.Th>
                <Table.Th>{t('endpoints:detections.detectedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {detections.map((detection) => (
                <Table.Tr key={detection.id}>
                  <Table.Td>{detection.threatName}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                      {detection.path}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t(`endpoints:detections.actions.${detection.actionTaken}`)}</Table.Td>
                  <Table.Td>{formatDateTime(detection.detectedAt, language, t)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
