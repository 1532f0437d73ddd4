import { type Caller, identityRpc, licensingRpc } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import {
  type IdentityHarness,
  operator,
  type Registered,
  startIdentity,
  uniqueEmail,
} from './identity-harness';

let h: IdentityHarness;
beforeAll(async () => {
  h = await startIdentity();
});
afterAll(() => h?.stop());

const system: Caller = { actor: { type: 'system', id: 'command' } };

describe('identity: who is alerted about a site (unverified removals)', () => {
  it('names the active super admins and the active admins of the site, in their language, within one console', async () => {
    const owner = await h.register();
    const { sites } = await h.client.request(licensingRpc.getConsole, {
      caller: operator,
      consoleId: owner.consoleId,
    });
    const siteId = sites[0]!.id;
    const add = async (
      siteAccess: Record<string, 'admin' | 'view_only'>,
      language: 'ja' | 'en',
      register = true,
    ) => {
      const email = uniqueEmail();
      const added = await h.client.request(identityRpc.addAdministrator, {
        caller: h.callerOf(owner),
        idempotencyKey: randomUUID(),
        email,
        firstName: 'Kenji',
        lastName: 'Sato',
        language,
        accountType: 'admin',
        siteAccess,
      });
      const invited = { consoleId: owner.consoleId, administratorId: added.id, email };
      return register ? h.activate(invited) : (invited as Registered);
    };
    const siteAdmin = await add({ [siteId]: 'admin' }, 'ja');
    await add({ [siteId]: 'view_only' }, 'en');
    await add({ [siteId]: 'admin' }, 'en', false); // invited, not yet active
    const other = await h.register();

    const { recipients } = await h.client.request(identityRpc.alertRecipients, {
      caller: system,
      consoleId: owner.consoleId,
      siteId,
    });
    expect(recipients).toEqual(
      [
        { email: owner.email, language: 'en' },
        { email: siteAdmin.email, language: 'ja' },
      ].sort((a, b) => a.email.localeCompare(b.email)),
    );
    expect(
      await h.client
        .request(identityRpc.alertRecipients, {
          caller: h.callerOf(other),
          consoleId: owner.consoleId,
          siteId,
        })
        .catch((error: { code?: string }) => error.code),
    ).toBe('FORBIDDEN');
  });
});
