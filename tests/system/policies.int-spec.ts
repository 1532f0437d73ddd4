import {
  BUILTIN_POLICY_IDS,
  type PolicyDetail,
  type PolicyUsage,
  type Site,
} from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { type Call, consoleStack } from './console-client';
import { siteAdministrator } from './endpoints-harness';

/*
 * Policies through the gateway (issue 10; DESIGN §3 journeys 6–7): the
 * console API over the real policy and licensing services. As far as issue
 * 10's "done when" goes without agents: an admin copies Recommended Defaults
 * as "Sales laptops", changes the poll interval and the local heuristics
 * level, and makes it the site's default.
 */

const TOKEN = `policies-operator-token-${randomUUID()}`;
const RECOMMENDED = BUILTIN_POLICY_IDS.recommended_defaults;
const SILENT_AUDIT = BUILTIN_POLICY_IDS.silent_audit;

type Listed = { items: { id: string; name: string; builtin: boolean; version: number }[] };

describe('policies through the gateway', () => {
  const { client } = consoleStack(TOKEN);
  const { call } = client;

  const copy = (token: string, name: string, sourcePolicyId: string = RECOMMENDED) =>
    call<PolicyDetail>('POST', '/api/v1/policies', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { sourcePolicyId, name, description: `${name}: what they need` },
    });
  const edit = (token: string, policyId: string, body: unknown, ifMatch?: string) =>
    call<PolicyDetail>('PATCH', `/api/v1/policies/${policyId}`, {
      token,
      body,
      headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
    });
  const setting = (policy: PolicyDetail, section: string, key: string) =>
    policy.sections.find((s) => s.key === section)?.settings.find((s) => s.key === key);

  it('copies Recommended Defaults as "Sales laptops", edits it with If-Match, and makes it the site’s default', async () => {
    const { token, siteId } = await client.signedInConsole();

    const copied = await copy(token, 'Sales laptops');
    expect(copied.status).toBe(201);
    expect(copied.headers.get('etag')).toBe('"1"');
    expect(copied.body).toMatchObject({ name: 'Sales laptops', builtin: false, version: 1 });
    const id = copied.body.id;

    const edited = await edit(
      token,
      id,
      { settings: { basic: { poll_interval: '1h' }, heuristics_local: { level: 'high' } } },
      '"1"',
    );
    expect(edited.status).toBe(200);
    expect(edited.headers.get('etag')).toBe('"2"');
    expect(edited.body.version).toBe(2);

    const defaulted = await call<Site>('PATCH', `/api/v1/sites/${siteId}`, {
      token,
      body: { defaultPolicyId: id.toUpperCase() },
    });
    expect(defaulted.status).toBe(200);
    expect(defaulted.body.defaultPolicyId).toBe(id);

    const read = await call<PolicyDetail>('GET', `/api/v1/policies/${id}`, { token });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"2"');
    expect(read.body.version).toBe(2);
    expect(read.body.settings.basic.poll_interval).toBe('1h');
    expect(read.body.settings.heuristics_local.level).toBe('high');
    // Everything else as Recommended Defaults has it.
    expect(read.body.settings.scan_schedule).toEqual(
      (await call<PolicyDetail>('GET', `/api/v1/policies/${RECOMMENDED}`, { token })).body.settings
        .scan_schedule,
    );

    // Listed after the built-ins, and used by the site.
    const list = await call<Listed>('GET', '/api/v1/policies', { token });
    expect(list.body.items.map((p) => p.builtin)).toEqual([true, true, true, true, false]);
    expect(list.body.items[0]!.id).toBe(RECOMMENDED);
    expect(list.body.items[4]).toMatchObject({ id, name: 'Sales laptops', version: 2 });
    const usage = await call<PolicyUsage>('GET', `/api/v1/policies/${id}/usage`, { token });
    expect(usage.body.sites).toEqual([{ siteId, name: 'HQ' }]);
  });

  it('refuses an edit based on an old version with 412, and one without If-Match with 400 naming it', async () => {
    const { token } = await client.signedInConsole();
    const { id } = (await copy(token, 'Sales laptops')).body;
    const first = await edit(token, id, { settings: { basic: { poll_interval: '30m' } } }, '"1"');

    const stale = await edit(token, id, { settings: { basic: { tray_icon: false } } }, '"1"');
    const missing = await edit(token, id, { description: 'no version' });
    const weak = await edit(token, id, { description: 'weak' }, 'W/"2"');
    const now = await call<PolicyDetail>('GET', `/api/v1/policies/${id}`, { token });

    expect(first.status).toBe(200);
    expect([stale.status, stale.body.error?.code]).toEqual([412, 'POLICY_VERSION_CONFLICT']);
    expect([missing.status, missing.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(missing.body.error?.details?.['fields']).toEqual({ 'If-Match': ['required'] });
    expect(weak.body.error?.details?.['fields']).toEqual({ 'If-Match': ['format'] });
    // The first writer's change stands; the refused ones wrote nothing.
    expect(now.body.version).toBe(2);
    expect(now.body.settings.basic).toMatchObject({ poll_interval: '30m', tray_icon: true });
    expect(now.headers.get('etag')).toBe('"2"');
  });

  it('labels a policy in Japanese with language=ja, in English otherwise', async () => {
    const { token } = await client.signedInConsole();
    const { id } = (await copy(token, 'Sales laptops')).body;

    const ja = await call<PolicyDetail>('GET', `/api/v1/policies/${id}?language=ja`, { token });
    const en = await call<PolicyDetail>('GET', `/api/v1/policies/${id}`, { token });
    const other = await call('GET', `/api/v1/policies/${id}?language=fr`, { token });
    const listJa = await call<Listed>('GET', '/api/v1/policies?language=ja', { token });
    const listEn = await call<Listed>('GET', '/api/v1/policies', { token });

    expect(setting(ja.body, 'basic', 'poll_interval')?.label).toBe('ポーリング間隔');
    expect(setting(en.body, 'basic', 'poll_interval')?.label).toBe('Poll interval');
    expect(setting(ja.body, 'basic', 'poll_interval')?.valueLabel).toBe('15分');
    expect(other.status).toBe(400);
    // The built-ins' names follow the language; the console's own are as typed.
    expect(listJa.body.items[0]!.name).not.toBe(listEn.body.items[0]!.name);
    expect(listJa.body.items[4]!.name).toBe('Sales laptops');
  });

  it('shows how two policies differ, with both values', async () => {
    const { token } = await client.signedInConsole();
    const { id } = (await copy(token, 'Sales laptops')).body;
    await edit(token, id, { settings: { basic: { poll_interval: '1h' } } }, '"1"');

    const diff = await call<{ items: { path: string; a: unknown; b: unknown }[] }>(
      'GET',
      `/api/v1/policies/${id}/diff/${RECOMMENDED}`,
      { token },
    );

    expect(diff.status).toBe(200);
    expect(diff.body.items.map(({ path, a, b }) => ({ path, a, b }))).toEqual([
      { path: 'basic.poll_interval', a: '1h', b: '15m' },
    ]);
  });

  it('refuses to delete a site’s default with POLICY_IN_USE naming the site; with a replacement, moves the site and deletes it', async () => {
    const { token, siteId } = await client.signedInConsole();
    const { id } = (await copy(token, 'Sales laptops')).body;
    await call('PATCH', `/api/v1/sites/${siteId}`, { token, body: { defaultPolicyId: id } });

    const refused = await call('DELETE', `/api/v1/policies/${id}`, { token });
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'POLICY_IN_USE']);
    expect(refused.body.error?.details?.['sites']).toEqual([{ siteId, name: 'HQ' }]);
    expect((await call('GET', `/api/v1/policies/${id}`, { token })).status).toBe(200);

    const deleted = await call(
      'DELETE',
      `/api/v1/policies/${id}?replacementPolicyId=${SILENT_AUDIT}`,
      {
        token,
      },
    );
    const site = await call<Site>('GET', `/api/v1/sites/${siteId}`, { token });
    const gone = await call('GET', `/api/v1/policies/${id}`, { token });

    expect(deleted.status).toBe(204);
    expect(site.body.defaultPolicyId).toBe(SILENT_AUDIT);
    expect([gone.status, gone.body.error?.code]).toEqual([404, 'POLICY_NOT_FOUND']);
  });

  it('refuses a site default that is no policy of the console', async () => {
    const { token, siteId } = await client.signedInConsole();
    const other = await client.signedInConsole();
    const { id: theirs } = (await copy(other.token, 'Theirs')).body;

    const unknown = await call('PATCH', `/api/v1/sites/${siteId}`, {
      token,
      body: { defaultPolicyId: randomUUID() },
    });
    const ofOther = await call('PATCH', `/api/v1/sites/${siteId}`, {
      token,
      body: { defaultPolicyId: theirs },
    });
    const site = await call<Site>('GET', `/api/v1/sites/${siteId}`, { token });

    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'POLICY_NOT_FOUND']);
    expect([ofOther.status, ofOther.body.error?.code]).toEqual([404, 'POLICY_NOT_FOUND']);
    // Never set: Recommended Defaults.
    expect(site.body.defaultPolicyId).toBeNull();
  });

  it('lets a view-only administrator read policies but not copy, edit or delete them; an admin of a site may', async () => {
    const { token: ownerToken, siteId } = await client.signedInConsole();
    const { id } = (await copy(ownerToken, 'Sales laptops')).body;
    const viewer = await siteAdministrator(client, { token: ownerToken, siteId }, 'view_only');
    const siteAdmin = await siteAdministrator(client, { token: ownerToken, siteId }, 'admin');

    const reads = await Promise.all([
      call('GET', '/api/v1/policies', { token: viewer }),
      call('GET', `/api/v1/policies/${id}`, { token: viewer }),
      call('GET', `/api/v1/policies/${id}/usage`, { token: viewer }),
      call('GET', `/api/v1/policies/${id}/diff/${RECOMMENDED}`, { token: viewer }),
    ]);
    const changes = await viewerChanges(call, viewer, id);
    const afterViewer = await call<PolicyDetail>('GET', `/api/v1/policies/${id}`, {
      token: ownerToken,
    });
    const byAdmin = await copy(siteAdmin, 'Support desks');
    const editedByAdmin = await edit(siteAdmin, id, { description: 'for sales' }, '"1"');

    expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(changes).toEqual(['403 FORBIDDEN', '403 FORBIDDEN', '403 FORBIDDEN']);
    expect(afterViewer.body).toMatchObject({ version: 1, name: 'Sales laptops' });
    expect(byAdmin.status).toBe(201);
    expect([editedByAdmin.status, editedByAdmin.body.version]).toEqual([200, 2]);
  });
});

/** What a view-only administrator gets trying to copy, edit and delete. */
async function viewerChanges(call: Call, token: string, id: string): Promise<string[]> {
  const replies = [
    await call('POST', '/api/v1/policies', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { sourcePolicyId: id, name: 'Mine', description: 'a viewer’s copy' },
    }),
    await call('PATCH', `/api/v1/policies/${id}`, {
      token,
      headers: { 'if-match': '"1"' },
      body: { name: 'Renamed by a viewer' },
    }),
    await call('DELETE', `/api/v1/policies/${id}`, { token }),
  ];
  return replies.map((r) => `${r.status} ${r.body.error?.code ?? ''}`);
}
