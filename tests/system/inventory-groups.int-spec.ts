import {
  BUILTIN_POLICY_IDS,
  inventoryEvents,
  inventoryRpc,
  licensingRpc,
  policyRpc,
} from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { agentPath, codeOf, inventorySystem, type OpenedConsole } from './inventory-harness';

const RECOMMENDED = BUILTIN_POLICY_IDS.recommended_defaults;
const SILENT = BUILTIN_POLICY_IDS.silent_audit;

describe('inventory: groups, moves and effective policies', () => {
  const system = inventorySystem();

  const rpc = () => system.rpc();
  const effectivePolicy = async (deviceId: string) =>
    (await rpc().request(inventoryRpc.deviceCredentials, { caller: agentPath, deviceId })).policyId;
  const groupsOf = async ({ admin, siteId }: OpenedConsole) =>
    (await rpc().request(inventoryRpc.listGroups, { caller: admin, siteId })).items;
  const copyPolicy = async ({ admin }: OpenedConsole, name: string) =>
    (
      await rpc().request(policyRpc.copyPolicy, {
        caller: admin,
        idempotencyKey: randomUUID(),
        sourcePolicyId: RECOMMENDED,
        name,
        description: 'for the tests',
      })
    ).id;

  it('gives every site a default group and "Deactivated devices", once, however many ask at the same time', async () => {
    const opened = await system.openConsole();
    const lists = await Promise.all(Array.from({ length: 8 }, () => groupsOf(opened)));
    for (const items of lists) {
      expect(items.map((g) => [g.name, g.system])).toEqual([
        ['Default group', 'default'],
        ['Deactivated devices', 'deactivated'],
      ]);
      expect(items.map((g) => g.id)).toEqual(lists[0]!.map((g) => g.id));
    }
    const device = await system.enroll(opened.keycode);
    const [defaultGroup] = await groupsOf(opened);
    expect(defaultGroup).toMatchObject({ endpointCount: 1 });
    const detail = await rpc().request(inventoryRpc.getEndpoint, {
      caller: opened.admin,
      endpointId: device.deviceId,
    });
    expect(detail).toMatchObject({ groupId: defaultGroup!.id, groupName: 'Default group' });
  });

  it('creates, renames (endpoints show the new name) and deletes groups; names are unique per site in any case', async () => {
    const opened = await system.openConsole();
    const { admin, siteId } = opened;
    const devices = [await system.enroll(opened.keycode), await system.enroll(opened.keycode)];
    const group = await rpc().request(inventoryRpc.createGroup, {
      caller: admin,
      siteId,
      name: 'Sales',
    });
    expect(group).toMatchObject({ name: 'Sales', system: null, policyId: null, endpointCount: 0 });
    expect(
      await codeOf(
        rpc().request(inventoryRpc.createGroup, { caller: admin, siteId, name: 'SALES' }),
      ),
    ).toBe('GROUP_NAME_TAKEN');
    expect(
      await codeOf(
        rpc().request(inventoryRpc.createGroup, { caller: admin, siteId, name: 'default group' }),
      ),
    ).toBe('GROUP_NAME_TAKEN');

    const { moved } = await rpc().request(inventoryRpc.moveEndpoints, {
      caller: admin,
      siteId,
      groupId: group.id,
      selection: { kind: 'filter', filter: {} },
    });
    expect(moved).toBe(2);
    const renamed = await rpc().request(inventoryRpc.updateGroup, {
      caller: admin,
      siteId,
      groupId: group.id,
      changes: { name: 'Sales (Osaka)' },
    });
    expect(renamed).toMatchObject({ name: 'Sales (Osaka)', endpointCount: 2 });
    const { items } = await rpc().request(inventoryRpc.listEndpoints, {
      caller: admin,
      siteId,
    });
    expect(items.map((e) => e.groupName)).toEqual(['Sales (Osaka)', 'Sales (Osaka)']);
    await system.eventWhere(
      inventoryEvents.auditRecorded.subject,
      (e) =>
        e['action'] === 'group.updated' &&
        (e['before'] as { name?: string } | null)?.name === 'Sales' &&
        (e['after'] as { name?: string } | null)?.name === 'Sales (Osaka)',
    );

    const groups = await groupsOf(opened);
    const defaultGroup = groups[0];
    expect(groups.map((g) => g.name)).toEqual([
      'Default group',
      'Sales (Osaka)',
      'Deactivated devices',
    ]);
    expect(
      await rpc().request(inventoryRpc.deleteGroup, { caller: admin, siteId, groupId: group.id }),
    ).toEqual({ movedEndpoints: 2 });
    expect((await groupsOf(opened)).map((g) => [g.name, g.endpointCount])).toEqual([
      ['Default group', 2],
      ['Deactivated devices', 0],
    ]);
    for (const device of devices) {
      const detail = await rpc().request(inventoryRpc.getEndpoint, {
        caller: admin,
        endpointId: device.deviceId,
      });
      expect(detail.groupId).toBe(defaultGroup!.id);
    }
    expect(
      await codeOf(
        rpc().request(inventoryRpc.deleteGroup, { caller: admin, siteId, groupId: group.id }),
      ),
    ).toBe('GROUP_NOT_FOUND');
  });

  it('protects the system groups: the default is renamable, not deletable; "Deactivated devices" is neither, nor a move target', async () => {
    const opened = await system.openConsole();
    const { admin, siteId } = opened;
    await system.enroll(opened.keycode);
    const [defaultGroup, deactivated] = await groupsOf(opened);
    expect(
      await rpc().request(inventoryRpc.updateGroup, {
        caller: admin,
        siteId,
        groupId: defaultGroup!.id,
        changes: { name: 'Everyone' },
      }),
    ).toMatchObject({ name: 'Everyone', system: 'default' });
    expect(
      await codeOf(
        rpc().request(inventoryRpc.deleteGroup, {
          caller: admin,
          siteId,
          groupId: defaultGroup!.id,
        }),
      ),
    ).toBe('GROUP_SYSTEM_PROTECTED');
    expect(
      await codeOf(
        rpc().request(inventoryRpc.updateGroup, {
          caller: admin,
          siteId,
          groupId: deactivated!.id,
          changes: { name: 'Gone' },
        }),
      ),
    ).toBe('GROUP_SYSTEM_PROTECTED');
    expect(
      await codeOf(
        rpc().request(inventoryRpc.deleteGroup, {
          caller: admin,
          siteId,
          groupId: deactivated!.id,
        }),
      ),
    ).toBe('GROUP_SYSTEM_PROTECTED');
    expect(
      await codeOf(
        rpc().request(inventoryRpc.moveEndpoints, {
          caller: admin,
          siteId,
          groupId: deactivated!.id,
          selection: { kind: 'filter', filter: {} },
        }),
      ),
    ).toBe('GROUP_SYSTEM_PROTECTED');
  });

  it('resolves the effective policy endpoint › group › site, and tells the gateways whose changed', async () => {
    const opened = await system.openConsole();
    const { admin, siteId, consoleId } = opened;
    const device = await system.enroll(opened.keycode);
    expect(await effectivePolicy(device.deviceId)).toBe(RECOMMENDED);

    const own = await copyPolicy(opened, 'Own');
    const group = await rpc().request(inventoryRpc.createGroup, {
      caller: admin,
      siteId,
      name: 'Servers',
    });
    await rpc().request(inventoryRpc.moveEndpoints, {
      caller: admin,
      siteId,
      groupId: group.id,
      selection: { kind: 'ids', endpointIds: [device.deviceId] },
    });
    expect(await effectivePolicy(device.deviceId)).toBe(RECOMMENDED);
    await rpc().request(inventoryRpc.updateGroup, {
      caller: admin,
      siteId,
      groupId: group.id,
      changes: { policyId: SILENT },
    });
    expect(await effectivePolicy(device.deviceId)).toBe(SILENT);
    await system.eventWhere(
      inventoryEvents.devicesChanged.subject,
      (e) =>
        e['consoleId'] === consoleId &&
        JSON.stringify(e['deviceIds']) === JSON.stringify([device.deviceId]),
    );
    const summary = await rpc().request(inventoryRpc.setEndpointPolicy, {
      caller: admin,
      siteId,
      endpointId: device.deviceId,
      policyId: own,
    });
    expect(summary.policy).toEqual({ policyId: own, name: 'Own', source: 'endpoint' });
    expect(await effectivePolicy(device.deviceId)).toBe(own);
    await system.eventWhere(
      inventoryEvents.auditRecorded.subject,
      (e) =>
        e['action'] === 'endpoint.policy-set' &&
        JSON.stringify(e['before']) === JSON.stringify({ ownPolicyId: null }) &&
        JSON.stringify(e['after']) === JSON.stringify({ ownPolicyId: own }),
    );

    const back = await rpc().request(inventoryRpc.setEndpointPolicy, {
      caller: admin,
      siteId,
      endpointId: device.deviceId,
      policyId: null,
    });
    expect(back.policy).toMatchObject({ policyId: SILENT, source: 'group' });
    await rpc().request(inventoryRpc.updateGroup, {
      caller: admin,
      siteId,
      groupId: group.id,
      changes: { policyId: null },
    });
    expect(await effectivePolicy(device.deviceId)).toBe(RECOMMENDED);

    expect(
      await codeOf(
        rpc().request(inventoryRpc.updateGroup, {
          caller: admin,
          siteId,
          groupId: group.id,
          changes: { policyId: randomUUID() },
        }),
      ),
    ).toBe('POLICY_NOT_FOUND');
    const other = await system.openConsole();
    const foreignPolicy = await copyPolicy(other, 'Theirs');
    expect(
      await codeOf(
        rpc().request(inventoryRpc.setEndpointPolicy, {
          caller: admin,
          siteId,
          endpointId: device.deviceId,
          policyId: foreignPolicy,
        }),
      ),
    ).toBe('POLICY_NOT_FOUND');
  });

  it('counts and replaces a deleted policy’s users (own, group and captured site default): no endpoint is left without a policy', async () => {
    const opened = await system.openConsole();
    const { admin, siteId } = opened;
    const doomed = await copyPolicy(opened, 'Doomed');
    const replacement = await copyPolicy(opened, 'Replacement');
    // One device captures it as its site's default, one has it as its own, one by its group.
    await rpc().request(licensingRpc.updateSiteSettings, {
      caller: admin,
      siteId,
      patch: { defaultPolicyId: doomed },
    });
    const captured = await system.enroll(opened.keycode);
    await rpc().request(licensingRpc.updateSiteSettings, {
      caller: admin,
      siteId,
      patch: { defaultPolicyId: RECOMMENDED },
    });
    const owner = await system.enroll(opened.keycode);
    const follower = await system.enroll(opened.keycode);
    const bystander = await system.enroll(opened.keycode);
    await rpc().request(inventoryRpc.setEndpointPolicy, {
      caller: admin,
      siteId,
      endpointId: owner.deviceId,
      policyId: doomed,
    });
    const group = await rpc().request(inventoryRpc.createGroup, {
      caller: admin,
      siteId,
      name: 'Doomed users',
      policyId: doomed,
    });
    await rpc().request(inventoryRpc.moveEndpoints, {
      caller: admin,
      siteId,
      groupId: group.id,
      selection: { kind: 'ids', endpointIds: [follower.deviceId] },
    });

    const usage = await rpc().request(policyRpc.policyUsage, { caller: admin, policyId: doomed });
    expect(usage).toMatchObject({
      sites: [],
      groups: [{ groupId: group.id, siteId, name: 'Doomed users' }],
      endpoints: 2,
    });
    const listed = await rpc().request(policyRpc.listPolicies, { caller: admin });
    const usedBy = new Map(listed.items.map((p) => [p.id, p.usedByEndpoints]));
    expect(usedBy.get(doomed)).toBe(3);
    expect(usedBy.get(RECOMMENDED)).toBe(1);
    expect(
      await codeOf(rpc().request(policyRpc.deletePolicy, { caller: admin, policyId: doomed })),
    ).toBe('POLICY_IN_USE');

    await rpc().request(policyRpc.deletePolicy, {
      caller: admin,
      policyId: doomed,
      replacementPolicyId: replacement,
    });
    for (const device of [captured, owner, follower]) {
      expect(await effectivePolicy(device.deviceId)).toBe(replacement);
    }
    expect(await effectivePolicy(bystander.deviceId)).toBe(RECOMMENDED);
    const { items } = await rpc().request(inventoryRpc.listEndpoints, {
      caller: admin,
      siteId,
    });
    expect(items.map((e) => e.policy.name).sort()).toEqual([
      'Recommended Defaults',
      'Replacement',
      'Replacement',
      'Replacement',
    ]);
    // A repeat (a retried delete) finds nothing left to move.
    expect(
      await rpc().request(inventoryRpc.replacePolicy, {
        caller: admin,
        consoleId: opened.consoleId,
        policyId: doomed,
        replacementPolicyId: replacement,
      }),
    ).toEqual({ groups: 0, endpoints: 0 });
  });

  it('keeps consoles apart: another console’s site and group are not found', async () => {
    const mine = await system.openConsole();
    const theirs = await system.openConsole();
    const group = await rpc().request(inventoryRpc.createGroup, {
      caller: mine.admin,
      siteId: mine.siteId,
      name: 'Mine',
    });
    expect(
      await codeOf(
        rpc().request(inventoryRpc.listGroups, { caller: theirs.admin, siteId: mine.siteId }),
      ),
    ).toBe('SITE_NOT_FOUND');
    expect(
      await codeOf(
        rpc().request(inventoryRpc.createGroup, {
          caller: theirs.admin,
          siteId: mine.siteId,
          name: 'Intruder',
        }),
      ),
    ).toBe('SITE_NOT_FOUND');
    for (const siteId of [mine.siteId, theirs.siteId]) {
      expect(
        await codeOf(
          rpc().request(inventoryRpc.updateGroup, {
            caller: theirs.admin,
            siteId,
            groupId: group.id,
            changes: { name: 'Taken over' },
          }),
        ),
      ).toBe('GROUP_NOT_FOUND');
      expect(
        await codeOf(
          rpc().request(inventoryRpc.deleteGroup, {
            caller: theirs.admin,
            siteId,
            groupId: group.id,
          }),
        ),
      ).toBe('GROUP_NOT_FOUND');
    }
    expect(
      await codeOf(
        rpc().request(inventoryRpc.policyUsage, {
          caller: theirs.admin,
          consoleId: mine.consoleId,
          policyId: RECOMMENDED,
        }),
      ),
    ).toBe('FORBIDDEN');
  });
});
