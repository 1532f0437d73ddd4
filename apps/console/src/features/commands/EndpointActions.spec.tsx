import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { type CommandTarget, keycodeFromBody } from '@warden/contracts';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { usePermissions } from '../../auth/me';
import { createI18n } from '../../i18n/i18n';
import { issueCommand, previewCommand } from './command-queries';
import { EndpointActions } from './EndpointActions';

jest.mock('./command-queries', () => ({
  COMMANDS_QUERY_KEY: ['commands'],
  ENDPOINTS_QUERY_KEY: ['endpoints'],
  previewCommand: jest.fn(),
  issueCommand: jest.fn(),
  useBulk: () => ({ data: undefined, error: null }),
}));
jest.mock('../../api/console-settings', () => ({
  useConsoleSettings: () => ({ data: { sites: [] } }),
}));
jest.mock('../../auth/me', () => ({ usePermissions: jest.fn() }));

const preview = jest.mocked(previewCommand);
const issue = jest.mocked(issueCommand);
const permissions = jest.mocked(usePermissions);

const SITE = '6f0c6c1e-6a4b-4f7e-9d55-0d9a2a1f3b10';
const TARGET: CommandTarget = { kind: 'site', siteId: SITE };

function previewOf(
  count: number,
  confirmationToken: string,
  warning: 'BILLING_UNTIL_REMOVAL_VERIFIED' | null = null,
) {
  return {
    count,
    skipped: 0,
    sites: [{ siteId: SITE, count }],
    confirmationToken,
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    warning,
  };
}

const bulkOf = (type: 'deactivate' | 'refresh_config', total: number) => ({
  bulkId: 'bulk-1',
  type,
  issuedBy: { type: 'admin' as const, id: 'a-1' },
  createdAt: new Date().toISOString(),
  total,
  states: { pending: total, delivered: 0, succeeded: 0, failed: 0, cancelled: 0, expired: 0 },
});

const apiError = (status: number, code: string) =>
  new ApiError(status, { error: { code, message: code, requestId: 'req-1' } });

function renderActions(props: { target?: CommandTarget; count?: number; onIssued?: () => void }) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <I18nextProvider i18n={createI18n('ja')}>{children}</I18nextProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
  return render(
    <EndpointActions
      target={'target' in props ? props.target : TARGET}
      count={props.count ?? 3}
      onIssued={props.onIssued}
    />,
    { wrapper },
  );
}

const administers = (yes: boolean) =>
  permissions.mockReturnValue({
    superAdmin: false,
    administers: () => yes,
    administersAnySite: yes,
  });

async function choose(command: string) {
  fireEvent.click(screen.getByRole('button', { name: 'エージェントコマンド' }));
  fireEvent.click(await screen.findByRole('menuitem', { name: command }));
}

beforeEach(() => {
  jest.resetAllMocks();
  administers(true);
});

describe('the agent commands menu', () => {
  it('is not there for a view-only administrator of the site', () => {
    administers(false);
    renderActions({});
    expect(screen.queryByRole('button', { name: 'エージェントコマンド' })).toBeNull();
  });

  it('is disabled with nothing selected', () => {
    renderActions({ target: undefined, count: 0 });
    expect(screen.getByRole('button', { name: 'エージェントコマンド' })).toHaveProperty(
      'disabled',
      true,
    );
  });

  it('deactivates after a confirmation naming the count and the billing warning', async () => {
    const onIssued = jest.fn();
    preview.mockResolvedValueOnce(previewOf(3, 'token-1', 'BILLING_UNTIL_REMOVAL_VERIFIED'));
    issue.mockResolvedValueOnce(bulkOf('deactivate', 3));
    renderActions({ onIssued });

    await choose('デバイスを非アクティブ化');
    await screen.findByText('3 台のエンドポイントにコマンドを送信します。');
    screen.getByText(/課金の対象となります/);
    fireEvent.click(screen.getByRole('button', { name: 'コマンドの送信' }));

    await waitFor(() => expect(onIssued).toHaveBeenCalled());
    expect(preview).toHaveBeenCalledWith(TARGET, { type: 'deactivate' });
    expect(issue.mock.calls[0]![0]).toBe('token-1');
  });

  it('counts again when the confirmation expired, so a second press sends', async () => {
    preview
      .mockResolvedValueOnce(previewOf(2, 'token-1'))
      .mockResolvedValueOnce(previewOf(2, 'token-2'));
    issue
      .mockRejectedValueOnce(apiError(409, 'CONFIRMATION_TOKEN_EXPIRED'))
      .mockResolvedValueOnce(bulkOf('refresh_config', 2));
    renderActions({});

    await choose('設定のリフレッシュ');
    fireEvent.click(await screen.findByRole('button', { name: 'コマンドの送信' }));

    await screen.findByText('この確認の有効期限が切れました。選択内容をもう一度確認してください。');
    await waitFor(() => expect(preview).toHaveBeenCalledTimes(2));
    fireEvent.click(screen.getByRole('button', { name: 'コマンドの送信' }));
    await waitFor(() => expect(issue).toHaveBeenCalledTimes(2));
    expect(issue.mock.calls.map(([token]) => token)).toEqual(['token-1', 'token-2']);
  });

  it('checks a keycode before asking the server, and sends it in its canonical form', async () => {
    preview.mockRejectedValueOnce(apiError(400, 'KEYCODE_INVALID'));
    renderActions({});

    await choose('キーコードを変更');
    const keycode = await screen.findByRole('textbox', { name: /移動先のキーコード/ });
    fireEvent.change(keycode, { target: { value: 'abcd' } });
    fireEvent.click(screen.getByRole('button', { name: '次へ' }));
    await screen.findByText('キーコードは英数字20文字です(XXXX-XXXX-XXXX-XXXX-XXXX)。');
    expect(preview).not.toHaveBeenCalled();

    const known = keycodeFromBody('A'.repeat(19)) ?? keycodeFromBody('B'.repeat(19))!;
    fireEvent.change(keycode, { target: { value: known.toLowerCase() } });
    fireEvent.click(screen.getByRole('button', { name: '次へ' }));

    await screen.findByText('このキーコードは無効です。入力ミスがないか確認してください。');
    expect(preview).toHaveBeenCalledWith(TARGET, {
      type: 'change_keycode',
      parameters: { keycode: known },
    });
  });
});
