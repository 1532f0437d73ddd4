import createClient from 'openapi-fetch';
import { ApiError } from './errors';
import type { paths } from './schema';
import { session } from '../auth/session';

/**
 * Every request of the console: the session's access token on it, and one
 * renewal through the refresh token when the access token has expired (at
 * most one renewal in flight, however many requests met the 401). When the
 * renewal fails too, the session ends and the console returns to the login
 * page, saying why.
 */
async function authorizedFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const token = session.accessToken();
  if (token !== undefined && !request.headers.has('authorization')) {
    request.headers.set('authorization', `Bearer ${token}`);
  }
  const response = await fetch(request);
  if (response.status !== 401 || token === undefined || isSignInRoute(request.url)) {
    return response;
  }
  const renewed = await session.renew(renewSession);
  if (!renewed) return response;
  retry.headers.set('authorization', `Bearer ${renewed}`);
  return fetch(retry);
}

const isSignInRoute = (url: string) => new URL(url).pathname.startsWith('/api/v1/auth/');

/** The typed client of the console API (generated types: ./schema.ts). */
export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: authorizedFetch });

async function renewSession(refreshToken: string) {
  const { data } = await api.POST('/api/v1/auth/refresh', { body: { refreshToken } });
  return data;
}

/** What an openapi-fetch call resolves to. */
interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The reply of a call, or an ApiError with its code: for queries and mutations. */
export async function unwrap<T>(call: Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await call;
  } catch {
    throw new ApiError(0, undefined);
  }
  const { data, error, response } = outcome;
  if (response.ok) return data as T;
  const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
  throw new ApiError(response.status, error, Number.isFinite(retryAfter) ? retryAfter : undefined);
}

/** The JSON reply type of a route: `Reply<'/api/v1/me', 'get'>`. */
export type Reply<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { 'application/json': infer T } } }
    ? T
    : R extends { 201: { content: { 'application/json': infer T } } }
      ? T
      : R extends { 202: { content: { 'application/json': infer T } } }
        ? T
        : never
  : never;

/** The JSON body type of a route. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;
