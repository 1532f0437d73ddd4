import { CONSOLE_APP_PATHS as PATHS } from '@warden/contracts';
import type { ComponentType } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { RequireSession } from '../auth/RequireSession';
import { AppLayout } from './AppLayout';
import { NotFoundPage } from './NotFoundPage';
import { RouteErrorPage } from './RouteErrorPage';

/**
 * A page's module, loaded when the page is first opened: the first paint
 * carries the shell (layout, component library, translations), not every
 * screen.
 */
function page<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string) {
  return async () => ({ Component: (await load())[name] as ComponentType });
}

/**
 * Every page of the console, at the paths libs/contracts names (the gateway
 * serves the console's page on exactly these, so a reload works anywhere).
 */
const PAGES: RouteObject[] = [
  { path: PATHS.login, lazy: page(() => import('../features/sign-in/LoginPage'), 'LoginPage') },
  {
    path: PATHS.activation,
    lazy: page(() => import('../features/sign-in/ActivationPage'), 'ActivationPage'),
  },
  {
    path: PATHS.recovery,
    lazy: page(() => import('../features/sign-in/RecoveryPage'), 'RecoveryPage'),
  },
  {
    path: PATHS.resetPassword,
    lazy: page(() => import('../features/sign-in/ResetPasswordPage'), 'ResetPasswordPage'),
  },
  {
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      {
        path: PATHS.dashboard,
        lazy: page(() => import('../features/dashboard/DashboardPage'), 'DashboardPage'),
      },
      {
        path: PATHS.account,
        lazy: page(() => import('../features/account/AccountPage'), 'AccountPage'),
      },
      {
        path: PATHS.twoFactorSetup,
        lazy: page(() => import('../features/account/TwoFactorSetupPage'), 'TwoFactorSetupPage'),
      },
      {
        path: PATHS.endpoints,
        lazy: page(() => import('../features/endpoints/EndpointsPage'), 'EndpointsPage'),
      },
      {
        path: PATHS.endpoint,
        lazy: page(() => import('../features/endpoints/EndpointDetailPage'), 'EndpointDetailPage'),
      },
      {
        path: PATHS.groups,
        lazy: page(() => import('../features/endpoints/GroupsPage'), 'GroupsPage'),
      },
      {
        path: PATHS.policies,
        lazy: page(() => import('../features/policies/PoliciesPage'), 'PoliciesPage'),
      },
      {
        path: PATHS.policy,
        lazy: page(() => import('../features/policies/PolicyPage'), 'PolicyPage'),
      },
      {
        path: PATHS.installers,
        lazy: page(() => import('../features/installers/InstallersPage'), 'InstallersPage'),
      },
      {
        path: PATHS.administrators,
        lazy: page(
          () => import('../features/administrators/AdministratorsPage'),
          'AdministratorsPage',
        ),
      },
      {
        path: PATHS.inviteAdministrator,
        lazy: page(
          () => import('../features/administrators/InviteAdministratorPage'),
          'InviteAdministratorPage',
        ),
      },
      {
        path: PATHS.administrator,
        lazy: page(
          () => import('../features/administrators/AdministratorPage'),
          'AdministratorPage',
        ),
      },
      {
        path: PATHS.settings,
        lazy: page(() => import('../features/settings/SettingsPage'), 'SettingsPage'),
      },
      {
        path: PATHS.auditTrail,
        lazy: page(() => import('../features/settings/AuditTrailPage'), 'AuditTrailPage'),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

/** The pages, under one error page for whatever fails to load or draw. */
export const ROUTES: RouteObject[] = [{ errorElement: <RouteErrorPage />, children: PAGES }];

export const createConsoleRouter = () => createBrowserRouter(ROUTES);
