import type { Bulk, BulkPreview, CommandPage, Group } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { commandsStack, history } from './commands-harness';
import { checkin, enrolAll, type Fleet, openFleet, siteAdministrator } from './endpoints-harness';

/*
 * Issue 12, bulk commands through the console API: a preview that counts the
 * endpoints and hands out a confirmation token, then the issue of exactly
 * those; by selection, group, site or the table's filter. Issuing the same
 * token again gives no device a second command.
 */

const TOKEN = `bulk-commands-operator-token-${process.pid}`;

describe('bulk commands: preview, confirm, issue once', () => {
  const { client } = commandsStack(TOKEN);
  const { call } = client;
  let fleet: Fleet;
  /** Six endpoints: three `lab-*` (two of them in the Lab group), three `desk-*`. */
  let devices: { deviceId: string; deviceToken: string }[];
  let groupId: string;

  beforeAll(async () => {
    fleet = await openFleet(client, TOKEN, 20);
    devices = await enrolAll(
      call,
      fleet.keycode,
      ['lab-1', 'lab-2', 'lab-3', 'desk-1', 'desk-2', 'desk-3'].map((hostname) => ({ hostname })),
    );
    const group = await call<Group>('POST', `/api/v1/sites/${fleet.siteId}/groups`, {
      token: fleet.token,
      body: { name: 'Lab' },
    });
    groupId = group.body.id;
    const moved = await call('POST', `/api/v1/sites/${fleet.siteId}/endpoints/move`, {
      token: fleet.token,
      body: {
        groupId,
        selection: { kind: 'ids', endpointIds: devices.slice(0, 2).map((d) => d.deviceId) },
      },
    });
    expect([group.status, moved.status]).toEqual([201, 200]);
  });

  const preview = (
    target: Record<string, unknown>,
    command: Record<string, unknown>,
    token = fleet.token,
  ) => call<BulkPreview>('POST', '/api/v1/commands/preview', { token, body: { target, command } });
  const issueBulk = (confirmationToken: string, token = fleet.token) =>
    call<Bulk>('POST', '/api/v1/commands', { token, body: { confirmationToken } });
  /** The ids of the commands each device's check-in carries, of this bulk. */
  const carriedOf = async (bulkId: string) => {
    const inBulk = new Set(
      (await history(call, fleet.token, `/api/v1/commands?bulkId=${bulkId}&limit=200`)).items.map(
        (c) => c.id,
      ),
    );
    return Promise.all(
      devices.map(
        async (d) =>
          (await checkin(call, d.deviceToken)).body.commands.filter((c) => inBulk.has(c.id)).length,
      ),
    );
  };

  it('counts a selection, skips what is not the caller’s, and issues exactly it — once, however often confirmed', async () => {
    const chosen = [devices[0]!, devices[3]!, devices[4]!].map((d) => d.deviceId);
    const counted = await preview(
      { kind: 'endpoints', endpointIds: [...chosen, randomUUID()] },
      { type: 'scan', parameters: { kind: 'quick' } },
    );
    expect(counted.status).toBe(200);
    expect(counted.body).toMatchObject({
      count: 3,
      skipped: 1,
      sites: [{ siteId: fleet.siteId, count: 3 }],
      warning: null,
    });
    expect(Date.parse(counted.body.expiresAt)).toBeGreaterThan(Date.now());

    const issued = await issueBulk(counted.body.confirmationToken);
    const again = await issueBulk(counted.body.confirmationToken);

    expect(issued.status).toBe(202);
    expect(issued.body).toMatchObject({
      bulkId: counted.body.confirmationToken,
      type: 'scan',
      total: 3,
      issuedBy: { type: 'admin', id: fleet.account.administratorId },
    });
    expect(issued.body.states.pending).toBe(3);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ bulkId: issued.body.bulkId, total: 3 });
    const listed = await history(
      call,
      fleet.token,
      `/api/v1/commands?bulkId=${issued.body.bulkId}`,
    );
    expect(listed.items.map((c) => c.deviceId).sort()).toEqual([...chosen].sort());
    expect(await carriedOf(issued.body.bulkId)).toEqual([1, 0, 0, 1, 1, 0]);
  });

  it('reaches a group, a site, or the endpoints matching the table’s filter', async () => {
    const scan = { type: 'scan' };
    const group = await preview({ kind: 'group', siteId: fleet.siteId, groupId }, scan);
    const site = await preview({ kind: 'site', siteId: fleet.siteId }, scan);
    const filtered = await preview(
      { kind: 'filter', siteId: fleet.siteId, filter: { q: 'desk' } },
      scan,
    );

    expect([group.body.count, site.body.count, filtered.body.count]).toEqual([2, 6, 3]);

    const issued = await issueBulk(filtered.body.confirmationToken);
    expect(issued.body.total).toBe(3);
    expect(await carriedOf(issued.body.bulkId)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('follows a bulk’s progress by state as its agents acknowledge', async () => {
    const counted = await preview(
      { kind: 'group', siteId: fleet.siteId, groupId },
      { type: 'cleanup' },
    );
    const { bulkId } = (await issueBulk(counted.body.confirmationToken)).body;
    const [first] = devices;
    const reply = await checkin(call, first!.deviceToken);
    const command = reply.body.commands.find((c) => c.type === 'cleanup')!;
    await call('POST', `/agent/v1/commands/${command.id}/ack`, {
      token: first!.deviceToken,
      body: { outcome: 'succeeded', message: 'nothing to remove' },
    });

    const progress = await call<Bulk>('GET', `/api/v1/command-bulks/${bulkId}`, {
      token: fleet.token,
    });

    expect(progress.status).toBe(200);
    expect(progress.body.total).toBe(2);
    expect(progress.body.states.succeeded).toBe(1);
    expect((progress.body.states.pending ?? 0) + (progress.body.states.delivered ?? 0)).toBe(1);
  });

  it('warns that billing counts until removal is verified, and skips endpoints already being deactivated', async () => {
    const last = devices[5]!;
    const one = await preview(
      { kind: 'endpoints', endpointIds: [last.deviceId] },
      { type: 'deactivate' },
    );
    expect(one.body.warning).toBe('BILLING_UNTIL_REMOVAL_VERIFIED');
    await issueBulk(one.body.confirmationToken);

    const site = await preview({ kind: 'site', siteId: fleet.siteId }, { type: 'deactivate' });

    expect(site.body).toMatchObject({ count: 5, skipped: 1 });
  });

  it('refuses a token another administrator previewed, one never handed out, and an empty target', async () => {
    const counted = await preview({ kind: 'site', siteId: fleet.siteId }, { type: 'restart' });
    const other = await siteAdministrator(client, fleet, 'admin');
    const empty = await call<Group>('POST', `/api/v1/sites/${fleet.siteId}/groups`, {
      token: fleet.token,
      body: { name: 'Empty' },
    });

    const byAnother = await issueBulk(counted.body.confirmationToken, other);
    const madeUp = await issueBulk(randomUUID());
    const nobody = await preview(
      { kind: 'group', siteId: fleet.siteId, groupId: empty.body.id },
      { type: 'restart' },
    );
    const restarts = await call<CommandPage>('GET', '/api/v1/commands?type=restart', {
      token: fleet.token,
    });

    expect([byAnother.status, byAnother.body.error?.code]).toEqual([
      409,
      'CONFIRMATION_TOKEN_INVALID',
    ]);
    expect([madeUp.status, madeUp.body.error?.code]).toEqual([409, 'CONFIRMATION_TOKEN_INVALID']);
    expect([nobody.status, nobody.body.error?.code]).toEqual([422, 'COMMAND_TARGET_EMPTY']);
    expect(restarts.body.items).toEqual([]);
  });
});
