import { CONSOLE_APP_PATHS } from '@warden/contracts';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from './session';

/**
 * The console's pages need a session; without one, the login page, then back
 * here: after an expiry the user continues where they were, after logging out
 * they start again from the dashboard.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { tokens, ended } = useSession();
  const location = useLocation();
  if (tokens === undefined) {
    return (
      <Navigate
        to={CONSOLE_APP_PATHS.login}
        replace
        state={{
          from: ended === 'signed_out' ? undefined : location.pathname + location.search,
          ended,
        }}
      />
    );
  }
  return <>{children}</>;
}
