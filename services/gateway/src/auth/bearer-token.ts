import type { IncomingHttpHeaders } from 'node:http';
import { Strategy } from 'passport';

// RFC 6750 token68.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** Operator tokens: bounded so that hashing a presented token stays cheap. */
export const OPAQUE_TOKEN_MAX_LENGTH = 512;

/**
 * The bearer token of `Authorization: Bearer <token>`, or null. Only that
 * header: a token in the URL ends up in proxy and browser logs, and one in a
 * JSON body in request dumps, so neither is accepted.
 */
export function bearerTokenFrom(
  headers: IncomingHttpHeaders,
  maxLength = OPAQUE_TOKEN_MAX_LENGTH,
): string | null {
  const authorization = headers.authorization;
  // 'Bearer', spaces and padding: a header much longer than the token cannot hold one that fits.
  if (typeof authorization !== 'string' || authorization.length > maxLength + 64) return null;
  const token = BEARER.exec(authorization)?.[1];
  return token !== undefined && token.length <= maxLength ? token : null;
}

type Verify = (token: string, done: (error: unknown, user?: unknown) => void) => void;

/**
 * A passport strategy that reads the bearer token from the Authorization
 * header only (passport-http-bearer also reads `access_token` from the query
 * string and the body).
 */
export class HeaderBearerStrategy extends Strategy {
  constructor(private readonly verify: Verify) {
    super();
  }

  override authenticate(request: { headers: IncomingHttpHeaders }): void {
    const token = bearerTokenFrom(request.headers);
    if (token === null) {
      this.fail('Bearer realm="warden"', 401);
      return;
    }
    this.verify(token, (error, user) => {
      if (error) this.error(error instanceof Error ? error : new Error('token check failed'));
      else if (!user) this.fail('Bearer realm="warden", error="invalid_token"', 401);
      else this.success(user);
    });
  }
}
