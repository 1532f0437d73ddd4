/**
 * The pages of the web console (apps/console) that a browser may open
 * directly: by typing the address, reloading, or following a link from an
 * e-mail. The console's router declares exactly these, and the gateway answers
 * each with the console's page, so a reload on any screen works and a typo
 * still meets the API's 404. The e-mail links (identity's mailer) open
 * `activation` and `resetPassword`: do not rename those two.
 */
export const CONSOLE_APP_PATHS = {
  dashboard: '/',
  login: '/login',
  activation: '/activation/:token',
  recovery: '/recovery',
  resetPassword: '/reset-password/:token',
  account: '/account',
  twoFactorSetup: '/account/two-factor',
  endpoints: '/endpoints',
  endpoint: '/endpoints/:endpointId',
  groups: '/groups',
  policies: '/policies',
  policy: '/policies/:policyId',
  installers: '/installers',
  administrators: '/administrators',
  administrator: '/administrators/:administratorId',
  inviteAdministrator: '/administrators/new',
  settings: '/settings',
  auditTrail: '/audit-trail',
} as const;

export type ConsoleAppPage = keyof typeof CONSOLE_APP_PATHS;

/** Fills a page's `:name` parameters, each URI-encoded. */
export function consoleAppPath(
  page: ConsoleAppPage,
  params: Readonly<Record<string, string>> = {},
): string {
  return CONSOLE_APP_PATHS[page].replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`the page ${page} needs its ${name}`);
    return encodeURIComponent(value);
  });
}
