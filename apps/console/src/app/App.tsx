import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { setNonce } from 'get-nonce';
import { type ReactNode, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError } from '../api/errors';
import { createI18n } from '../i18n/i18n';
import { createConsoleRouter } from './router';
import { consoleTheme, readableColors } from './theme';

/** The CSP nonce the gateway put into this page (ADR 0013). */
const styleNonce = () =>
  document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';

// Dialogs lock the page's scroll with a <style> element of their own
// (react-remove-scroll), which takes its nonce from here.
setNonce(styleNonce());

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
    <I18nextProvider i18n={i18n}>
      <ThemeInLanguage>
        <QueryClientProvider client={queryClient}>
          <Notifications position="top-right" />
          <RouterProvider router={router} />
        </QueryClientProvider>
      </ThemeInLanguage>
    </I18nextProvider>
  );
}

/** The component library's theme, whose built-in labels follow the language. */
function ThemeInLanguage({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const theme = useMemo(() => consoleTheme(t), [t, i18n.language]);
  return (
    <MantineProvider theme={theme} getStyleNonce={styleNonce} cssVariablesResolver={readableColors}>
      {children}
    </MantineProvider>
  );
}
