import { CONSOLE_APP_PATHS as PATHS } from '@warden/contracts';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { RequireSession } from '../auth/RequireSession';
import { AccountPage } from '../features/account/AccountPage';
import { TwoFactorSetupPage } from '../features/account/TwoFactorSetupPage';
import { AdministratorPage } from '../features/administrators/AdministratorPage';
import { AdministratorsPage } from '../features/administrators/AdministratorsPage';
import { InviteAdministratorPage } from '../features/administrators/InviteAdministratorPage';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { EndpointDetailPage } from '../features/endpoints/EndpointDetailPage';
import { EndpointsPage } from '../features/endpoints/EndpointsPage';
import { GroupsPage } from '../features/endpoints/GroupsPage';
import { InstallersPage } from '../features/installers/InstallersPage';
import { PoliciesPage } from '../features/policies/PoliciesPage';
import { PolicyPage } from '../features/policies/PolicyPage';
import { AuditTrailPage } from '../features/settings/AuditTrailPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { ActivationPage } from '../features/sign-in/ActivationPage';
import { LoginPage } from '../features/sign-in/LoginPage';
import { RecoveryPage } from '../features/sign-in/RecoveryPage';
import { ResetPasswordPage } from '../features/sign-in/ResetPasswordPage';
import { AppLayout } from './AppLayout';
import { NotFoundPage } from './NotFoundPage';

/**
 * Every page of the console, at the paths libs/contracts names (the gateway
 * serves the console's page on exactly these, so a reload works anywhere).
 */
export const ROUTES: RouteObject[] = [
  { path: PATHS.login, element: <LoginPage /> },
  { path: PATHS.activation, element: <ActivationPage /> },
  { path: PATHS.recovery, element: <RecoveryPage /> },
  { path: PATHS.resetPassword, element: <ResetPasswordPage /> },
  {
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { path: PATHS.dashboard, element: <DashboardPage /> },
      { path: PATHS.account, element: <AccountPage /> },
      { path: PATHS.twoFactorSetup, element: <TwoFactorSetupPage /> },
      { path: PATHS.endpoints, element: <EndpointsPage /> },
      { path: PATHS.endpoint, element: <EndpointDetailPage /> },
      { path: PATHS.groups, element: <GroupsPage /> },
      { path: PATHS.policies, element: <PoliciesPage /> },
      { path: PATHS.policy, element: <PolicyPage /> },
      { path: PATHS.installers, element: <InstallersPage /> },
      { path: PATHS.administrators, element: <AdministratorsPage /> },
      { path: PATHS.inviteAdministrator, element: <InviteAdministratorPage /> },
      { path: PATHS.administrator, element: <AdministratorPage /> },
      { path: PATHS.settings, element: <SettingsPage /> },
      { path: PATHS.auditTrail, element: <AuditTrailPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export const createConsoleRouter = () => createBrowserRouter(ROUTES);
