import type { AccessTokenClaims } from '@warden/contracts';
import { DomainError } from '@warden/platform';
import { randomUUID } from 'node:crypto';
import {
  checkConsolePermission,
  checkResourcePermission,
  type SiteResolver,
} from './console-permission';

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

describe('checkResourcePermission: routes that name a command or an endpoint, not a site', () => {
  const site = randomUUID();
  const command = randomUUID();
  const resolver: SiteResolver = {
    resource: 'command',
    notFound: 'COMMAND_NOT_FOUND',
    siteOf: (_caller, id) => Promise.resolve(id === command ? site : null),
  };
  const check = async (
    who: AccessTokenClaims,
    level: 'admin' | 'view_only',
    commandId: string,
  ): Promise<string> => {
    try {
      await checkResourcePermission(
        who,
        { level, from: { resource: 'command', param: 'commandId' } },
        { params: { commandId } },
        resolver,
        { actor: { type: 'admin', id: who.sub }, consoleId: who.cid },
      );
      return 'allowed';
    } catch (error) {
      return error instanceof DomainError ? error.code : String(error);
    }
  };

  it('lets through who has the level on the resource’s site, and a super admin', async () => {
    const sut = await Promise.all([
      check(claims('super_admin'), 'admin', command),
      check(claims('admin', { [site]: 'admin' }), 'admin', command),
      check(claims('admin', { [site]: 'view_only' }), 'view_only', command),
    ]);

    expect(sut).toEqual(['allowed', 'allowed', 'allowed']);
  });

  it('answers the resource’s not-found for another console’s, or a site the caller does not see', async () => {
    const sut = await Promise.all([
      check(claims('super_admin'), 'view_only', randomUUID()),
      check(claims('admin', { [randomUUID()]: 'admin' }), 'view_only', command),
      check(claims('admin', { [site]: 'view_only' }), 'admin', command),
      check(claims('admin', { [site]: 'admin' }), 'admin', 'not-an-id'),
    ]);

    expect(sut).toEqual([
      'COMMAND_NOT_FOUND',
      'COMMAND_NOT_FOUND',
      'FORBIDDEN',
      'VALIDATION_FAILED',
    ]);
  });
});
