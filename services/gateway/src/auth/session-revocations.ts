import { ACCESS_TOKEN } from '@warden/contracts';
import type { Logger } from '@warden/platform';
import type { Redis } from 'ioredis';
import { OutageLog } from '../edge/outage-log';

/**
 * How long a revoked session is remembered: as long as an access token of it
 * can live (the strategy refuses any token that claims longer), plus a
 * minute for clocks of identity and the gateway that disagree a little.
 */
export const REVOKED_SESSION_TTL_SECONDS = ACCESS_TOKEN.maxLifetimeSeconds + 60;

/**
 * Sessions that ended (a logout, a refresh token used twice) while access
 * tokens of theirs may still be unexpired, shared by every gateway copy in
 * Redis: `<prefix>revoked-session:<sid>`, one GET per console request.
 *
 * Fails open like the rate limits (ADR 0006, 0007): while Redis does not
 * answer, a token is checked by its signature and expiry alone (it lives at
 * most 15 minutes), and an error is logged at most every 10 s.
 */
export class SessionRevocations {
  private readonly readOutage: OutageLog;
  private readonly writeOutage: OutageLog;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    logger: Logger,
  ) {
    this.readOutage = new OutageLog(
      logger,
      'session revocations unavailable (Redis); access tokens checked by signature and expiry only',
    );
    this.writeOutage = new OutageLog(
      logger,
      'session revocation not recorded (Redis); its access tokens work until they expire',
    );
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    try {
      return (await this.redis.get(this.key(sessionId))) !== null;
    } catch (error) {
      this.readOutage.report(error);
      return false;
    }
  }

  /** Returns whether it was recorded; a failure is logged, never thrown. */
  async revoke(sessionId: string): Promise<boolean> {
    try {
      await this.redis.set(this.key(sessionId), '1', 'EX', REVOKED_SESSION_TTL_SECONDS);
      return true;
    } catch (error) {
      this.writeOutage.report(error, { sessionId });
      return false;
    }
  }

  private key(sessionId: string): string {
    return `${this.keyPrefix}revoked-session:${sessionId.toLowerCase()}`;
  }
}
