import {
  BUILTIN_POLICY_IDS,
  type Administrator,
  type AuditChainReport,
  type AuditEventView,
  type ConsoleDetail,
  type Me,
  type Session,
  type Site,
} from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { type Account, type Call, consoleStack, PASSWORD } from './console-client';
import { CONSOLE_ROUTE_BODIES, isConsoleRoute, routeHeaders, routeKey } from './console-routes';
import { fillPath, nestRoutes } from './nest-routes';
import { type AuditTrailWatch, watchAuditTrail } from './audit-trail-watch';
import { newAdministrator } from './system-under-test';

/*
 * Administrators, site permissions, console settings and the audit trail
 * through the gateway (issue 9; DESIGN §3 journeys 8 and 12), as the web
 * console and the provider use them.
 */

const TOKEN = `administrators-operator-token-${randomUUID()}`;

type Page<T> = { items: T[]; nextCursor: string | null };

let trail: AuditTrailWatch;
beforeAll(async () => {
  trail = await watchAuditTrail();
});
afterAll(() => trail?.stop());

describe('administrators, permissions and the audit trail through the gateway', () => {
  const { system, client } = consoleStack(TOKEN, {
    RATE_LIMIT_OPS: '100000',
  });
  const { call } = client;

  const addSite = async (consoleId: string, name: string): Promise<Site> => {
    const site = await call<Site>('POST', `/ops/v1/consoles/${consoleId}/sites`, {
      token: TOKEN,
      headers: { 'idempotency-key': randomUUID() },
      body: { name, seats: 3 },
    });
    expect(site.status).toBe(201);
    return site.body;
  };

  /** A super admin adds an administrator; `invitee` is what they entered. */
  const addAdministrator = (
    token: string,
    body: Record<string, unknown>,
    idempotencyKey: string = randomUUID(),
  ) =>
    call<Administrator>('POST', '/api/v1/administrators', {
      token,
      headers: { 'idempotency-key': idempotencyKey },
      body,
    });

  /** Added, registered from the invitation e-mail and signed in. */
  const addRegisteredAdministrator = async (
    token: string,
    access: { accountType: 'admin' | 'super_admin'; siteAccess?: Record<string, string> },
  ): Promise<{ account: Account; session: Session }> => {
    const invitee = newAdministrator();
    const added = await addAdministrator(token, { ...invitee, ...access });
    expect(added.status).toBe(201);
    await client.activate(invitee.email);
    const account = {
      consoleId: added.body.consoleId,
      administratorId: added.body.id,
      email: invitee.email,
      password: PASSWORD,
    };
    return { account, session: await client.signIn(account) };
  };

  describe('issue 9, done when: a view-only administrator of one site', () => {
    it('is invited, registers from the mail, reads that site and nothing else, changes nothing; every step is audited', async () => {
      const owner = await client.signedInConsole();
      const branch = await addSite(owner.account.consoleId, 'Branch');
      const invitee = newAdministrator({ firstName: 'Kenji', lastName: 'Sato' });

      // The super admin invites: details, then per-site access.
      const added = await addAdministrator(owner.token, {
        ...invitee,
        accountType: 'admin',
        siteAccess: { [owner.siteId]: 'view_only', [branch.id]: 'no_access' },
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({
        email: invitee.email,
        accountType: 'admin',
        kind: 'customer',
        state: 'invited',
        siteAccess: { [owner.siteId]: 'view_only' },
      });
      expect(added.body.invitationExpiresAt).toEqual(expect.any(String));

      // The invitee registers from the e-mail that arrived, and signs in.
      await client.activate(invitee.email);
      const viewer = await client.signIn({ email: invitee.email, password: PASSWORD });
      const token = viewer.accessToken;

      // Reads that site, and the settings show that site only.
      const site = await call<Site>('GET', `/api/v1/sites/${owner.siteId}`, { token });
      const settings = await call<ConsoleDetail>('GET', '/api/v1/settings', { token });
      const me = await call<Me>('GET', '/api/v1/me', { token });
      expect(site.status).toBe(200);
      expect(site.body).toMatchObject({ id: owner.siteId, name: 'HQ', usage: { seats: 5 } });
      expect(settings.status).toBe(200);
      expect(settings.body.sites.map((s) => s.id)).toEqual([owner.siteId]);
      expect(me.body).toMatchObject({
        accountType: 'admin',
        siteAccess: { [owner.siteId]: 'view_only' },
      });

      // The other site does not exist for them, exactly like a site that does not exist.
      const other = await call('GET', `/api/v1/sites/${branch.id}`, { token });
      const none = await call('GET', `/api/v1/sites/${randomUUID()}`, { token });
      expect([other.status, none.status]).toEqual([404, 404]);
      expect(other.body.error?.code).toBe('SITE_NOT_FOUND');
      expect(other.body.error?.message).toBe(none.body.error?.message);

      // Changes nothing: not the site they see, not the settings, not administrators.
      const patchSite = await call('PATCH', `/api/v1/sites/${owner.siteId}`, {
        token,
        body: { comment: 'changed by a viewer' },
      });
      const patchConsole = await call('PATCH', '/api/v1/settings', {
        token,
        body: { name: 'Changed by a viewer' },
      });
      const listAdmins = await call('GET', '/api/v1/administrators', { token });
      expect([patchSite.status, patchConsole.status, listAdmins.status]).toEqual([403, 403, 403]);
      expect(patchSite.body.error?.code).toBe('FORBIDDEN');

      // Nor anything else of the console API: every route but their own account is refused.
      const ids = {
        siteId: owner.siteId,
        administratorId: owner.account.administratorId,
        setupId: 'a'.repeat(32),
        policyId: BUILTIN_POLICY_IDS.recommended_defaults,
        otherPolicyId: BUILTIN_POLICY_IDS.silent_audit,
        endpointId: randomUUID(),
        groupId: randomUUID(),
        commandId: randomUUID(),
        bulkId: randomUUID(),
      };
      // Policies are read by any administrator (policies.int-spec.ts), changed by site admins;
      // endpoints, groups and installers are read with view-only access to their site.
      const reads = new Set([
        'GET /api/v1/settings',
        'GET /api/v1/sites/:siteId',
        'GET /api/v1/policies',
        'GET /api/v1/policies/:policyId',
        'GET /api/v1/policies/:policyId/usage',
        'GET /api/v1/policies/:policyId/diff/:otherPolicyId',
        'GET /api/v1/endpoints',
        'GET /api/v1/sites/:siteId/endpoint-counts',
        'GET /api/v1/sites/:siteId/groups',
        'GET /api/v1/sites/:siteId/installer',
        'GET /api/v1/sites/:siteId/installer/bundle',
        // The command history of the sites they see.
        'GET /api/v1/commands',
      ]);
      const own = (url: string) => url.startsWith('/api/v1/me') || url === '/api/v1/auth/logout';
      const routes = nestRoutes(system.app()).filter((r) => isConsoleRoute(r) && !own(r.url));
      const answers: string[] = [];
      for (const route of routes.filter((r) => !reads.has(routeKey(r)))) {
        const reply = await call(route.method, fillPath(route.url, ids), {
          token,
          headers: routeHeaders(route),
          body: CONSOLE_ROUTE_BODIES[routeKey(route)]?.(),
        });
        answers.push(`${routeKey(route)} → ${reply.status}`);
      }
      expect(answers.length).toBeGreaterThan(10);
      expect(answers.filter((answer) => !/ → 40[34]$/.test(answer))).toEqual([]);
      const unchanged = await call<Site>('GET', `/api/v1/sites/${owner.siteId}`, {
        token: owner.token,
      });
      expect(unchanged.body.comment).toBe('');

      // Every step is in the audit trail, and its chain is intact.
      const trail = await auditTrailUntil(
        call,
        owner.token,
        (items) =>
          has(items, 'console.created') &&
          has(items, 'site.created', { siteId: branch.id }) &&
          has(items, 'administrator.invited', {
            targetId: added.body.id,
            actorId: owner.account.administratorId,
          }) &&
          has(items, 'administrator.activated', { targetId: added.body.id }) &&
          has(items, 'login.succeeded', { actorId: added.body.id }),
        'the invitation, the registration and the sign-in',
      );
      expect(new Set(trail.map((e) => e.consoleId))).toEqual(new Set([owner.account.consoleId]));
      const invited = trail.find(
        (e) => e.action === 'administrator.invited' && e.target.id === added.body.id,
      )!;
      expect(invited.after).toMatchObject({ siteAccess: { [owner.siteId]: 'view_only' } });

      const verify = await call<AuditChainReport>('GET', '/api/v1/audit-events/verify', {
        token: owner.token,
      });
      expect(verify.status).toBe(200);
      expect(verify.body).toMatchObject({
        consoleId: owner.account.consoleId,
        intact: true,
        firstBreak: null,
      });
      expect(verify.body.checked).toBeGreaterThanOrEqual(trail.length);
      // The trail is the super admins': the viewer cannot read it.
      expect((await call('GET', '/api/v1/audit-events', { token })).status).toBe(403);
    });
  });

  describe('journey 12: a super admin manages the console’s administrators', () => {
    it('adds once per Idempotency-Key, and needs one', async () => {
      const owner = await client.signedInConsole();
      const body = { ...newAdministrator(), accountType: 'admin' };
      const key = randomUUID();

      const first = await addAdministrator(owner.token, body, key);
      const again = await addAdministrator(owner.token, body, key);
      const withoutKey = await call('POST', '/api/v1/administrators', {
        token: owner.token,
        body: { ...body, email: newAdministrator().email },
      });
      const taken = await addAdministrator(owner.token, body);

      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body.id).toBe(first.body.id);
      expect(withoutKey.status).toBe(400);
      expect(withoutKey.body.error?.details?.['fields']).toEqual({
        'Idempotency-Key': ['required'],
      });
      expect(taken.status).toBe(409);
      expect(taken.body.error?.code).toBe('ADMIN_EMAIL_TAKEN');
    });

    it('lists by state and by pages, resends an invitation, edits, disables, enables, unlocks and deletes', async () => {
      const owner = await client.signedInConsole();
      const pending = newAdministrator();
      const added = await addAdministrator(owner.token, { ...pending, accountType: 'admin' });
      const first = await client.activationMail(pending.email);
      const member = await addRegisteredAdministrator(owner.token, {
        accountType: 'admin',
        siteAccess: { [owner.siteId]: 'view_only' },
      });
      const token = owner.token;
      const url = (id: string, action = '') => `/api/v1/administrators/${id}${action}`;

      // The list: everyone, by pages; the pending one by state.
      const page1 = await call<Page<Administrator>>('GET', '/api/v1/administrators?limit=2', {
        token,
      });
      const page2 = await call<Page<Administrator>>(
        'GET',
        `/api/v1/administrators?limit=2&cursor=${page1.body.nextCursor}`,
        { token },
      );
      const invited = await call<Page<Administrator>>(
        'GET',
        '/api/v1/administrators?state=invited',
        { token },
      );
      expect([...page1.body.items, ...page2.body.items].map((x) => x.id).sort()).toEqual(
        [owner.account.administratorId, added.body.id, member.account.administratorId].sort(),
      );
      expect(invited.body.items.map((x) => x.id)).toEqual([added.body.id]);

      // Resend: a new link; the old one is replaced.
      const seen = system.smtp().messages.length;
      const resent = await call<Administrator>('POST', url(added.body.id, '/resend-invitation'), {
        token,
      });
      const second = await client.activationMail(pending.email, seen);
      expect(resent.status).toBe(200);
      expect(second.token).not.toBe(first.token);
      expect((await call('GET', `/api/v1/activation/${first.token}`)).body.error?.code).toBe(
        'ACTIVATION_LINK_REPLACED',
      );
      const registered = await call(
        'POST',
        url(member.account.administratorId, '/resend-invitation'),
        {
          token,
        },
      );
      expect(registered.status).toBe(409);
      expect(registered.body.error?.code).toBe('ADMIN_ALREADY_ACTIVE');

      // Edit: site admin of HQ now. The token they hold says view-only until it is refreshed.
      const edited = await call<Administrator>('PATCH', url(member.account.administratorId), {
        token,
        body: { lastName: 'Tanaka', siteAccess: { [owner.siteId]: 'admin' } },
      });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        lastName: 'Tanaka',
        siteAccess: { [owner.siteId]: 'admin' },
      });
      const comment = { comment: 'kept by the site admin' };
      const before = await call('PATCH', `/api/v1/sites/${owner.siteId}`, {
        token: member.session.accessToken,
        body: comment,
      });
      const refreshed = await call<Session>('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: member.session.refreshToken },
      });
      const after = await call<Site>('PATCH', `/api/v1/sites/${owner.siteId}`, {
        token: refreshed.body.accessToken,
        body: comment,
      });
      expect(before.status).toBe(403);
      expect(after.status).toBe(200);
      expect(after.body.comment).toBe(comment.comment);

      // 2FA: nothing to reset for one who has none.
      const reset = await call('POST', url(member.account.administratorId, '/reset-2fa'), {
        token,
      });
      expect(reset.status).toBe(409);
      expect(reset.body.error?.code).toBe('TWO_FACTOR_NOT_ENABLED');

      // Disable: no sign-in; enable: back.
      const disabled = await call<Administrator>(
        'POST',
        url(member.account.administratorId, '/disable'),
        {
          token,
        },
      );
      expect(disabled.body.state).toBe('disabled');
      const refused = await call('POST', '/api/v1/auth/login', {
        body: { login: member.account.email, password: PASSWORD },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('ACCOUNT_DISABLED');
      const enabled = await call<Administrator>(
        'POST',
        url(member.account.administratorId, '/enable'),
        {
          token,
        },
      );
      expect(enabled.body.state).toBe('active');
      await client.signIn(member.account);

      // Locked by failed sign-ins; unlocked by the super admin.
      for (let i = 0; i < 5; i++) {
        await call('POST', '/api/v1/auth/login', {
          body: { login: member.account.email, password: `wrong-password-${i}` },
        });
      }
      const locked = await call<Page<Administrator>>('GET', '/api/v1/administrators?state=locked', {
        token,
      });
      expect(locked.body.items.map((x) => x.id)).toEqual([member.account.administratorId]);
      const unlocked = await call<Administrator>(
        'POST',
        url(member.account.administratorId, '/unlock'),
        {
          token,
        },
      );
      expect(unlocked.body.state).toBe('active');
      await client.signIn(member.account);

      // Delete the pending one: gone. Not oneself.
      const deleted = await call('DELETE', url(added.body.id), { token });
      const gone = await call('GET', url(added.body.id), { token });
      const self = await call('DELETE', url(owner.account.administratorId), { token });
      expect(deleted.status).toBe(204);
      expect(gone.status).toBe(404);
      expect(gone.body.error?.code).toBe('ADMINISTRATOR_NOT_FOUND');
      expect(self.status).toBe(409);
      expect(self.body.error?.code).toBe('CANNOT_CHANGE_SELF');
    });

    it('never removes the last active super admin: two deleting each other at once, one stays', async () => {
      const owner = await client.signedInConsole();
      const second = await addRegisteredAdministrator(owner.token, { accountType: 'super_admin' });

      const replies = await Promise.all([
        call('DELETE', `/api/v1/administrators/${second.account.administratorId}`, {
          token: owner.token,
        }),
        call('DELETE', `/api/v1/administrators/${owner.account.administratorId}`, {
          token: second.session.accessToken,
        }),
      ]);

      expect(replies.map((r) => r.status).sort()).toEqual([204, 409]);
      expect(replies.find((r) => r.status === 409)?.body.error?.code).toBe('LAST_SUPER_ADMIN');
    });

    it('never disables the last active super admin: two disabling each other at once, one stays', async () => {
      const owner = await client.signedInConsole();
      const second = await addRegisteredAdministrator(owner.token, { accountType: 'super_admin' });

      const replies = await Promise.all([
        call<Administrator>(
          'POST',
          `/api/v1/administrators/${second.account.administratorId}/disable`,
          {
            token: owner.token,
          },
        ),
        call<Administrator>(
          'POST',
          `/api/v1/administrators/${owner.account.administratorId}/disable`,
          {
            token: second.session.accessToken,
          },
        ),
      ]);

      expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(replies.find((r) => r.status === 409)?.body.error?.code).toBe('LAST_SUPER_ADMIN');
      const list = await call<Page<Administrator>>('GET', '/api/v1/administrators?state=active', {
        token: replies[0].status === 200 ? owner.token : second.session.accessToken,
      });
      expect(list.body.items.filter((x) => x.accountType === 'super_admin')).toHaveLength(1);
    });
  });

  describe('provider support, from the ops API only', () => {
    it('adds a support super admin the customer cannot delete, disable or demote', async () => {
      const owner = await client.signedInConsole();
      const support = newAdministrator({ firstName: 'Support', lastName: 'Desk' });
      const key = randomUUID();
      const add = (idempotencyKey?: string, consoleId = owner.account.consoleId) =>
        call<Administrator>('POST', `/ops/v1/consoles/${consoleId}/administrators`, {
          token: TOKEN,
          headers: idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey },
          body: support,
        });

      const added = await add(key);
      const again = await add(key);
      const withoutKey = await add();
      const unknownConsole = await add(randomUUID(), randomUUID());
      await client.activationMail(support.email);

      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({
        consoleId: owner.account.consoleId,
        kind: 'provider_support',
        accountType: 'super_admin',
        state: 'invited',
      });
      expect(again.body.id).toBe(added.body.id);
      expect(withoutKey.status).toBe(400);
      expect(unknownConsole.status).toBe(404);
      expect(unknownConsole.body.error?.code).toBe('CONSOLE_NOT_FOUND');

      const id = added.body.id;
      const listed = await call<Page<Administrator>>('GET', '/api/v1/administrators', {
        token: owner.token,
      });
      const refusals = await Promise.all([
        call('DELETE', `/api/v1/administrators/${id}`, { token: owner.token }),
        call('POST', `/api/v1/administrators/${id}/disable`, { token: owner.token }),
        call('PATCH', `/api/v1/administrators/${id}`, {
          token: owner.token,
          body: { accountType: 'admin' },
        }),
      ]);
      expect(listed.body.items.find((x) => x.id === id)?.kind).toBe('provider_support');
      expect(refusals.map((r) => [r.status, r.body.error?.code])).toEqual([
        [403, 'PROVIDER_SUPPORT_PROTECTED'],
        [403, 'PROVIDER_SUPPORT_PROTECTED'],
        [403, 'PROVIDER_SUPPORT_PROTECTED'],
      ]);
      // A customer cannot make one: there is no kind to choose on the console API.
      const forged = await addAdministrator(owner.token, {
        ...newAdministrator(),
        accountType: 'super_admin',
        kind: 'provider_support',
      });
      expect(forged.status).toBe(400);
      expect(forged.body.error?.details?.['fields']).toEqual({ kind: ['unknown'] });
    });
  });

  describe('the audit trail', () => {
    // Formula-looking cells are defused by the export itself (audit-csv.spec.ts): no
    // column an outsider fills starts with their text, since addresses must be addresses.
    it('exports CSV to download: text/csv, a file name, every cell quoted', async () => {
      const owner = await client.signedInConsole();
      for (const [ip, name] of [
        ['198.51.100.21', 'Renamed "once" KK'],
        ['198.51.100.22', 'Renamed twice KK'],
      ] as const) {
        const renamed = await call('PATCH', '/api/v1/settings', {
          token: owner.token,
          ip,
          body: { name },
        });
        expect(renamed.status).toBe(200);
      }
      await auditTrailUntil(
        call,
        owner.token,
        (items) => items.filter((e) => e.action === 'console.settings-changed').length === 2,
        'the renames',
      );

      const exported = await call(
        'GET',
        '/api/v1/audit-events/export?action=console.settings-changed',
        { token: owner.token },
      );

      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(exported.headers.get('content-disposition')).toMatch(
        /^attachment; filename="audit-events-\d{8}T\d{6}Z\.csv"$/,
      );
      expect(exported.headers.get('x-truncated')).toBe('false');
      // Newest first: the second rename, then the first; each cell quoted, quotes doubled.
      const [header, second, first, end, ...rest] = exported.text.split('\r\n');
      expect(header).toMatch(
        /^"occurredAt","receivedAt","consoleId","siteId","actorType","actorId"/,
      );
      expect(second).toContain(`"${owner.account.consoleId}"`);
      expect(second).toContain('"198.51.100.22"');
      expect(second).toContain('""name"":""Renamed twice KK""');
      expect(first).toContain('"198.51.100.21"');
      expect(first).toContain('""name"":""Renamed \\""once\\"" KK""');
      expect([end, rest]).toEqual(['', []]);
    });

    it('the provider reads it across consoles, one console’s, and verifies a console’s chain', async () => {
      const [first, second] = await Promise.all([
        client.signedInConsole(),
        client.signedInConsole(),
      ]);
      const consoleIds = [first.account.consoleId, second.account.consoleId];
      const ops = (path: string) => call<Page<AuditEventView>>('GET', path, { token: TOKEN });

      await trail.until(
        async () => (await ops('/ops/v1/audit-events?action=console.created&limit=200')).body.items,
        (items) => consoleIds.every((id) => items.some((e) => e.consoleId === id)),
        'the consoles’ creation in the trail',
      );
      const one = await ops(`/ops/v1/audit-events?consoleId=${consoleIds[0]}&limit=200`);
      const exported = await call('GET', '/ops/v1/audit-events/export?action=console.created', {
        token: TOKEN,
      });
      const verify = await call<AuditChainReport>(
        'GET',
        `/ops/v1/consoles/${consoleIds[0]!.toUpperCase()}/audit-events/verify`,
        { token: TOKEN },
      );
      const unknown = await call('GET', `/ops/v1/consoles/${randomUUID()}/audit-events/verify`, {
        token: TOKEN,
      });

      expect(new Set(one.body.items.map((e) => e.consoleId))).toEqual(new Set([consoleIds[0]]));
      expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      for (const id of consoleIds) expect(exported.text).toContain(`"${id}"`);
      expect(verify.body).toMatchObject({
        consoleId: consoleIds[0],
        intact: true,
        firstBreak: null,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error?.code).toBe('CONSOLE_NOT_FOUND');
      // A console's super admin reads their own console only.
      const theirs = await call('GET', `/api/v1/audit-events?consoleId=${consoleIds[1]}`, {
        token: first.token,
      });
      expect(theirs.status).toBe(400);
    });
  });
});

/** Whether the trail holds an event of `action` (with this target, actor or site). */
function has(
  items: AuditEventView[],
  action: string,
  of: { targetId?: string; actorId?: string; siteId?: string } = {},
): boolean {
  return items.some(
    (e) =>
      e.action === action &&
      (of.targetId === undefined || e.target.id === of.targetId) &&
      (of.actorId === undefined || e.actor.id === of.actorId) &&
      (of.siteId === undefined || e.siteId === of.siteId),
  );
}

/** The console's trail (as its super admin, newest 200), read again as events are stored. */
function auditTrailUntil(
  call: Call,
  token: string,
  check: (items: AuditEventView[]) => boolean,
  what: string,
): Promise<AuditEventView[]> {
  return trail.until(
    async () => {
      const reply = await call<Page<AuditEventView>>('GET', '/api/v1/audit-events?limit=200', {
        token,
      });
      if (reply.status !== 200) throw new Error(`the audit trail: ${reply.status} ${reply.text}`);
      return reply.body.items;
    },
    check,
    what,
  );
}
