import { createTheme, type CSSVariablesResolver, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError } from '../api/errors';
import { createI18n } from '../i18n/i18n';
import { createConsoleRouter } from './router';

const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP", Meiryo, sans-serif',
});

/** Mantine's "dimmed" grey (#868e96) is 3.3:1 on white, under WCAG AA's 4.5:1. */
const accessibleGreys: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});

/** The CSP nonce the gateway put into this page, for the component library's <style> elements. */
const styleNonce = () =>
  document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';

/** A refused request is not retried (it would be refused again); a lost one is, once. */
const retryLost = (failures: number, error: unknown) =>
  failures < 1 && error instanceof ApiError && (error.code === 'NETWORK' || error.status >= 502);

export function App() {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: retryLost, refetchOnWindowFocus: false },
          mutations: { retry: false },
        },
      }),
  );
  const [i18n] = useState(() => createI18n());
  const [router] = useState(createConsoleRouter);
  return (
    <MantineProvider
      theme={theme}
      getStyleNonce={styleNonce}
      cssVariablesResolver={accessibleGreys}
    >
      <QueryClientProvider client={queryClient}>
        <I18nextProvider i18n={i18n}>
          <Notifications position="top-right" />
          <RouterProvider router={router} />
        </I18nextProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
