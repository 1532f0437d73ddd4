import { z } from 'zod';
import { ACCOUNT_TYPES } from './identity.schemas';

/**
 * The console access token: a JWT signed by identity (ES256, its private key
 * `ACCESS_TOKEN_SIGNING_KEY`) and verified by the gateway alone (the public key
 * `ACCESS_TOKEN_VERIFY_KEY`), so no request needs a round trip to identity to
 * know who calls. It lives at most 15 minutes: what it says about an account
 * (disabled, another site access) is at most that old.
 */
export const ACCESS_TOKEN = {
  algorithm: 'ES256',
  issuer: 'warden-identity',
  audience: 'warden-console',
  maxLifetimeSeconds: 900,
} as const;

export const accessTokenClaimsSchema = z.object({
  /** The administrator's id. */
  sub: z.string().uuid(),
  /** The console (tenant) the administrator belongs to: the only source of a console id. */
  cid: z.string().uuid(),
  /** The session (refresh-token family): logout revokes it, and with it this token. */
  sid: z.string().uuid(),
  typ: z.enum(ACCOUNT_TYPES),
  /** Site id → access level, for `admin` accounts; absent for super admins (every site). */
  sites: z.record(z.enum(['admin', 'view_only'])).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;
