import { randomUUID } from 'node:crypto';
import { type Caller, identityRpc, licensingRpc } from '@warden/contracts';
import {
  anonymous,
  type IdentityHarness,
  operator,
  outcome,
  type Registered,
  startIdentity,
  uniqueEmail,
} from './identity-harness';

let h: IdentityHarness;
beforeAll(async () => {
  h = await startIdentity();
});
afterAll(() => h?.stop());

function caller(account: Registered): Caller {
  return h.callerOf(account);
}

async function firstSiteOf(consoleId: string): Promise<string> {
  const detail = await h.client.request(licensingRpc.getConsole, { caller: operator, consoleId });
  return detail.sites[0]!.id;
}

/** A super admin of a fresh console adds another administrator, who registers. */
async function addAndRegister(
  superAdmin: Registered,
  extra: Partial<{
    accountType: 'admin' | 'super_admin';
    siteAccess: Record<string, 'admin' | 'view_only' | 'no_access'>;
  }> = {},
): Promise<Registered> {
  const email = uniqueEmail();
  const added = await h.client.request(identityRpc.addAdministrator, {
    caller: caller(superAdmin),
    idempotencyKey: randomUUID(),
    email,
    firstName: 'Kenji',
    lastName: 'Sato',
    accountType: extra.accountType ?? 'admin',
    siteAccess: extra.siteAccess ?? {},
  });
  return h.activate({ consoleId: superAdmin.consoleId, administratorId: added.id, email });
}

describe('administrators of a console', () => {
  it('a super admin adds a view-only admin of one site, who registers and is listed', async () => {
    const owner = await h.register();
    const siteId = await firstSiteOf(owner.consoleId);
    const viewer = await addAndRegister(owner, { siteAccess: { [siteId]: 'view_only' } });
    const { items } = await h.client.request(identityRpc.listAdministrators, {
      caller: caller(owner),
      limit: 50,
    });
    expect(items.find((a) => a.id === viewer.administratorId)).toMatchObject({
      state: 'active',
      accountType: 'admin',
      siteAccess: { [siteId]: 'view_only' },
    });
    const me = await h.client.request(identityRpc.getMe, { caller: caller(viewer) });
    expect(me.siteAccess).toEqual({ [siteId]: 'view_only' });
  });

  it('adding is idempotent per key; the same e-mail under another key is taken', async () => {
    const owner = await h.register();
    const request = {
      caller: caller(owner),
      idempotencyKey: randomUUID(),
      email: uniqueEmail(),
      firstName: 'Kenji',
      lastName: 'Sato',
      accountType: 'admin' as const,
      siteAccess: {},
    };
    const first = await h.client.request(identityRpc.addAdministrator, request);
    const again = await h.client.request(identityRpc.addAdministrator, request);
    expect(again.id).toBe(first.id);
    expect(
      await outcome(
        h.client.request(identityRpc.addAdministrator, {
          ...request,
          idempotencyKey: randomUUID(),
        }),
      ),
    ).toBe('ADMIN_EMAIL_TAKEN');
    // The same key for another administrator: refused, not a second invitation.
    expect(
      await outcome(
        h.client.request(identityRpc.addAdministrator, { ...request, email: uniqueEmail() }),
      ),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it("another console's administrator is not found, for every change", async () => {
    const mine = await h.register();
    const theirs = await h.register();
    const ref = { caller: caller(mine), administratorId: theirs.administratorId };
    const outcomes = await Promise.all([
      outcome(h.client.request(identityRpc.getAdministrator, ref)),
      outcome(
        h.client.request(identityRpc.updateAdministrator, { ...ref, patch: { firstName: 'Evil' } }),
      ),
      outcome(h.client.request(identityRpc.unlockAdministrator, ref)),
      outcome(h.client.request(identityRpc.disableAdministrator, ref)),
      outcome(h.client.request(identityRpc.enableAdministrator, ref)),
      outcome(h.client.request(identityRpc.resetAdministratorTwoFactor, ref)),
      outcome(h.client.request(identityRpc.resendInvitation, ref)),
      outcome(h.client.request(identityRpc.deleteAdministrator, ref)),
    ]);
    expect(new Set(outcomes)).toEqual(new Set(['ADMINISTRATOR_NOT_FOUND']));
  });

  it('a site of another console cannot be granted', async () => {
    const mine = await h.register();
    const theirs = await h.register();
    const foreignSite = await firstSiteOf(theirs.consoleId);
    expect(
      await outcome(
        h.client.request(identityRpc.addAdministrator, {
          caller: caller(mine),
          idempotencyKey: randomUUID(),
          email: uniqueEmail(),
          firstName: 'Kenji',
          lastName: 'Sato',
          accountType: 'admin',
          siteAccess: { [foreignSite]: 'admin' },
        }),
      ),
    ).toBe('SITE_NOT_FOUND');
  });

  it('two super admins disabling each other at once: one stays', async () => {
    const a = await h.register();
    const b = await addAndRegister(a, { accountType: 'super_admin' });
    const results = await Promise.all([
      outcome(
        h.client.request(identityRpc.disableAdministrator, {
          caller: caller(a),
          administratorId: b.administratorId,
        }),
      ),
      outcome(
        h.client.request(identityRpc.disableAdministrator, {
          caller: caller(b),
          administratorId: a.administratorId,
        }),
      ),
    ]);
    expect(results.sort()).toEqual(['LAST_SUPER_ADMIN', 'OK']);
  });

  it('two concurrent demotions of the last two super admins: one stays', async () => {
    const a = await h.register();
    const b = await addAndRegister(a, { accountType: 'super_admin' });
    const c = await addAndRegister(a, { accountType: 'super_admin' });
    // c demotes a and b at once: one of them must remain.
    await h.client.request(identityRpc.updateAdministrator, {
      caller: caller(a),
      administratorId: c.administratorId,
      patch: { accountType: 'admin' },
    });
    const results = await Promise.all([
      outcome(
        h.client.request(identityRpc.updateAdministrator, {
          caller: caller(a),
          administratorId: b.administratorId,
          patch: { accountType: 'admin' },
        }),
      ),
      outcome(
        h.client.request(identityRpc.updateAdministrator, {
          caller: caller(b),
          administratorId: a.administratorId,
          patch: { accountType: 'admin' },
        }),
      ),
    ]);
    expect(results.sort()).toEqual(['LAST_SUPER_ADMIN', 'OK']);
  });

  it('nobody disables, demotes or deletes themselves', async () => {
    const a = await h.register();
    const self = { caller: caller(a), administratorId: a.administratorId };
    expect(await outcome(h.client.request(identityRpc.disableAdministrator, self))).toBe(
      'CANNOT_CHANGE_SELF',
    );
    expect(await outcome(h.client.request(identityRpc.deleteAdministrator, self))).toBe(
      'CANNOT_CHANGE_SELF',
    );
    expect(
      await outcome(
        h.client.request(identityRpc.updateAdministrator, {
          ...self,
          patch: { accountType: 'admin' },
        }),
      ),
    ).toBe('CANNOT_CHANGE_SELF');
  });

  it('a provider-support administrator is the provider’s', async () => {
    const owner = await h.register();
    const support = await h.client.request(identityRpc.addProviderSupport, {
      caller: operator,
      consoleId: owner.consoleId,
      idempotencyKey: randomUUID(),
      email: uniqueEmail(),
      firstName: 'Support',
      lastName: 'Desk',
    });
    expect(support).toMatchObject({ kind: 'provider_support', accountType: 'super_admin' });
    const ref = { caller: caller(owner), administratorId: support.id };
    expect(await outcome(h.client.request(identityRpc.deleteAdministrator, ref))).toBe(
      'PROVIDER_SUPPORT_PROTECTED',
    );
    expect(await outcome(h.client.request(identityRpc.disableAdministrator, ref))).toBe(
      'PROVIDER_SUPPORT_PROTECTED',
    );
    expect(
      await outcome(
        h.client.request(identityRpc.updateAdministrator, {
          ...ref,
          patch: { accountType: 'admin' },
        }),
      ),
    ).toBe('PROVIDER_SUPPORT_PROTECTED');
  });

  it('disabled: no sign-in, no refresh; enabled again: both work', async () => {
    const owner = await h.register();
    const other = await addAndRegister(owner);
    const session = await h.signIn(other);
    const ref = { caller: caller(owner), administratorId: other.administratorId };
    expect(await h.client.request(identityRpc.disableAdministrator, ref)).toMatchObject({
      state: 'disabled',
    });
    expect(await outcome(h.loginToCode(other))).toBe('ACCOUNT_DISABLED');
    expect(
      await outcome(
        h.client.request(identityRpc.refreshSession, {
          caller: anonymous,
          refreshToken: session.refreshToken,
        }),
      ),
    ).toBe('SESSION_INVALID');
    expect(await h.client.request(identityRpc.enableAdministrator, ref)).toMatchObject({
      state: 'active',
    });
    await h.signIn(other);
  });

  it('a locked administrator is unlocked by a super admin', async () => {
    const owner = await h.register();
    const other = await addAndRegister(owner);
    for (let i = 0; i < 5; i++) await outcome(h.loginToCode(other, () => '##'));
    const ref = { caller: caller(owner), administratorId: other.administratorId };
    expect(await h.client.request(identityRpc.getAdministrator, ref)).toMatchObject({
      state: 'locked',
    });
    const { items } = await h.client.request(identityRpc.listAdministrators, {
      caller: caller(owner),
      state: 'locked',
      limit: 10,
    });
    expect(items.map((a) => a.id)).toEqual([other.administratorId]);
    expect(await h.client.request(identityRpc.unlockAdministrator, ref)).toMatchObject({
      state: 'active',
    });
    await h.signIn(other);
  });

  it('pages by cursor and filters by state', async () => {
    const owner = await h.register();
    for (let i = 0; i < 3; i++) {
      await h.client.request(identityRpc.addAdministrator, {
        caller: caller(owner),
        idempotencyKey: randomUUID(),
        email: uniqueEmail(),
        firstName: 'Kenji',
        lastName: 'Sato',
        accountType: 'admin',
        siteAccess: {},
      });
    }
    const first = await h.client.request(identityRpc.listAdministrators, {
      caller: caller(owner),
      limit: 2,
    });
    const second = await h.client.request(identityRpc.listAdministrators, {
      caller: caller(owner),
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect([...first.items, ...second.items]).toHaveLength(4);
    const invited = await h.client.request(identityRpc.listAdministrators, {
      caller: caller(owner),
      state: 'invited',
      limit: 10,
    });
    expect(invited.items).toHaveLength(3);
    expect(invited.items.every((a) => a.invitationExpiresAt !== null)).toBe(true);
  });
});

describe('the console name administrators see', () => {
  it('follows a rename in licensing, for the activation page of a pending invitation', async () => {
    const owner = await h.register();
    const email = uniqueEmail();
    await h.client.request(identityRpc.addAdministrator, {
      caller: caller(owner),
      idempotencyKey: randomUUID(),
      email,
      firstName: 'Kenji',
      lastName: 'Sato',
      accountType: 'admin',
      siteAccess: {},
    });
    const { token } = await h.activationMail(email);
    const name = `Renamed ${randomUUID().slice(0, 6)}`;
    await h.client.request(licensingRpc.updateConsoleSettings, {
      caller: caller(owner),
      patch: { name },
    });
    // Identity asks licensing for the name: the rename shows at once.
    const view = await h.client.request(identityRpc.getActivation, { caller: anonymous, token });
    expect(view.consoleName).toBe(name);
  });
});
