import { BUILTIN_POLICY_IDS } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import type { NestRoute } from './nest-routes';

/**
 * A valid body for each console route that takes one, so that a request gets
 * past validation and reaches the permission checks and the service. Tests
 * that walk every console route fail on a route with a body missing here.
 */
export const CONSOLE_ROUTE_BODIES: Record<string, () => unknown> = {
  'PATCH /api/v1/me': () => ({ language: 'en' }),
  'POST /api/v1/me/password': () => ({
    currentPassword: 'not-the-password-1',
    newPassword: 'another4good5password',
  }),
  'POST /api/v1/me/2fa/setup': () => ({
    answers: [
      { question: 'Town you were born in?', answer: 'Nara' },
      { question: 'Your first school?', answer: 'Kaede' },
    ],
  }),
  'POST /api/v1/me/2fa/setup/:setupId/confirm': () => ({ code: '123456' }),
  'POST /api/v1/me/2fa/disable': () => ({ password: 'not-the-password-1', code: '123456' }),
  'POST /api/v1/administrators': () => ({
    email: `intruder-${randomUUID().slice(0, 8)}@example.jp`,
    firstName: 'Mallory',
    lastName: 'Intruder',
    accountType: 'super_admin',
  }),
  'PATCH /api/v1/administrators/:administratorId': () => ({ firstName: 'Mallory' }),
  'PATCH /api/v1/settings': () => ({ name: 'Taken over KK' }),
  'PATCH /api/v1/sites/:siteId': () => ({ comment: 'taken over' }),
  'POST /api/v1/policies': () => ({
    sourcePolicyId: BUILTIN_POLICY_IDS.recommended_defaults,
    name: `Taken over ${randomUUID().slice(0, 8)}`,
    description: 'copied by a stranger',
  }),
  'PATCH /api/v1/policies/:policyId': () => ({
    name: `Taken over ${randomUUID().slice(0, 8)}`,
    settings: { basic: { poll_interval: '1h' } },
  }),
  'PUT /api/v1/sites/:siteId/endpoints/:endpointId/policy': () => ({
    policyId: BUILTIN_POLICY_IDS.silent_audit,
  }),
  'POST /api/v1/sites/:siteId/endpoints/move': () => ({
    groupId: randomUUID(),
    selection: { kind: 'filter', filter: {} },
  }),
  'POST /api/v1/sites/:siteId/groups': () => ({ name: `Taken over ${randomUUID().slice(0, 8)}` }),
  'PATCH /api/v1/sites/:siteId/groups/:groupId': () => ({
    name: `Taken over ${randomUUID().slice(0, 8)}`,
    policyId: BUILTIN_POLICY_IDS.silent_audit,
  }),
  'POST /api/v1/commands/preview': () => ({
    target: { kind: 'endpoints', endpointIds: [randomUUID()] },
    command: { type: 'deactivate' },
  }),
  'POST /api/v1/commands': () => ({ confirmationToken: randomUUID() }),
  'POST /api/v1/endpoints/:endpointId/commands': () => ({ type: 'deactivate' }),
};

/**
 * Headers a console route requires besides the token and an Idempotency-Key
 * (which every walk sends), so that a request gets past them too.
 */
export const CONSOLE_ROUTE_HEADERS: Record<string, () => Record<string, string>> = {
  'PATCH /api/v1/policies/:policyId': () => ({ 'if-match': '"1"' }),
};

/** The headers a walk sends to `route`: a fresh Idempotency-Key and what the route requires. */
export const routeHeaders = (route: Pick<NestRoute, 'method' | 'url'>): Record<string, string> => ({
  'idempotency-key': randomUUID(),
  ...CONSOLE_ROUTE_HEADERS[routeKey(route)]?.(),
});

export const routeKey = (route: Pick<NestRoute, 'method' | 'url'>): string =>
  `${route.method} ${route.url}`;

/** The routes of `routes` that take a body this file has none for. */
export function routesWithoutBodies(routes: readonly NestRoute[]): string[] {
  return routes.filter((r) => r.takesBody && !(routeKey(r) in CONSOLE_ROUTE_BODIES)).map(routeKey);
}

/** A signed-in administrator's routes: the console API past sign-in. */
export const isConsoleRoute = (route: NestRoute): boolean => route.access?.kind === 'console';
