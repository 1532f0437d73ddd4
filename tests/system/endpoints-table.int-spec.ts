import {
  BUILTIN_POLICY_IDS,
  ENDPOINT_SORT_KEYS,
  ENDPOINT_STATUSES,
  type EndpointDetail,
  type EndpointPage,
  type EndpointSortKey,
  type EndpointStatusCounts,
  type EndpointSummary,
  type EnrollReply,
  type Group,
} from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { consoleStack } from './console-client';
import {
  checkin,
  detection,
  enrol,
  enrolAll,
  type Fleet,
  openFleet,
  siteAdministrator,
} from './endpoints-harness';

/*
 * The endpoints table through the gateway (issue 11; DESIGN §3 journey 10):
 * agents enrol and check in through the agent API, administrators read the
 * table: filters, search, every sort key both ways, cursor paging across
 * pages, the counts per status, and who may change what.
 */

const TOKEN = `endpoints-operator-token-${randomUUID()}`;
const RECOMMENDED = BUILTIN_POLICY_IDS.recommended_defaults;
const SILENT_AUDIT = BUILTIN_POLICY_IDS.silent_audit;

const DEVICES = [
  { hostname: 'Sales-01', os: { family: 'windows', version: '11 23H2' }, agentVersion: '1.0.0' },
  { hostname: 'sales-02', os: { family: 'macos', version: '14.4' }, agentVersion: '1.1.0' },
  { hostname: 'SALES-03', os: { family: 'linux', version: 'Debian 12' }, agentVersion: '1.0.0' },
  { hostname: 'dev-01', os: { family: 'windows', version: '10 22H2' }, agentVersion: '1.2.0' },
  { hostname: 'dev-02', os: { family: 'linux', version: 'Ubuntu 24.04' }, agentVersion: '1.0.1' },
  { hostname: 'kiosk', os: { family: 'windows', version: '11 23H2' }, agentVersion: '0.9.0' },
  { hostname: 'reception', os: { family: 'macos', version: '13.6' }, agentVersion: '1.1.0' },
] as const;
type Hostname = (typeof DEVICES)[number]['hostname'];

/** The value an endpoint is sorted by under each sort key, comparable with < and >. */
function sortValue(key: EndpointSortKey, e: EndpointSummary): string | number {
  switch (key) {
    case 'hostname':
      return e.hostname.toLowerCase();
    case 'group':
      return e.groupName.toLowerCase();
    case 'status':
      return ENDPOINT_STATUSES.indexOf(e.status);
    case 'os':
      return `${e.os.family} ${e.os.version}`.toLowerCase();
    case 'agentVersion':
      return e.agentVersion;
    case 'policy':
      return e.policy.name.toLowerCase();
    case 'lastSeenAt':
      return e.lastSeenAt;
    case 'lastInfectionAt':
      // Never infected first in ascending order, as MongoDB sorts null.
      return e.lastInfectionAt ?? '';
    case 'enrolledAt':
      return e.enrolledAt;
  }
}

describe('the endpoints table', () => {
  const { client } = consoleStack(TOKEN);
  const { call } = client;
  let fleet: Fleet;
  let enrolled: Record<Hostname, EnrollReply>;
  let servers: Group;
  let branchDevice: EnrollReply;
  let branchSiteId: string;

  const list = (query: Record<string, string>, token = fleet.token) =>
    call<EndpointPage>('GET', `/api/v1/endpoints?${new URLSearchParams(query).toString()}`, {
      token,
    });
  const hostnames = (page: { body: EndpointPage }) => page.body.items.map((e) => e.hostname);
  const idOf = (hostname: Hostname) => enrolled[hostname].deviceId;

  /** Every page of a listing, following `nextCursor`. */
  const allPages = async (query: Record<string, string>) => {
    const pages: EndpointPage[] = [];
    let cursor: string | null = null;
    do {
      const reply = await list({ ...query, ...(cursor === null ? {} : { cursor }) });
      expect(reply.status).toBe(200);
      pages.push(reply.body);
      cursor = reply.body.nextCursor;
    } while (cursor !== null && pages.length < 20);
    return pages;
  };

  beforeAll(async () => {
    fleet = await openFleet(client, TOKEN, 20);
    const replies = await enrolAll(call, fleet.keycode, [...DEVICES]);
    enrolled = Object.fromEntries(
      DEVICES.map((device, i) => [device.hostname, replies[i]!]),
    ) as Record<Hostname, EnrollReply>;

    // Two report a threat they could not remove (infected); one a threat it quarantined.
    for (const [hostname, actionTaken] of [
      ['sales-02', 'detected'],
      ['dev-01', 'detected'],
      ['kiosk', 'quarantined'],
    ] as const) {
      const reply = await checkin(call, enrolled[hostname].deviceToken, {
        policyVersion: enrolled[hostname].policyVersion,
        status: actionTaken === 'detected' ? 'threats_active' : 'ok',
        detections: [detection({ actionTaken })],
      });
      expect(reply.status).toBe(200);
    }

    const created = await call<Group>('POST', `/api/v1/sites/${fleet.siteId}/groups`, {
      token: fleet.token,
      body: { name: 'Servers' },
    });
    expect(created.status).toBe(201);
    servers = created.body;
    const moved = await call('POST', `/api/v1/sites/${fleet.siteId}/endpoints/move`, {
      token: fleet.token,
      body: {
        groupId: servers.id,
        selection: { kind: 'ids', endpointIds: [idOf('dev-01'), idOf('dev-02')] },
      },
    });
    expect(moved.body).toEqual({ moved: 2 });
    const own = await call(
      'PUT',
      `/api/v1/sites/${fleet.siteId}/endpoints/${idOf('reception')}/policy`,
      { token: fleet.token, body: { policyId: SILENT_AUDIT } },
    );
    expect(own.status).toBe(200);

    // A second site of the same console, with one endpoint of its own.
    const branch = await call<{ id: string; keycode: string }>(
      'POST',
      `/ops/v1/consoles/${fleet.account.consoleId}/sites`,
      {
        token: TOKEN,
        headers: { 'idempotency-key': randomUUID() },
        body: { name: 'Branch', seats: 2 },
      },
    );
    branchSiteId = branch.body.id;
    branchDevice = await enrol(call, branch.body.keycode, { hostname: 'branch-pc' });
  });

  it('shows each endpoint with its group, status, OS, agent, policy and its source, and times', async () => {
    const reply = await list({ siteId: fleet.siteId, limit: '200' });

    expect(reply.status).toBe(200);
    expect(reply.body.total).toBe(DEVICES.length);
    expect(reply.body.nextCursor).toBeNull();
    const byName = new Map(reply.body.items.map((e) => [e.hostname, e]));
    expect(byName.get('Sales-01')).toMatchObject({
      id: idOf('Sales-01'),
      siteId: fleet.siteId,
      groupName: 'Default group',
      os: { family: 'windows', version: '11 23H2' },
      agentVersion: '1.0.0',
      status: 'protected',
      policy: { policyId: RECOMMENDED, name: 'Recommended Defaults', source: 'site' },
      lastInfectionAt: null,
    });
    expect(byName.get('sales-02')).toMatchObject({ status: 'infected' });
    expect(byName.get('sales-02')!.lastInfectionAt).not.toBeNull();
    expect(byName.get('kiosk')).toMatchObject({ status: 'protected' });
    expect(byName.get('kiosk')!.lastInfectionAt).not.toBeNull();
    expect(byName.get('dev-01')).toMatchObject({ groupId: servers.id, groupName: 'Servers' });
    expect(byName.get('reception')!.policy).toEqual({
      policyId: SILENT_AUDIT,
      name: 'Silent Audit',
      source: 'endpoint',
    });

    // The built-ins' names in the language asked for, in the table and the detail.
    const inJapanese = await list({ siteId: fleet.siteId, limit: '200', language: 'ja' });
    const sales = inJapanese.body.items.find((e) => e.hostname === 'Sales-01')!;
    expect(sales.policy.name).toBe('推奨デフォルト設定');
    const detail = await call<EndpointDetail>(
      'GET',
      `/api/v1/endpoints/${idOf('Sales-01')}?language=ja`,
      { token: fleet.token },
    );
    expect(detail.body.policy.name).toBe('推奨デフォルト設定');
  });

  it('filters by site, group, status (any of a list), effective policy and a part of the hostname', async () => {
    const site = { siteId: fleet.siteId, limit: '200' };
    const sorted = (names: string[]) => [...names].sort();

    const everything = await list({ limit: '200' });
    const search = await list({ ...site, q: 'ALES-0' });
    const infected = await list({ ...site, status: 'infected' });
    const either = await list({ ...site, status: 'infected,protected' });
    const unseen = await list({ ...site, status: 'not_seen_recently' });
    const inGroup = await list({ ...site, groupId: servers.id.toUpperCase() });
    const silent = await list({ ...site, policyId: SILENT_AUDIT });
    const recommended = await list({ ...site, policyId: RECOMMENDED });
    const combined = await list({ ...site, q: 'dev', status: 'infected' });
    const branch = await list({ siteId: branchSiteId });

    expect(sorted(hostnames(everything))).toEqual(
      sorted([...DEVICES.map((d) => d.hostname), 'branch-pc']),
    );
    expect(sorted(hostnames(search))).toEqual(['SALES-03', 'Sales-01', 'sales-02']);
    expect(search.body.total).toBe(3);
    expect(sorted(hostnames(infected))).toEqual(['dev-01', 'sales-02']);
    expect(either.body.total).toBe(DEVICES.length);
    expect(unseen.body).toEqual({ items: [], nextCursor: null, total: 0 });
    expect(sorted(hostnames(inGroup))).toEqual(['dev-01', 'dev-02']);
    expect(hostnames(silent)).toEqual(['reception']);
    expect(recommended.body.total).toBe(DEVICES.length - 1);
    expect(hostnames(combined)).toEqual(['dev-01']);
    expect(branch.body.items.map((e) => e.id)).toEqual([branchDevice.deviceId]);
  });

  it('refuses a status it does not know and a search it cannot run, naming the parameter', async () => {
    const status = await list({ status: 'protected,burning' });
    const empty = await list({ q: '' });

    expect([status.status, status.body.error?.details?.['fields']]).toEqual([
      400,
      { status: [expect.any(String)] },
    ]);
    expect(empty.status).toBe(400);
  });

  it('sorts by every column both ways, and pages through it by cursor without losing or repeating one', async () => {
    const problems: string[] = [];
    for (const sort of ENDPOINT_SORT_KEYS) {
      for (const order of ['asc', 'desc'] as const) {
        const query = { siteId: fleet.siteId, sort, order };
        const whole = await list({ ...query, limit: '200' });
        const pages = await allPages({ ...query, limit: '3' });
        const paged = pages.flatMap((page) => page.items.map((e) => e.hostname));
        const values = whole.body.items.map((e) => sortValue(sort, e));
        const inOrder = values.every((value, i) =>
          i === 0 ? true : order === 'asc' ? values[i - 1]! <= value : values[i - 1]! >= value,
        );
        if (!inOrder) problems.push(`${sort} ${order}: ${JSON.stringify(values)}`);
        if (JSON.stringify(paged) !== JSON.stringify(hostnames(whole))) {
          problems.push(
            `${sort} ${order}: pages ${JSON.stringify(paged)} ≠ ${hostnames(whole).join(',')}`,
          );
        }
        if (pages.length !== 3 || pages.some((page) => page.total !== DEVICES.length)) {
          problems.push(
            `${sort} ${order}: ${pages.length} pages, totals ${pages.map((p) => p.total).join(',')}`,
          );
        }
      }
    }

    expect(problems).toEqual([]);
  });

  it('refuses a cursor made for another sort, or not made by it', async () => {
    const first = await list({ siteId: fleet.siteId, sort: 'hostname', limit: '2' });
    expect(first.body.nextCursor).not.toBeNull();

    const otherSort = await list({
      siteId: fleet.siteId,
      sort: 'os',
      limit: '2',
      cursor: first.body.nextCursor!,
    });
    const forged = await list({ siteId: fleet.siteId, cursor: 'bm90LWEtY3Vyc29y' });

    expect([otherSort.status, otherSort.body.error?.code]).toEqual([400, 'CURSOR_INVALID']);
    expect([forged.status, forged.body.error?.code]).toEqual([400, 'CURSOR_INVALID']);
  });

  it('counts the endpoints of a site in each status', async () => {
    const reply = await call<EndpointStatusCounts>(
      'GET',
      `/api/v1/sites/${fleet.siteId}/endpoint-counts`,
      { token: fleet.token },
    );

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      siteId: fleet.siteId,
      total: DEVICES.length,
      counts: Object.fromEntries(
        ENDPOINT_STATUSES.map((status) => [
          status,
          status === 'infected' ? 2 : status === 'protected' ? DEVICES.length - 2 : 0,
        ]),
      ),
    });
  });

  it('shows an endpoint’s detail with its detections and since when it is infected', async () => {
    const reply = await call<EndpointDetail>('GET', `/api/v1/endpoints/${idOf('sales-02')}`, {
      token: fleet.token,
    });
    const unknown = await call('GET', `/api/v1/endpoints/${randomUUID()}`, { token: fleet.token });

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: idOf('sales-02'),
      hostname: 'sales-02',
      status: 'infected',
      ownPolicyId: null,
      detections: [
        {
          threatName: 'EICAR-Test-File',
          actionTaken: 'detected',
          hash: '44d88612fea8a8f36de82e1278abb02f',
        },
      ],
    });
    expect(reply.body.infectedSince).not.toBeNull();
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'ENDPOINT_NOT_FOUND']);
  });

  it('shows an administrator only the sites they have access to', async () => {
    const viewer = await siteAdministrator(client, fleet, 'view_only');

    const everything = await list({ limit: '200' }, viewer);
    const branch = await list({ siteId: branchSiteId }, viewer);
    const branchDetail = await call('GET', `/api/v1/endpoints/${branchDevice.deviceId}`, {
      token: viewer,
    });
    const branchCounts = await call('GET', `/api/v1/sites/${branchSiteId}/endpoint-counts`, {
      token: viewer,
    });

    expect(everything.body.total).toBe(DEVICES.length);
    expect(hostnames(everything)).not.toContain('branch-pc');
    expect([branch.status, branch.body.error?.code]).toEqual([404, 'SITE_NOT_FOUND']);
    expect([branchDetail.status, branchDetail.body.error?.code]).toEqual([
      404,
      'ENDPOINT_NOT_FOUND',
    ]);
    expect([branchCounts.status, branchCounts.body.error?.code]).toEqual([404, 'SITE_NOT_FOUND']);
  });

  it('answers a super admin of another console naming this site as it answers an unknown one', async () => {
    const stranger = await openFleet(client, TOKEN, 1);

    const listed = await list({ siteId: fleet.siteId }, stranger.token);
    const counts = await call('GET', `/api/v1/sites/${fleet.siteId}/endpoint-counts`, {
      token: stranger.token,
    });
    const detail = await call('GET', `/api/v1/endpoints/${idOf('Sales-01')}`, {
      token: stranger.token,
    });
    const own = await list({}, stranger.token);

    expect([listed.status, listed.body.error?.code]).toEqual([404, 'SITE_NOT_FOUND']);
    expect([counts.status, counts.body.error?.code]).toEqual([404, 'SITE_NOT_FOUND']);
    expect([detail.status, detail.body.error?.code]).toEqual([404, 'ENDPOINT_NOT_FOUND']);
    expect(own.body).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('lets a view-only administrator read the table but change nothing', async () => {
    const viewer = await siteAdministrator(client, fleet, 'view_only');
    const endpointId = idOf('Sales-01');

    const read = await call<EndpointDetail>('GET', `/api/v1/endpoints/${endpointId}`, {
      token: viewer,
    });
    const counts = await call('GET', `/api/v1/sites/${fleet.siteId}/endpoint-counts`, {
      token: viewer,
    });
    const setPolicy = await call(
      'PUT',
      `/api/v1/sites/${fleet.siteId}/endpoints/${endpointId}/policy`,
      { token: viewer, body: { policyId: SILENT_AUDIT } },
    );
    const move = await call('POST', `/api/v1/sites/${fleet.siteId}/endpoints/move`, {
      token: viewer,
      body: { groupId: servers.id, selection: { kind: 'ids', endpointIds: [endpointId] } },
    });
    const after = await call<EndpointDetail>('GET', `/api/v1/endpoints/${endpointId}`, {
      token: fleet.token,
    });

    expect([read.status, counts.status]).toEqual([200, 200]);
    expect([setPolicy.status, setPolicy.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect([move.status, move.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect(after.body).toMatchObject({ ownPolicyId: null, groupId: read.body.groupId });
  });
});
