import {
  type AgentDetection,
  BUILTIN_POLICY_IDS,
  type Caller,
  ENDPOINT_SORT_KEYS,
  ENDPOINT_STATUSES,
  type EndpointSortKey,
  type EndpointSummary,
  inventoryRpc,
  licensingRpc,
  policyRpc,
} from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { agentPath, codeOf, inventorySystem, type OpenedConsole } from './inventory-harness';

/** What each sort orders by, as the summary shows it (ties are broken by id, not checked here). */
const SORT_VALUE: Record<EndpointSortKey, (e: EndpointSummary) => string | number> = {
  hostname: (e) => e.hostname.toLowerCase(),
  group: (e) => e.groupName.toLowerCase(),
  status: (e) => ENDPOINT_STATUSES.indexOf(e.status),
  os: (e) => `${e.os.family} ${e.os.version}`.toLowerCase(),
  agentVersion: (e) => e.agentVersion,
  policy: (e) => e.policy.name.toLowerCase(),
  lastSeenAt: (e) => e.lastSeenAt,
  // Never infected first (as MongoDB sorts null), then by time.
  lastInfectionAt: (e) => (e.lastInfectionAt === null ? '' : e.lastInfectionAt),
  enrolledAt: (e) => e.enrolledAt,
};

const detection = (id: string, actionTaken: AgentDetection['actionTaken']): AgentDetection => ({
  id,
  threatName: 'EICAR-Test-File',
  path: '/tmp/eicar.com',
  hash: '44d88612fea8a8f36de82e1278abb02f',
  actionTaken,
  detectedAt: new Date(Date.now() - Math.floor(Math.random() * 1e6)).toISOString(),
});

describe('inventory: the console’s endpoint table', () => {
  const system = inventorySystem();
  let opened: OpenedConsole;
  let all: string[];
  let salesGroupId: string;
  let ownPolicyId: string;
  let infected: string[];
  let notSeen: string[];

  const list = (request: Record<string, unknown>, caller: Caller = opened.admin) =>
    system.rpc().request(inventoryRpc.listEndpoints, {
      caller,
      siteId: opened.siteId,
      ...request,
    });

  beforeAll(async () => {
    opened = await system.openConsole({ seats: 50 });
    const { admin, siteId, keycode } = opened;
    const rpc = system.rpc();
    const server = BUILTIN_POLICY_IDS.recommended_server_defaults;
    const own = await rpc.request(policyRpc.copyPolicy, {
      caller: admin,
      idempotencyKey: randomUUID(),
      sourcePolicyId: BUILTIN_POLICY_IDS.recommended_defaults,
      name: 'Kiosk',
      description: 'for the tests',
    });
    ownPolicyId = own.id;
    const names = ['alpha', 'Bravo', 'charlie', 'DELTA', 'echo', 'Foxtrot', 'golf', 'hotel'];
    const devices = [];
    for (const [i, name] of [...names, ...names.map((n) => `${n}-2`)].entries()) {
      devices.push(
        await rpc.request(inventoryRpc.enroll, {
          caller: agentPath,
          keycode,
          hardwareKey: `hw-${randomUUID()}`,
          hostname: `PC-${name}`,
          os:
            i % 3 === 0
              ? { family: 'macos', version: '14.4' }
              : { family: 'windows', version: `1${i % 2}` },
          agentVersion: `1.${i % 4}.0`,
        }),
      );
      if (i === 9) {
        // Later devices capture the new site default; earlier ones keep theirs.
        await rpc.request(licensingRpc.updateSiteSettings, {
          caller: admin,
          siteId,
          patch: { defaultPolicyId: server },
        });
      }
    }
    all = devices.map((d) => d.deviceId);
    const sales = await rpc.request(inventoryRpc.createGroup, {
      caller: admin,
      siteId,
      name: 'Sales',
      policyId: BUILTIN_POLICY_IDS.silent_audit,
    });
    salesGroupId = sales.id;
    await rpc.request(inventoryRpc.moveEndpoints, {
      caller: admin,
      siteId,
      groupId: sales.id,
      selection: { kind: 'ids', endpointIds: all.slice(0, 5) },
    });
    await rpc.request(inventoryRpc.setEndpointPolicy, {
      caller: admin,
      siteId,
      endpointId: all[1]!,
      policyId: ownPolicyId,
    });
    await rpc.request(inventoryRpc.setEndpointPolicy, {
      caller: admin,
      siteId,
      endpointId: all[12]!,
      policyId: ownPolicyId,
    });
    infected = [all[2]!, all[7]!, all[13]!];
    for (const deviceId of infected) {
      await rpc.request(inventoryRpc.recordDetections, {
        caller: agentPath,
        deviceId,
        detections: [detection(randomUUID(), 'detected')],
      });
    }
    await rpc.request(inventoryRpc.recordDetections, {
      caller: agentPath,
      deviceId: all[4]!,
      detections: [detection(randomUUID(), 'quarantined')],
    });
    notSeen = [all[3]!, all[10]!, all[15]!];
    for (const deviceId of notSeen) await system.lastSeenLongAgo(deviceId, 24 * 30);
  });

  it('walks every page of every sort, both ways: each endpoint exactly once, in order', async () => {
    for (const sort of ENDPOINT_SORT_KEYS) {
      for (const order of ['asc', 'desc'] as const) {
        const seen: EndpointSummary[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 20; pages++) {
          const page = await list({ sort, order, limit: 3, ...(cursor ? { cursor } : {}) });
          expect(page.total).toBe(all.length);
          seen.push(...page.items);
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        expect(seen.map((e) => e.id).sort()).toEqual([...all].sort());
        const values = seen.map(SORT_VALUE[sort]);
        const inOrder = [...values].sort((a, b) =>
          a < b ? (order === 'asc' ? -1 : 1) : a > b ? (order === 'asc' ? 1 : -1) : 0,
        );
        expect({ sort, order, values }).toEqual({ sort, order, values: inOrder });
        const onePage = await list({ sort, order, limit: 200 });
        expect({ sort, order, ids: seen.map((e) => e.id) }).toEqual({
          sort,
          order,
          ids: onePage.items.map((e) => e.id),
        });
      }
    }
  });

  it('derives status and effective policy with its source: own › group › site default captured at enrolment', async () => {
    const { items } = await list({ limit: 200 });
    const byId = new Map(items.map((e) => [e.id, e]));
    expect(byId.get(all[1]!)!.policy).toEqual({
      policyId: ownPolicyId,
      name: 'Kiosk',
      source: 'endpoint',
    });
    expect(byId.get(all[0]!)!.policy).toMatchObject({
      policyId: BUILTIN_POLICY_IDS.silent_audit,
      source: 'group',
      name: 'Silent Audit',
    });
    expect(byId.get(all[6]!)!.policy).toMatchObject({
      policyId: BUILTIN_POLICY_IDS.recommended_defaults,
      source: 'site',
    });
    expect(byId.get(all[14]!)!.policy).toMatchObject({
      policyId: BUILTIN_POLICY_IDS.recommended_server_defaults,
      source: 'site',
    });
    for (const id of infected) expect(byId.get(id)!.status).toBe('infected');
    for (const id of notSeen) expect(byId.get(id)!.status).toBe('not_seen_recently');
    expect(byId.get(all[4]!)!).toMatchObject({ status: 'protected' });
    expect(byId.get(all[4]!)!.lastInfectionAt).not.toBeNull();

    const counts = await system
      .rpc()
      .request(inventoryRpc.endpointStatusCounts, { caller: opened.admin, siteId: opened.siteId });
    expect(counts).toMatchObject({
      total: all.length,
      counts: { infected: 3, not_seen_recently: 3, protected: all.length - 6, deactivated: 0 },
    });
  });

  it('filters by group, status, effective policy and hostname substring in any case, with the total of every page', async () => {
    const ids = async (filter: Record<string, unknown>) => {
      const page = await list({ filter, limit: 2 });
      const { items } = await list({ filter, limit: 200 });
      expect(page.total).toBe(items.length);
      return items.map((e) => e.id).sort();
    };
    expect(await ids({ groupId: salesGroupId })).toEqual(all.slice(0, 5).sort());
    expect(await ids({ status: ['infected', 'not_seen_recently'] })).toEqual(
      [...infected, ...notSeen].sort(),
    );
    expect(await ids({ policyId: ownPolicyId })).toEqual([all[1]!, all[12]!].sort());
    expect(await ids({ policyId: BUILTIN_POLICY_IDS.silent_audit })).toEqual(
      [all[0]!, all[2]!, all[3]!, all[4]!].sort(),
    );
    expect(await ids({ q: 'delta' })).toEqual([all[3]!, all[11]!].sort());
    expect(await ids({ q: 'a-2', groupId: salesGroupId })).toEqual([]);
    expect(await ids({ q: '.*' })).toEqual([]);
  });

  it('refuses a cursor made for another filter or sort, or not made here', async () => {
    const first = await list({ sort: 'hostname', limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    const cursor = first.nextCursor!;
    expect(await codeOf(list({ sort: 'group', limit: 2, cursor }))).toBe('CURSOR_INVALID');
    expect(await codeOf(list({ sort: 'hostname', filter: { q: 'pc' }, limit: 2, cursor }))).toBe(
      'CURSOR_INVALID',
    );
    expect(await codeOf(list({ sort: 'hostname', limit: 2, cursor: 'not-a-cursor' }))).toBe(
      'CURSOR_INVALID',
    );
    expect((await list({ sort: 'hostname', limit: 2, cursor })).items).toHaveLength(2);
  });

  it('gives the detail with the newest detections first', async () => {
    const deviceId = all[7]!;
    await system.rpc().request(inventoryRpc.recordDetections, {
      caller: agentPath,
      deviceId,
      detections: [
        { ...detection('older', 'blocked'), detectedAt: '2026-01-01T00:00:00.000Z' },
        { ...detection('newer', 'removed'), detectedAt: new Date().toISOString() },
      ],
    });
    const detail = await system
      .rpc()
      .request(inventoryRpc.getEndpoint, { caller: opened.admin, endpointId: deviceId });
    expect(detail.detections).toHaveLength(3);
    expect(detail.detections[0]!.agentDetectionId).toBe('newer');
    expect(detail.detections[2]!.agentDetectionId).toBe('older');
    expect(detail).toMatchObject({ status: 'infected', ownPolicyId: null });
  });

  it('keeps consoles and sites apart: another console’s endpoint is not found, an admin sees only its sites', async () => {
    const other = await system.openConsole();
    const endpointId = all[0]!;
    expect(
      await codeOf(
        system.rpc().request(inventoryRpc.getEndpoint, { caller: other.admin, endpointId }),
      ),
    ).toBe('ENDPOINT_NOT_FOUND');
    expect(
      await codeOf(
        system.rpc().request(inventoryRpc.setEndpointPolicy, {
          caller: other.admin,
          siteId: opened.siteId,
          endpointId,
          policyId: null,
        }),
      ),
    ).toBe('ENDPOINT_NOT_FOUND');
    // A super admin of another console naming this site: not found, as over HTTP.
    expect(
      await codeOf(
        system.rpc().request(inventoryRpc.listEndpoints, {
          caller: other.admin,
          siteId: opened.siteId,
        }),
      ),
    ).toBe('SITE_NOT_FOUND');

    const limited: Caller = {
      ...opened.admin,
      siteAccess: { [randomUUID()]: 'admin' },
    };
    expect(
      await codeOf(system.rpc().request(inventoryRpc.getEndpoint, { caller: limited, endpointId })),
    ).toBe('ENDPOINT_NOT_FOUND');
    expect(await codeOf(list({}, limited))).toBe('SITE_NOT_FOUND');
    const everywhere = await system.rpc().request(inventoryRpc.listEndpoints, {
      caller: limited,
    });
    expect(everywhere.total).toBe(0);
    const viewer: Caller = { ...opened.admin, siteAccess: { [opened.siteId]: 'view_only' } };
    expect((await list({ limit: 1 }, viewer)).total).toBe(all.length);
    expect(
      await codeOf(
        system.rpc().request(inventoryRpc.setEndpointPolicy, {
          caller: viewer,
          siteId: opened.siteId,
          endpointId,
          policyId: null,
        }),
      ),
    ).toBe('FORBIDDEN');
  });
});
