import type { Caller } from '@warden/contracts';
import { DomainError } from '../errors/domain-error';
import { assertMayChange, maySee } from './site-access';

const SITE = '01a220bb-fa6f-7e89-93ff-c65991995eb2';
const OTHER = '01a220bb-fa6f-7e89-93ff-c65991995eb3';
const actor: Caller['actor'] = { type: 'admin', id: 'admin-1' };

function codeOf(action: () => void): string {
  try {
    action();
    return 'OK';
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
}

describe('site access', () => {
  it('lets a super admin (no siteAccess) see and change every site', () => {
    const sut: Caller = { actor, consoleId: OTHER };

    expect(maySee(sut, SITE)).toBe(true);
    expect(codeOf(() => assertMayChange(sut, SITE))).toBe('OK');
  });

  it('lets an admin see its view-only sites but change only its admin sites', () => {
    const sut: Caller = { actor, consoleId: OTHER, siteAccess: { [SITE]: 'view_only' } };

    expect(maySee(sut, SITE)).toBe(true);
    expect(codeOf(() => assertMayChange(sut, SITE))).toBe('FORBIDDEN');
    expect(codeOf(() => assertMayChange({ ...sut, siteAccess: { [SITE]: 'admin' } }, SITE))).toBe(
      'OK',
    );
  });

  it('hides a site an admin has no access to: not found, never forbidden', () => {
    const sut: Caller = { actor, consoleId: OTHER, siteAccess: { [SITE]: 'admin' } };

    expect(maySee(sut, OTHER)).toBe(false);
    expect(codeOf(() => assertMayChange(sut, OTHER))).toBe('SITE_NOT_FOUND');
    expect(maySee({ ...sut, siteAccess: {} }, SITE)).toBe(false);
  });
});
