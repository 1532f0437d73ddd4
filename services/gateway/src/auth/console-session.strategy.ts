import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ACCESS_TOKEN, type AccessTokenClaims, accessTokenClaimsSchema } from '@warden/contracts';
import type { IncomingHttpHeaders } from 'node:http';
import { Strategy as JwtStrategy } from 'passport-jwt';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { bearerTokenFrom } from './bearer-token';

export const CONSOLE_SESSION_STRATEGY = 'console-session';

/**
 * Room for a claim per site (an `admin` account's `sites`) while staying well
 * under Node's 16 KiB of request headers; identity keeps tokens far smaller.
 */
export const ACCESS_TOKEN_MAX_LENGTH = 8_192;

/**
 * The claims of an access token that passed every check: signature (ES256,
 * and only that algorithm), issuer, audience, expiry, and the claims' own
 * shape — or null.
 *
 * A token must also not claim to live longer than ACCESS_TOKEN.maxLifetimeSeconds:
 * a revoked session is remembered that long (session-revocations.ts), so a
 * longer-lived token would outlive its revocation.
 */
export function accessTokenClaimsFrom(payload: unknown): AccessTokenClaims | null {
  const parsed = accessTokenClaimsSchema.safeParse(payload);
  if (!parsed.success) return null;
  const { iat, exp } = parsed.data;
  if (exp <= iat || exp - iat > ACCESS_TOKEN.maxLifetimeSeconds) return null;
  return parsed.data;
}

/**
 * `Authorization: Bearer <access token>` on the console API: a JWT signed by
 * identity, verified here with its public key alone — no round trip to
 * identity per request. What the token says is at most 15 minutes old; a
 * logout takes effect at once through the revocation list the AccessGuard
 * checks after this.
 */
@Injectable()
export class ConsoleSessionStrategy extends PassportStrategy(
  JwtStrategy,
  CONSOLE_SESSION_STRATEGY,
) {
  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    super({
      // Only the header (never ?access_token= nor a body field), as for operator tokens.
      jwtFromRequest: (request: { headers: IncomingHttpHeaders }) =>
        bearerTokenFrom(request.headers, ACCESS_TOKEN_MAX_LENGTH),
      // A KeyObject, parsed once at start (jsonwebtoken would parse a PEM string on every request).
      secretOrKeyProvider: (_request, _token, done) =>
        done(null, config.accessTokenVerifyKey as unknown as Buffer),
      algorithms: [ACCESS_TOKEN.algorithm],
      issuer: ACCESS_TOKEN.issuer,
      audience: ACCESS_TOKEN.audience,
      ignoreExpiration: false,
    });
  }

  validate(payload: unknown): AccessTokenClaims | false {
    return accessTokenClaimsFrom(payload) ?? false;
  }
}
