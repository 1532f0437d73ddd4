import type { IncomingHttpHeaders } from 'node:http';
import { Strategy } from 'passport';

// RFC 6750 token68, bounded so that hashing a presented token stays cheap.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]{1,512}=*) *$/i;

/**
 * The bearer token of `Authorization: Bearer <token>`, or null. Only that
 * header: a token in the URL ends up in proxy and browser logs, and one in a
 * JSON body in request dumps, so neither is accepted.
 */
export function bearerTokenFrom(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  if (typeof authorization !== 'string') return null;
  return BEARER.exec(authorization)?.[1] ?? null;
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
