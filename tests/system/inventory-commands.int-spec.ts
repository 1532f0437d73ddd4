import { type Caller, inventoryEvents, inventoryRpc, licensingRpc } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import {
  agentPath,
  codeOf,
  inventorySystem,
  operator,
  type OpenedConsole,
} from './inventory-harness';

/** The command service's jobs ask as the system: across consoles. */
const system: Caller = { actor: { type: 'system', id: 'command' } };

describe('inventory: what the command service asks (targets, lifecycle, facts, retirement)', () => {
  const sut = inventorySystem();
  const rpc = () => sut.rpc();

  const addSite = async ({ consoleId }: OpenedConsole, name = 'Branch') =>
    rpc().request(licensingRpc.createSite, {
      caller: operator,
      consoleId,
      idempotencyKey: randomUUID(),
      name,
      seats: 20,
    });
  const enrollMany = async (keycode: string, n: number) => {
    const devices = [];
    for (let i = 0; i < n; i++) devices.push(await sut.enroll(keycode));
    return devices.map((d) => d.deviceId);
  };
  const resolve = (caller: Caller, target: object, extra: object = {}) =>
    rpc().request(inventoryRpc.resolveCommandTargets, {
      caller,
      target: target as never,
      limit: 10_000,
      ...extra,
    });
  const setLifecycle = (caller: Caller, deviceIds: string[], from: string[], to: string) =>
    rpc().request(inventoryRpc.setLifecycle, {
      caller,
      deviceIds,
      from: from as never,
      to: to as never,
      commandId: randomUUID(),
    });
  const facts = (deviceId: string, caller: Caller = system) =>
    rpc().request(inventoryRpc.deviceFacts, { caller, deviceId });

  describe('resolveCommandTargets', () => {
    let opened: OpenedConsole;
    let branch: { id: string; keycode: string };
    let head: string[];
    let branchDevices: string[];

    beforeAll(async () => {
      opened = await sut.openConsole();
      branch = await addSite(opened);
      head = await enrollMany(opened.keycode, 4);
      branchDevices = await enrollMany(branch.keycode, 2);
    });

    it('resolves a selection across the caller’s sites, a site, a group and a filter', async () => {
      const selection = await resolve(opened.admin, {
        kind: 'endpoints',
        endpointIds: [head[0]!, branchDevices[0]!, head[0]!.toUpperCase()],
      });
      expect(selection.devices.map((d) => d.deviceId).sort()).toEqual(
        [head[0]!, branchDevices[0]!].sort(),
      );
      expect(selection.devices.find((d) => d.deviceId === branchDevices[0])?.siteId).toBe(
        branch.id,
      );
      expect(selection.skipped).toBe(0);

      const site = await resolve(opened.admin, { kind: 'site', siteId: opened.siteId });
      expect(site.devices.map((d) => d.deviceId).sort()).toEqual([...head].sort());
      expect(site.devices.every((d) => d.hostname.startsWith('PC-'))).toBe(true);

      const group = await rpc().request(inventoryRpc.createGroup, {
        caller: opened.admin,
        siteId: opened.siteId,
        name: `Sales ${randomUUID().slice(0, 4)}`,
      });
      await rpc().request(inventoryRpc.moveEndpoints, {
        caller: opened.admin,
        siteId: opened.siteId,
        groupId: group.id,
        selection: { kind: 'ids', endpointIds: [head[1]!] },
      });
      const inGroup = await resolve(opened.admin, {
        kind: 'group',
        siteId: opened.siteId,
        groupId: group.id,
      });
      expect(inGroup.devices.map((d) => d.deviceId)).toEqual([head[1]]);

      await sut.lastSeenLongAgo(head[2]!, 24 * 30);
      const stale = await resolve(opened.admin, {
        kind: 'filter',
        siteId: opened.siteId,
        filter: { status: ['not_seen_recently'] },
      });
      expect(stale.devices.map((d) => d.deviceId)).toEqual([head[2]]);
    });

    it('skips endpoints being deactivated or deactivated, and those already in excludeSiteId', async () => {
      const [pending, deactivated] = await enrollMany(opened.keycode, 2);
      await setLifecycle(system, [pending!, deactivated!], ['active'], 'deactivation_pending');
      await setLifecycle(system, [deactivated!], ['deactivation_pending'], 'deactivated');

      const all = await resolve(opened.admin, {
        kind: 'endpoints',
        endpointIds: [pending!, deactivated!, head[3]!, branchDevices[1]!],
      });
      expect(all.devices.map((d) => d.deviceId).sort()).toEqual(
        [head[3]!, branchDevices[1]!].sort(),
      );
      expect(all.skipped).toBe(2);

      const excluding = await resolve(
        opened.admin,
        { kind: 'endpoints', endpointIds: [head[3]!, branchDevices[1]!] },
        { excludeSiteId: branch.id },
      );
      expect(excluding).toEqual({
        devices: [expect.objectContaining({ deviceId: head[3] })],
        skipped: 1,
        nextAfter: null,
      });
    });

    it('refuses more than the limit with COMMAND_TARGET_TOO_LARGE (details.limit)', async () => {
      const refusal = await rpc()
        .request(inventoryRpc.resolveCommandTargets, {
          caller: opened.admin,
          target: { kind: 'site', siteId: opened.siteId },
          limit: 2,
        })
        .catch((error: unknown) => error);
      expect(refusal).toMatchObject({ code: 'COMMAND_TARGET_TOO_LARGE', details: { limit: 2 } });
    });

    it('commands only the sites an admin has `admin` on: view-only and no-access endpoints are skipped, their sites refused', async () => {
      const headAdminOnly: Caller = {
        ...opened.admin,
        siteAccess: { [opened.siteId]: 'admin', [branch.id]: 'view_only' },
      };
      const mixed = await resolve(headAdminOnly, {
        kind: 'endpoints',
        endpointIds: [head[0]!, branchDevices[0]!],
      });
      expect(mixed.devices.map((d) => d.deviceId)).toEqual([head[0]]);
      expect(mixed.skipped).toBe(1);
      expect(await codeOf(resolve(headAdminOnly, { kind: 'site', siteId: branch.id }))).toBe(
        'FORBIDDEN',
      );
      const headOnly: Caller = { ...opened.admin, siteAccess: { [opened.siteId]: 'admin' } };
      expect(await codeOf(resolve(headOnly, { kind: 'site', siteId: branch.id }))).toBe(
        'SITE_NOT_FOUND',
      );
      const hidden = await resolve(headOnly, { kind: 'endpoints', endpointIds: branchDevices });
      expect(hidden).toEqual({ devices: [], skipped: 2, nextAfter: null });
    });

    it('keeps to the caller’s console: another console’s endpoints are skipped, its site and group not found', async () => {
      const other = await sut.openConsole();
      const [theirs] = await enrollMany(other.keycode, 1);
      const [otherGroup] = (
        await rpc().request(inventoryRpc.listGroups, { caller: other.admin, siteId: other.siteId })
      ).items;

      expect(await resolve(opened.admin, { kind: 'endpoints', endpointIds: [theirs!] })).toEqual({
        devices: [],
        skipped: 1,
        nextAfter: null,
      });
      expect(await codeOf(resolve(opened.admin, { kind: 'site', siteId: other.siteId }))).toBe(
        'SITE_NOT_FOUND',
      );
      expect(
        await codeOf(
          resolve(opened.admin, { kind: 'group', siteId: opened.siteId, groupId: otherGroup!.id }),
        ),
      ).toBe('GROUP_NOT_FOUND');
      expect(
        await codeOf(
          resolve(opened.admin, {
            kind: 'filter',
            siteId: other.siteId,
            filter: { status: ['protected'] },
          }),
        ),
      ).toBe('SITE_NOT_FOUND');
    });
  });

  describe('setLifecycle', () => {
    it('moves only endpoints in `from`, audits each change, and derives the status from the lifecycle first', async () => {
      const opened = await sut.openConsole();
      const [a, b, c] = await enrollMany(opened.keycode, 3);
      await setLifecycle(system, [c!], ['active'], 'deactivation_pending');
      const commandId = randomUUID();

      const reply = await rpc().request(inventoryRpc.setLifecycle, {
        caller: opened.admin,
        deviceIds: [a!, b!, c!],
        from: ['active'],
        to: 'deactivation_pending',
        commandId,
      });
      expect(reply).toEqual({ changed: 2 });
      for (const id of [a!, b!]) {
        const audit = await sut.eventWhere(
          inventoryEvents.auditRecorded.subject,
          (e) =>
            (e['target'] as { id: string }).id === id &&
            (e['after'] as { commandId?: string }).commandId === commandId,
        );
        expect(audit).toMatchObject({
          action: 'endpoint.lifecycle-changed',
          consoleId: opened.consoleId,
          siteId: opened.siteId,
          before: { lifecycle: 'active' },
          after: { lifecycle: 'deactivation_pending' },
        });
      }
      // Infected and not seen for a month: the lifecycle still decides the status.
      await sut.lastSeenLongAgo(a!, 24 * 30);
      const detail = await rpc().request(inventoryRpc.getEndpoint, {
        caller: opened.admin,
        endpointId: a!,
      });
      expect(detail.status).toBe('deactivation_pending');
      expect((await facts(a!)).lifecycle).toBe('deactivation_pending');

      // Again: nothing is in `from` any more.
      expect(
        await rpc().request(inventoryRpc.setLifecycle, {
          caller: opened.admin,
          deviceIds: [a!, b!],
          from: ['active'],
          to: 'deactivation_pending',
          commandId,
        }),
      ).toEqual({ changed: 0 });
    });

    it('deactivated: into "Deactivated devices", the token stops (devicesChanged), the seat is not touched here', async () => {
      const opened = await sut.openConsole();
      const [device] = await enrollMany(opened.keycode, 1);
      await setLifecycle(system, [device!], ['active'], 'deactivation_pending');
      const before = await rpc().request(inventoryRpc.deviceCredentials, {
        caller: agentPath,
        deviceId: device!,
      });

      expect(
        await setLifecycle(
          system,
          [device!],
          ['deactivation_pending', 'removal_unverified'],
          'deactivated',
        ),
      ).toEqual({ changed: 1 });

      await sut.eventWhere(inventoryEvents.devicesChanged.subject, (e) =>
        ((e['deviceIds'] as string[] | null) ?? []).includes(device!),
      );
      const after = await rpc().request(inventoryRpc.deviceCredentials, {
        caller: agentPath,
        deviceId: device!,
      });
      expect(after.tokenSha256).not.toBe(before.tokenSha256);
      const detail = await rpc().request(inventoryRpc.getEndpoint, {
        caller: opened.admin,
        endpointId: device!,
      });
      expect(detail).toMatchObject({ status: 'deactivated', groupName: 'Deactivated devices' });
      const groups = await rpc().request(inventoryRpc.listGroups, {
        caller: opened.admin,
        siteId: opened.siteId,
      });
      expect(groups.items.find((g) => g.system === 'deactivated')).toMatchObject({
        id: detail.groupId,
        endpointCount: 1,
      });
    });

    it('a deactivated device installed again is active again, in the default group, with its old id', async () => {
      const opened = await sut.openConsole();
      const hardwareKey = `hw-${randomUUID()}`;
      const device = await sut.enroll(opened.keycode, { hardwareKey });
      await setLifecycle(system, [device.deviceId], ['active'], 'deactivated');

      const again = await sut.enroll(opened.keycode, { hardwareKey });
      expect(again).toMatchObject({ deviceId: device.deviceId, reinstalled: true });
      const detail = await rpc().request(inventoryRpc.getEndpoint, {
        caller: opened.admin,
        endpointId: device.deviceId,
      });
      expect(detail).toMatchObject({ status: 'protected', groupName: 'Default group' });
    });

    it('changes nothing of another console, nor of a site the admin only views', async () => {
      const opened = await sut.openConsole();
      const other = await sut.openConsole();
      const [mine] = await enrollMany(opened.keycode, 1);
      const [theirs] = await enrollMany(other.keycode, 1);

      expect(
        await setLifecycle(opened.admin, [theirs!], ['active'], 'deactivation_pending'),
      ).toEqual({ changed: 0 });
      const viewer: Caller = { ...opened.admin, siteAccess: { [opened.siteId]: 'view_only' } };
      expect(await setLifecycle(viewer, [mine!], ['active'], 'deactivation_pending')).toEqual({
        changed: 0,
      });
      expect((await facts(theirs!)).lifecycle).toBe('active');
      expect((await facts(mine!)).lifecycle).toBe('active');
    });
  });

  describe('deviceFacts and deviceByHardwareKey', () => {
    it('answers what the command service needs, within the caller’s console', async () => {
      const opened = await sut.openConsole();
      const other = await sut.openConsole();
      const hardwareKey = `hw-${randomUUID()}`;
      const device = await sut.enroll(opened.keycode, { hardwareKey, hostname: 'PC-facts' });

      const known = await facts(device.deviceId);
      expect(known).toMatchObject({
        deviceId: device.deviceId,
        consoleId: opened.consoleId,
        siteId: opened.siteId,
        hardwareKey,
        hostname: 'PC-facts',
        lifecycle: 'active',
      });
      expect(
        await rpc().request(inventoryRpc.deviceByHardwareKey, {
          caller: system,
          siteId: opened.siteId,
          hardwareKey,
        }),
      ).toEqual(known);
      expect(await codeOf(facts(device.deviceId, other.admin))).toBe('ENDPOINT_NOT_FOUND');
      expect(await codeOf(facts(randomUUID()))).toBe('ENDPOINT_NOT_FOUND');
      expect(
        await codeOf(
          rpc().request(inventoryRpc.deviceByHardwareKey, {
            caller: other.admin,
            siteId: opened.siteId,
            hardwareKey,
          }),
        ),
      ).toBe('ENDPOINT_NOT_FOUND');
    });
  });

  describe('retireEndpoint', () => {
    it('removes the moved device’s old endpoint once, stops its token, and audits where it went', async () => {
      const source = await sut.openConsole();
      const target = await sut.openConsole();
      const hardwareKey = `hw-${randomUUID()}`;
      const old = await sut.enroll(source.keycode, { hardwareKey });
      const moved = await sut.enroll(target.keycode, { hardwareKey });
      const commandId = randomUUID();
      const retire = (caller: Caller, deviceId = old.deviceId) =>
        rpc().request(inventoryRpc.retireEndpoint, {
          caller,
          deviceId,
          movedTo: { siteId: target.siteId, deviceId: moved.deviceId },
          commandId,
        });

      expect(await retire(target.admin)).toEqual({ retired: false }); // not its console
      expect(await retire(system, moved.deviceId)).toEqual({ retired: false }); // itself
      expect(await retire(system)).toEqual({ retired: true });
      expect(await retire(system)).toEqual({ retired: false });

      await sut.eventWhere(inventoryEvents.devicesChanged.subject, (e) =>
        ((e['deviceIds'] as string[] | null) ?? []).includes(old.deviceId),
      );
      const audit = await sut.eventWhere(
        inventoryEvents.auditRecorded.subject,
        (e) =>
          (e['target'] as { id: string }).id === old.deviceId && e['action'] === 'endpoint.retired',
      );
      expect(audit).toMatchObject({
        consoleId: source.consoleId,
        siteId: source.siteId,
        after: { movedTo: { siteId: target.siteId, deviceId: moved.deviceId }, commandId },
      });
      expect(
        await codeOf(
          rpc().request(inventoryRpc.deviceCredentials, {
            caller: agentPath,
            deviceId: old.deviceId,
          }),
        ),
      ).toBe('ENDPOINT_NOT_FOUND');
      expect((await facts(moved.deviceId)).siteId).toBe(target.siteId);
    });
  });
});
