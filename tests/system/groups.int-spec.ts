import {
  BUILTIN_POLICY_IDS,
  type EndpointDetail,
  type EndpointPage,
  type Group,
  type PolicyDetail,
} from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { consoleStack } from './console-client';
import { checkin, enrolAll, type Fleet, openFleet, siteAdministrator } from './endpoints-harness';

/*
 * Groups through the gateway (issue 11; DESIGN §3 journey 10): every site's
 * two system groups, names unique per site without regard to case, renames,
 * deletes that send endpoints back to the default group, moves of one
 * endpoint, a selection or all matching a filter, and the policy of a group
 * and of an endpoint as the endpoint's effective policy and its source.
 */

const TOKEN = `groups-operator-token-${randomUUID()}`;
const RECOMMENDED = BUILTIN_POLICY_IDS.recommended_defaults;
const SILENT_AUDIT = BUILTIN_POLICY_IDS.silent_audit;

describe('groups of a site', () => {
  const { client } = consoleStack(TOKEN, {
    // A check-in waiting for a new policy asks again at once, many times.
    AGENT_DEVICE_BURST: '100000',
  });
  const { call } = client;

  const groupsOf = async (fleet: Fleet) => {
    const reply = await call<{ items: Group[] }>('GET', `/api/v1/sites/${fleet.siteId}/groups`, {
      token: fleet.token,
    });
    expect(reply.status).toBe(200);
    return reply.body.items;
  };
  const system_ = (groups: Group[], kind: 'default' | 'deactivated') =>
    groups.find((g) => g.system === kind)!;
  const createGroup = (fleet: Fleet, body: Record<string, unknown>, token = fleet.token) =>
    call<Group>('POST', `/api/v1/sites/${fleet.siteId}/groups`, { token, body });
  const updateGroup = (fleet: Fleet, groupId: string, body: Record<string, unknown>) =>
    call<Group>('PATCH', `/api/v1/sites/${fleet.siteId}/groups/${groupId}`, {
      token: fleet.token,
      body,
    });
  const deleteGroup = (fleet: Fleet, groupId: string) =>
    call<{ movedEndpoints: number }>('DELETE', `/api/v1/sites/${fleet.siteId}/groups/${groupId}`, {
      token: fleet.token,
    });
  const move = (fleet: Fleet, groupId: string, selection: Record<string, unknown>) =>
    call<{ moved: number }>('POST', `/api/v1/sites/${fleet.siteId}/endpoints/move`, {
      token: fleet.token,
      body: { groupId, selection },
    });
  const inGroup = async (fleet: Fleet, groupId: string) => {
    const reply = await call<EndpointPage>(
      'GET',
      `/api/v1/endpoints?siteId=${fleet.siteId}&groupId=${groupId}&limit=200`,
      { token: fleet.token },
    );
    return reply.body.items.map((e) => e.hostname).sort();
  };
  const endpoint = async (fleet: Fleet, endpointId: string) =>
    (await call<EndpointDetail>('GET', `/api/v1/endpoints/${endpointId}`, { token: fleet.token }))
      .body;

  it('gives every site a default group and "Deactivated devices", where new endpoints land in the default', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const before = await groupsOf(fleet);
    const [agent] = await enrolAll(call, fleet.keycode, [{ hostname: 'first-pc' }]);

    const groups = await groupsOf(fleet);

    expect(before.map((g) => [g.system, g.name])).toEqual([
      ['default', 'Default group'],
      ['deactivated', 'Deactivated devices'],
    ]);
    expect(groups.map((g) => g.id)).toEqual(before.map((g) => g.id));
    expect(system_(groups, 'default').endpointCount).toBe(1);
    expect((await endpoint(fleet, agent!.deviceId)).groupId).toBe(system_(groups, 'default').id);
  });

  it('creates groups with names unique per site without regard to case', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const other = await openFleet(client, TOKEN, 5);

    const created = await createGroup(fleet, { name: 'Sales laptops' });
    const clash = await createGroup(fleet, { name: 'SALES LAPTOPS' });
    const clashSystem = await createGroup(fleet, { name: 'deactivated devices' });
    const elsewhere = await createGroup(other, { name: 'Sales laptops' });
    const withPolicy = await createGroup(fleet, { name: 'Kiosks', policyId: SILENT_AUDIT });
    const unknownPolicy = await createGroup(fleet, { name: 'Lab', policyId: randomUUID() });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      siteId: fleet.siteId,
      name: 'Sales laptops',
      system: null,
      policyId: null,
      endpointCount: 0,
    });
    expect([clash.status, clash.body.error?.code]).toEqual([409, 'GROUP_NAME_TAKEN']);
    expect([clashSystem.status, clashSystem.body.error?.code]).toEqual([409, 'GROUP_NAME_TAKEN']);
    expect(elsewhere.status).toBe(201);
    expect(withPolicy.body.policyId).toBe(SILENT_AUDIT);
    expect([unknownPolicy.status, unknownPolicy.body.error?.code]).toEqual([
      404,
      'POLICY_NOT_FOUND',
    ]);
    // The default group first, "Deactivated devices" last, the others by name between.
    expect((await groupsOf(fleet)).map((g) => g.name)).toEqual([
      'Default group',
      'Kiosks',
      'Sales laptops',
      'Deactivated devices',
    ]);
  });

  it('renames groups, the default one too, but never "Deactivated devices", and deletes neither system group', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const groups = await groupsOf(fleet);
    const sales = (await createGroup(fleet, { name: 'Sales' })).body;
    await createGroup(fleet, { name: 'Support' });

    const renamed = await updateGroup(fleet, sales.id, { name: 'Sales laptops' });
    const caseOnly = await updateGroup(fleet, sales.id, { name: 'Sales Laptops' });
    const clash = await updateGroup(fleet, sales.id, { name: 'support' });
    const defaultRenamed = await updateGroup(fleet, system_(groups, 'default').id, {
      name: 'Unassigned',
    });
    const deactivatedRenamed = await updateGroup(fleet, system_(groups, 'deactivated').id, {
      name: 'Gone',
    });
    const defaultDeleted = await deleteGroup(fleet, system_(groups, 'default').id);
    const deactivatedDeleted = await deleteGroup(fleet, system_(groups, 'deactivated').id);
    const nothing = await updateGroup(fleet, sales.id, {});

    expect(renamed.body).toMatchObject({ id: sales.id, name: 'Sales laptops' });
    expect(caseOnly.body.name).toBe('Sales Laptops');
    expect([clash.status, clash.body.error?.code]).toEqual([409, 'GROUP_NAME_TAKEN']);
    expect(defaultRenamed.body).toMatchObject({ name: 'Unassigned', system: 'default' });
    for (const refused of [deactivatedRenamed, defaultDeleted, deactivatedDeleted]) {
      expect([refused.status, refused.body.error?.code]).toEqual([409, 'GROUP_SYSTEM_PROTECTED']);
    }
    expect(nothing.status).toBe(400);
    expect((await groupsOf(fleet)).map((g) => g.name).sort()).toEqual(
      ['Deactivated devices', 'Sales Laptops', 'Support', 'Unassigned'].sort(),
    );
  });

  it('moves one endpoint, a selection, and all matching a filter; shows the new group name in the table', async () => {
    const fleet = await openFleet(client, TOKEN, 10);
    const agents = await enrolAll(
      call,
      fleet.keycode,
      ['sales-1', 'sales-2', 'sales-3', 'dev-1', 'dev-2', 'kiosk'].map((hostname) => ({
        hostname,
      })),
    );
    const [s1, s2, , d1, d2] = agents.map((a) => a.deviceId);
    const groups = await groupsOf(fleet);
    const a = (await createGroup(fleet, { name: 'A' })).body;
    const b = (await createGroup(fleet, { name: 'B' })).body;

    const one = await move(fleet, a.id, { kind: 'ids', endpointIds: [s1!.toUpperCase()] });
    const selection = await move(fleet, b.id, { kind: 'ids', endpointIds: [d1, d2, s1] });
    const again = await move(fleet, b.id, { kind: 'ids', endpointIds: [d1, d2] });
    const filtered = await move(fleet, a.id, { kind: 'filter', filter: { q: 'SALES' } });
    const none = await move(fleet, a.id, { kind: 'ids', endpointIds: [randomUUID()] });
    const intoDeactivated = await move(fleet, system_(groups, 'deactivated').id, {
      kind: 'ids',
      endpointIds: [s2],
    });
    const unknownGroup = await move(fleet, randomUUID(), { kind: 'ids', endpointIds: [s2] });

    expect([one.status, one.body]).toEqual([200, { moved: 1 }]);
    expect(selection.body).toEqual({ moved: 3 });
    expect(again.body).toEqual({ moved: 0 });
    // sales-1 was in B: all three sales machines are in A now.
    expect(filtered.body).toEqual({ moved: 3 });
    expect(none.body).toEqual({ moved: 0 });
    expect([intoDeactivated.status, intoDeactivated.body.error?.code]).toEqual([
      409,
      'GROUP_SYSTEM_PROTECTED',
    ]);
    expect([unknownGroup.status, unknownGroup.body.error?.code]).toEqual([404, 'GROUP_NOT_FOUND']);
    expect(await inGroup(fleet, a.id)).toEqual(['sales-1', 'sales-2', 'sales-3']);
    expect(await inGroup(fleet, b.id)).toEqual(['dev-1', 'dev-2']);
    expect(await inGroup(fleet, system_(groups, 'default').id)).toEqual(['kiosk']);
    const counts = Object.fromEntries(
      (await groupsOf(fleet)).map((g) => [g.name, g.endpointCount]),
    );
    expect(counts).toEqual({ 'Default group': 1, 'Deactivated devices': 0, A: 3, B: 2 });

    // A rename shows in the table at once.
    await updateGroup(fleet, b.id, { name: 'Developers' });
    expect((await endpoint(fleet, d1!)).groupName).toBe('Developers');
  });

  it('moves into a group of the same site only', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const [agent] = await enrolAll(call, fleet.keycode, [{ hostname: 'pc' }]);
    const branch = await call<{ id: string }>(
      'POST',
      `/ops/v1/consoles/${fleet.account.consoleId}/sites`,
      {
        token: TOKEN,
        headers: { 'idempotency-key': randomUUID() },
        body: { name: 'Branch', seats: 1 },
      },
    );
    const branchGroup = await call<Group>('POST', `/api/v1/sites/${branch.body.id}/groups`, {
      token: fleet.token,
      body: { name: 'Branch office' },
    });

    const reply = await move(fleet, branchGroup.body.id, {
      kind: 'ids',
      endpointIds: [agent!.deviceId],
    });

    expect([reply.status, reply.body.error?.code]).toEqual([404, 'GROUP_NOT_FOUND']);
  });

  it('deletes a group, moving its endpoints back to the site’s default group', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const agents = await enrolAll(call, fleet.keycode, [{ hostname: 'x-1' }, { hostname: 'x-2' }]);
    const groups = await groupsOf(fleet);
    const doomed = (await createGroup(fleet, { name: 'Doomed', policyId: SILENT_AUDIT })).body;
    await move(fleet, doomed.id, { kind: 'ids', endpointIds: agents.map((a) => a.deviceId) });
    expect((await endpoint(fleet, agents[0]!.deviceId)).policy.source).toBe('group');

    const deleted = await deleteGroup(fleet, doomed.id);
    const again = await deleteGroup(fleet, doomed.id);

    expect([deleted.status, deleted.body]).toEqual([200, { movedEndpoints: 2 }]);
    expect([again.status, again.body.error?.code]).toEqual([404, 'GROUP_NOT_FOUND']);
    expect(await inGroup(fleet, system_(groups, 'default').id)).toEqual(['x-1', 'x-2']);
    expect((await endpoint(fleet, agents[0]!.deviceId)).policy).toEqual({
      policyId: RECOMMENDED,
      name: 'Recommended Defaults',
      source: 'site',
    });
    expect((await groupsOf(fleet)).map((g) => g.name)).toEqual([
      'Default group',
      'Deactivated devices',
    ]);
  });

  it('sets a group’s and an endpoint’s policy: the effective policy and its source follow', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const [agent] = await enrolAll(call, fleet.keycode, [{ hostname: 'laptop' }]);
    const id = agent!.deviceId;
    const laptops = await call<PolicyDetail>('POST', '/api/v1/policies', {
      token: fleet.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { sourcePolicyId: RECOMMENDED, name: 'Laptops', description: 'for laptops' },
    });
    const group = (await createGroup(fleet, { name: 'Mobile' })).body;
    await move(fleet, group.id, { kind: 'ids', endpointIds: [id] });
    const seen: unknown[] = [];
    const source = async () => {
      const { policy, ownPolicyId } = await endpoint(fleet, id);
      seen.push([policy.name, policy.source, ownPolicyId]);
    };
    const setOwn = (policyId: string | null) =>
      call<EndpointDetail>('PUT', `/api/v1/sites/${fleet.siteId}/endpoints/${id}/policy`, {
        token: fleet.token,
        body: { policyId },
      });

    await source();
    const groupSet = await updateGroup(fleet, group.id, { policyId: laptops.body.id });
    await source();
    const ownSet = await setOwn(SILENT_AUDIT);
    await source();
    await updateGroup(fleet, group.id, { policyId: null });
    await source();
    const ownCleared = await setOwn(null);
    await source();
    const unknown = await setOwn(randomUUID());
    const otherEndpoint = await call(
      'PUT',
      `/api/v1/sites/${fleet.siteId}/endpoints/${randomUUID()}/policy`,
      { token: fleet.token, body: { policyId: SILENT_AUDIT } },
    );

    expect(groupSet.body.policyId).toBe(laptops.body.id);
    expect(ownSet.body.policy).toEqual({
      policyId: SILENT_AUDIT,
      name: 'Silent Audit',
      source: 'endpoint',
    });
    expect(ownCleared.body.policy.source).toBe('site');
    expect(seen).toEqual([
      ['Recommended Defaults', 'site', null],
      ['Laptops', 'group', null],
      ['Silent Audit', 'endpoint', SILENT_AUDIT],
      ['Silent Audit', 'endpoint', SILENT_AUDIT],
      ['Recommended Defaults', 'site', null],
    ]);
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'POLICY_NOT_FOUND']);
    expect([otherEndpoint.status, otherEndpoint.body.error?.code]).toEqual([
      404,
      'ENDPOINT_NOT_FOUND',
    ]);
    // Filtered by effective policy: the group's counts.
    await updateGroup(fleet, group.id, { policyId: laptops.body.id });
    const byPolicy = await call<EndpointPage>(
      'GET',
      `/api/v1/endpoints?siteId=${fleet.siteId}&policyId=${laptops.body.id}`,
      { token: fleet.token },
    );
    expect(byPolicy.body.items.map((e) => e.id)).toEqual([id]);
  });

  it('gives a group’s endpoints its new policy at their next check-in, and the site’s back when the group goes', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const [agent] = await enrolAll(call, fleet.keycode, [{ hostname: 'field-laptop' }]);
    const group = (await createGroup(fleet, { name: 'Field' })).body;
    await move(fleet, group.id, { kind: 'ids', endpointIds: [agent!.deviceId] });
    /** Checks in (with the version it has) until the policy it gets back is `policyId`. */
    const checkinUntil = async (policyVersion: string, policyId: string) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const reply = await checkin(call, agent!.deviceToken, { policyVersion });
        if (reply.body.policy?.policyId === policyId) return reply.body.policy;
        if (Date.now() > deadline) throw new Error(`no ${policyId}: ${reply.status} ${reply.text}`);
      }
    };

    await updateGroup(fleet, group.id, { policyId: SILENT_AUDIT });
    const silent = await checkinUntil(agent!.policyVersion, SILENT_AUDIT);
    await deleteGroup(fleet, group.id);
    const back = await checkinUntil(silent.versionTag, RECOMMENDED);

    expect(silent.versionTag).not.toBe(agent!.policyVersion);
    expect(back.versionTag).toBe(agent!.policyVersion);
  });

  it('lets view-only administrators list groups but not change them', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const viewer = await siteAdministrator(client, fleet, 'view_only');
    const group = (await createGroup(fleet, { name: 'Kept' })).body;

    const list = await call<{ items: Group[] }>('GET', `/api/v1/sites/${fleet.siteId}/groups`, {
      token: viewer,
    });
    const created = await createGroup(fleet, { name: 'Mine' }, viewer);
    const renamed = await call('PATCH', `/api/v1/sites/${fleet.siteId}/groups/${group.id}`, {
      token: viewer,
      body: { name: 'Taken' },
    });
    const deleted = await call('DELETE', `/api/v1/sites/${fleet.siteId}/groups/${group.id}`, {
      token: viewer,
    });

    expect(list.status).toBe(200);
    expect(list.body.items.map((g) => g.name)).toContain('Kept');
    for (const refused of [created, renamed, deleted]) {
      expect([refused.status, refused.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await groupsOf(fleet)).map((g) => g.name)).toEqual([
      'Default group',
      'Kept',
      'Deactivated devices',
    ]);
  });
});
