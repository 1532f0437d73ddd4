import { Inject, Injectable } from '@nestjs/common';
import { ACCESS_TOKEN, type AccessTokenClaims } from '@warden/contracts';
import jwt from 'jsonwebtoken';
import type { AdministratorRecord } from '../administrators/administrator.model';
import type { IdentityConfig } from '../config';
import { IDENTITY_CONFIG } from '../identity.tokens';

/** Signs console access tokens (ES256); the gateway verifies them with the public key. */
@Injectable()
export class AccessTokenSigner {
  constructor(@Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig) {}

  get lifetimeSeconds(): number {
    return this.config.accessTokenTtlSeconds;
  }

  sign(admin: AdministratorRecord, sessionId: string): string {
    const claims: Omit<AccessTokenClaims, 'iat' | 'exp' | 'sub'> = {
      cid: admin.consoleId,
      sid: sessionId,
      typ: admin.accountType,
      ...(admin.accountType === 'admin'
        ? { sites: admin.siteAccess as AccessTokenClaims['sites'] }
        : {}),
    };
    return jwt.sign(claims, this.config.accessTokenSigningKey, {
      algorithm: ACCESS_TOKEN.algorithm,
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: ACCESS_TOKEN.issuer,
      audience: ACCESS_TOKEN.audience,
      subject: admin._id,
    });
  }
}
