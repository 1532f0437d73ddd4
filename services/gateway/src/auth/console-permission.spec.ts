import type { AccessTokenClaims } from '@warden/contracts';
import { DomainError } from '@warden/platform';
import { randomUUID } from 'node:crypto';
import { checkConsolePermission } from './console-permission';

const claims = (
  typ: AccessTokenClaims['typ'],
  sites?: Record<string, 'admin' | 'view_only'>,
): AccessTokenClaims =>
  ({
    sub: randomUUID(),
    cid: randomUUID(),
    sid: randomUUID(),
    typ,
    ...(sites ? { sites } : {}),
  }) as AccessTokenClaims;

const verdict = (who: AccessTokenClaims): string => {
  try {
    checkConsolePermission(who, { kind: 'any-site-admin' }, {});
    return 'allowed';
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
};

describe('checkConsolePermission: any-site-admin (console-wide changes such as policies)', () => {
  it('lets a super admin through, and an admin account with admin on at least one site', () => {
    const sut = [
      claims('super_admin'),
      claims('admin', { [randomUUID()]: 'admin' }),
      claims('admin', { [randomUUID()]: 'view_only', [randomUUID()]: 'admin' }),
    ].map(verdict);

    expect(sut).toEqual(['allowed', 'allowed', 'allowed']);
  });

  it('refuses an admin account that only views sites, or has none, as FORBIDDEN', () => {
    const sut = [
      claims('admin', { [randomUUID()]: 'view_only' }),
      claims('admin', {}),
      claims('admin'),
    ].map(verdict);

    expect(sut).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
  });
});
