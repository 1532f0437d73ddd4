import { Inject, Injectable } from '@nestjs/common';
import type { Caller, identityRpc, InputOf, ReplyOf, Session } from '@warden/contracts';
import { newId, tenantOf } from '@warden/platform';
import type { AdministratorRecord } from '../administrators/administrator.model';
import { AdministratorRepository } from '../administrators/administrator.repository';
import { IdentityAudit } from '../audit/identity-audit';
import type { IdentityConfig } from '../config';
import { sessionInvalid } from '../identity.errors';
import { IDENTITY_CONFIG } from '../identity.tokens';
import { newOpaqueToken, tokenHash } from '../secrets/opaque-token';
import { AccessTokenSigner } from './access-token.signer';
import { SessionRepository } from './session.repository';

const REFRESH_TOKEN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

/**
 * Sessions after a complete sign-in: a short-lived access token (JWT) and a
 * refresh token that rotates on every use. A rotated token presented again
 * means two holders of one token: the whole session ends.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly admins: AdministratorRepository,
    private readonly signer: AccessTokenSigner,
    private readonly audit: IdentityAudit,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async start(admin: AdministratorRecord): Promise<Session> {
    const now = new Date();
    const id = newId();
    const secret = newOpaqueToken();
    await this.sessions.insert({
      _id: id,
      administratorId: admin._id,
      consoleId: admin.consoleId,
      secretHash: tokenHash(secret),
      rotatedHashes: [],
      rotations: 0,
      expiresAt: new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000),
      revokedAt: null,
      revokedReason: null,
      createdAt: now,
      lastRefreshedAt: null,
    });
    return this.session(admin, id, secret);
  }

  async refresh(
    caller: Caller,
    { refreshToken }: InputOf<typeof identityRpc.refreshSession>,
  ): Promise<Session> {
    const match = REFRESH_TOKEN.exec(refreshToken);
    if (!match) throw sessionInvalid();
    const [, id, secret] = match as unknown as [string, string, string];
    const session = await this.sessions.findById(id);
    const now = new Date();
    if (!session) throw sessionInvalid();
    if (session.revokedAt || session.expiresAt <= now) throw sessionInvalid(true);
    const presented = tokenHash(secret);

    if (presented !== session.secretHash) {
      // A made-up secret ends nothing; a rotated one means two holders of one token.
      if (!session.rotatedHashes.includes(presented)) throw sessionInvalid();
      await this.endStolen(caller, session._id, session);
      throw sessionInvalid(true);
    }
    const admin = await this.admins.findById(session.administratorId);
    if (!admin || admin.state !== 'active') {
      await this.sessions.revoke(
        session.consoleId,
        session.administratorId,
        id,
        'account-inactive',
      );
      throw sessionInvalid(true);
    }
    const next = newOpaqueToken();
    if (!(await this.sessions.rotate(id, presented, tokenHash(next), now))) {
      // Another refresh rotated this very token a moment ago: two holders of one token.
      await this.endStolen(caller, id, session);
      throw sessionInvalid(true);
    }
    return this.session(admin, id, next);
  }

  async logout(
    caller: Caller,
    { sessionId }: InputOf<typeof identityRpc.logout>,
  ): Promise<ReplyOf<typeof identityRpc.logout>> {
    const consoleId = tenantOf(caller);
    const revoked = await this.sessions.revoke(consoleId, caller.actor.id, sessionId, 'logout');
    if (revoked) {
      await this.audit.record(caller, {
        consoleId,
        action: 'session.revoked',
        target: { type: 'session', id: sessionId },
      });
    }
    return { revoked };
  }

  /** Every session of an administrator ends (a password reset). */
  revokeAll(administratorId: string, reason: string): Promise<number> {
    return this.sessions.revokeAll(administratorId, reason);
  }

  /** Every session but `keep` ends (a password change from that session). */
  revokeAllBut(administratorId: string, keep: string, reason: string): Promise<number> {
    return this.sessions.revokeAll(administratorId, reason, keep);
  }

  private async endStolen(
    caller: Caller,
    id: string,
    session: { consoleId: string; administratorId: string },
  ): Promise<void> {
    if (
      await this.sessions.revoke(
        session.consoleId,
        session.administratorId,
        id,
        'refresh-token-reused',
      )
    ) {
      await this.audit.record(caller, {
        consoleId: session.consoleId,
        action: 'session.reuse-detected',
        target: { type: 'session', id },
        outcome: 'failure',
        after: { administratorId: session.administratorId },
      });
    }
  }

  private session(admin: AdministratorRecord, id: string, secret: string): Session {
    return {
      accessToken: this.signer.sign(admin, id),
      refreshToken: `${id}.${secret}`,
      expiresIn: this.signer.lifetimeSeconds,
      twoFactor: admin.twoFactorEnabledAt ? 'enabled' : 'not_set_up',
    };
  }
}
