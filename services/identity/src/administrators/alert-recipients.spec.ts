import { type AlertCandidate, alertRecipientsOf } from './alert-recipients';

const SITE = '01a220bb-fa6f-7e89-93ff-c65991995eb2';
const OTHER = '01a220bb-fa6f-7e89-93ff-c65991995eb3';

const admin = (email: string, overrides: Partial<AlertCandidate> = {}): AlertCandidate => ({
  email,
  language: 'en',
  accountType: 'admin',
  state: 'active',
  siteAccess: {},
  ...overrides,
});

describe('alertRecipientsOf', () => {
  it('takes active super admins and active admins of the site, with their language', () => {
    const sut = alertRecipientsOf(
      [
        admin('z-super@example.com', { accountType: 'super_admin', language: 'ja' }),
        admin('site-admin@example.com', { siteAccess: { [SITE]: 'admin' } }),
        admin('viewer@example.com', { siteAccess: { [SITE]: 'view_only' } }),
        admin('elsewhere@example.com', { siteAccess: { [OTHER]: 'admin' } }),
        admin('invited@example.com', { accountType: 'super_admin', state: 'invited' }),
        admin('disabled@example.com', { siteAccess: { [SITE]: 'admin' }, state: 'disabled' }),
      ],
      SITE,
    );

    expect(sut).toEqual([
      { email: 'site-admin@example.com', language: 'en' },
      { email: 'z-super@example.com', language: 'ja' },
    ]);
  });
});
