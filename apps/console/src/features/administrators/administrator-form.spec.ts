import { ApiError } from '../../api/errors';
import { ruleOfIssue } from '../../components/forms';
import { availableActions, invitationExpired } from './administrator-actions';
import {
  type Administrator,
  administratorFormSchema,
  type AdministratorForm,
  conflictFieldOf,
  editFormOf,
  emptyAdministratorForm,
  sitePermissionDefaults,
  STEP_FIELDS,
  stepOfFields,
  toAddRequest,
  toUpdateRequest,
} from './administrator-form';

const HQ = { id: '0b7a1f1e-6f0c-4c53-9a52-6f1a8f4d2c01', name: 'HQ' };
const BRANCH = { id: '0b7a1f1e-6f0c-4c53-9a52-6f1a8f4d2c02', name: 'Branch' };
const SITES = [HQ, BRANCH];

const filled = (overrides: Partial<AdministratorForm> = {}): AdministratorForm => ({
  ...emptyAdministratorForm(SITES, 'ja'),
  email: 'kenji.sato@example.jp',
  firstName: 'Kenji',
  lastName: 'Sato',
  ...overrides,
});

const administrator = (overrides: Partial<Administrator> = {}): Administrator => ({
  id: '7e1c2a4b-0000-4000-8000-000000000001',
  consoleId: '7e1c2a4b-0000-4000-8000-0000000000c0',
  email: 'kenji.sato@example.jp',
  phone: null,
  firstName: 'Kenji',
  lastName: 'Sato',
  language: 'ja',
  accountType: 'admin',
  kind: 'customer',
  state: 'active',
  twoFactor: 'not_set_up',
  siteAccess: { [HQ.id]: 'view_only' },
  invitationExpiresAt: null,
  lockedUntil: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  ...overrides,
});

/** The rule of each field that fails, as the form shows it. */
function failures(form: AdministratorForm, fields: readonly (keyof AdministratorForm)[]) {
  const result = administratorFormSchema.safeParse(form);
  if (result.success) return {};
  const rules: Record<string, string> = {};
  for (const issue of result.error.issues) {
    if (!fields.includes(issue.path[0] as keyof AdministratorForm)) continue;
    rules[issue.path.join('.')] ??= ruleOfIssue(issue);
  }
  return rules;
}

describe('the invite wizard’s details step', () => {
  const details = STEP_FIELDS.details;

  it('passes with an e-mail and both names, the phone left empty', () => {
    expect(failures(filled(), details)).toEqual({});
  });

  it('stops on an empty form at the e-mail and both names', () => {
    expect(Object.keys(failures(emptyAdministratorForm(SITES, 'ja'), details)).sort()).toEqual([
      'email',
      'firstName',
      'lastName',
    ]);
  });

  it('takes names of 2 to 30 characters only', () => {
    expect(failures(filled({ firstName: 'K' }), details)).toEqual({ firstName: 'min_length' });
    expect(failures(filled({ lastName: 'S'.repeat(31) }), details)).toEqual({
      lastName: 'max_length',
    });
    expect(failures(filled({ firstName: '健二', lastName: '佐藤' }), details)).toEqual({});
  });

  it('checks a phone number only when one is typed', () => {
    expect(failures(filled({ phone: '   ' }), details)).toEqual({});
    expect(failures(filled({ phone: '+81 3-1234-5678' }), details)).toEqual({});
    expect(failures(filled({ phone: 'call me' }), details)).toEqual({ phone: 'format' });
  });

  it('refuses an address that is not an e-mail address', () => {
    expect(failures(filled({ email: 'kenji.sato' }), details)).toEqual({ email: 'format' });
  });
});

describe('site permissions', () => {
  it('start at no access for every site of the console', () => {
    expect(emptyAdministratorForm(SITES, 'en')).toMatchObject({
      language: 'en',
      accountType: 'admin',
      siteAccess: { [HQ.id]: 'no_access', [BRANCH.id]: 'no_access' },
    });
  });

  it('keep what was granted and list sites granted nothing as no access', () => {
    expect(sitePermissionDefaults(SITES, { [BRANCH.id]: 'admin' })).toEqual({
      [HQ.id]: 'no_access',
      [BRANCH.id]: 'admin',
    });
  });
});

describe('the wizard’s request', () => {
  it('sends the details, the sites granted, and no phone when none was typed', () => {
    const form = filled({
      email: ' kenji.sato@example.jp ',
      firstName: ' Kenji ',
      siteAccess: { [HQ.id]: 'view_only', [BRANCH.id]: 'no_access' },
    });
    expect(toAddRequest(form)).toEqual({
      email: 'kenji.sato@example.jp',
      firstName: 'Kenji',
      lastName: 'Sato',
      language: 'ja',
      accountType: 'admin',
      siteAccess: { [HQ.id]: 'view_only' },
    });
  });

  it('sends a super admin with no site access (they have every site) and the phone typed', () => {
    const form = filled({
      accountType: 'super_admin',
      phone: '03-1234-5678',
      siteAccess: { [HQ.id]: 'admin', [BRANCH.id]: 'view_only' },
    });
    expect(toAddRequest(form)).toMatchObject({
      accountType: 'super_admin',
      phone: '03-1234-5678',
      siteAccess: {},
    });
  });
});

describe('the wizard’s way back to a refused field', () => {
  it('goes to the step that asks for it', () => {
    expect(stepOfFields(['firstName'])).toBe('details');
    expect(stepOfFields([`siteAccess.${HQ.id}`])).toBe('sitePermissions');
    expect(stepOfFields(['siteAccess', 'email'])).toBe('details');
    expect(stepOfFields(['idempotencyKey'])).toBeUndefined();
  });

  it('puts a taken e-mail or phone under its field', () => {
    const taken = (code: string) =>
      new ApiError(409, { error: { code, message: 'taken', requestId: 'r' } });
    expect(conflictFieldOf(taken('ADMIN_EMAIL_TAKEN'))).toBe('email');
    expect(conflictFieldOf(taken('ADMIN_PHONE_TAKEN'))).toBe('phone');
    expect(conflictFieldOf(taken('LAST_SUPER_ADMIN'))).toBeUndefined();
    expect(conflictFieldOf(new Error('offline'))).toBeUndefined();
  });
});

describe('the edit page’s request', () => {
  const current = administrator();
  const form = (overrides: Partial<AdministratorForm> = {}) => ({
    ...editFormOf(current, SITES),
    email: current.email,
    ...overrides,
  });

  it('starts from the administrator as they are, every site listed', () => {
    expect(editFormOf(current, SITES)).toEqual({
      phone: '',
      firstName: 'Kenji',
      lastName: 'Sato',
      language: 'ja',
      accountType: 'admin',
      siteAccess: { [HQ.id]: 'view_only', [BRANCH.id]: 'no_access' },
    });
  });

  it('sends nothing when nothing changed', () => {
    expect(toUpdateRequest(current, form())).toEqual({});
  });

  it('sends only what changed; a cleared phone as null', () => {
    const withPhone = administrator({ phone: '03-1234-5678' });
    expect(
      toUpdateRequest(withPhone, { ...form(), phone: '', firstName: 'Kenta', language: 'en' }),
    ).toEqual({ phone: null, firstName: 'Kenta', language: 'en' });
  });

  it('sends every site when a permission changed', () => {
    const changed = form({ siteAccess: { [HQ.id]: 'admin', [BRANCH.id]: 'no_access' } });
    expect(toUpdateRequest(current, changed)).toEqual({
      siteAccess: { [HQ.id]: 'admin', [BRANCH.id]: 'no_access' },
    });
  });

  it('sends the account type alone for a promotion to super admin', () => {
    expect(toUpdateRequest(current, form({ accountType: 'super_admin' }))).toEqual({
      accountType: 'super_admin',
    });
  });
});

describe('the actions offered for an administrator', () => {
  const ME = 'me';

  it('never include disabling or deleting oneself, nor a provider support account', () => {
    expect(availableActions(administrator({ id: ME, twoFactor: 'enabled' }), ME)).toEqual([]);
    expect(availableActions(administrator({ kind: 'provider_support' }), ME)).toEqual([]);
  });

  it('follow the state: disable an active one, enable a disabled one, unlock a locked one', () => {
    expect(availableActions(administrator(), ME)).toEqual(['disable', 'delete']);
    expect(availableActions(administrator({ state: 'disabled' }), ME)).toEqual([
      'enable',
      'delete',
    ]);
    expect(availableActions(administrator({ state: 'locked', twoFactor: 'enabled' }), ME)).toEqual([
      'unlock',
      'disable',
      'resetTwoFactor',
      'delete',
    ]);
  });

  it('say when a pending invitation’s link has expired', () => {
    const now = new Date('2026-12-02T00:00:00Z');
    const pending = (at: string) => administrator({ state: 'invited', invitationExpiresAt: at });
    expect(invitationExpired(pending('2026-12-01T23:59:59Z'), now)).toBe(true);
    expect(invitationExpired(pending('2026-12-09T00:00:00Z'), now)).toBe(false);
    expect(invitationExpired(administrator(), now)).toBe(false);
  });
});
