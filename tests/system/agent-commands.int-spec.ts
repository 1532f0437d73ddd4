import type { Command, CommandPage } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { ack, commandOf, commandWhen, commandsStack, history, issue } from './commands-harness';
import { checkin, enrol, type Fleet, openFleet, siteAdministrator } from './endpoints-harness';

/*
 * Issue 12, delivery and acknowledgement through the gateway (DESIGN §2, §7):
 * a command rides on every check-in reply until the agent acknowledges it;
 * the acknowledgement is idempotent; a cancelled command is never delivered.
 */

const TOKEN = `agent-commands-operator-${process.pid}`;

describe('commands delivered on check-ins and acknowledged by agents', () => {
  const { client } = commandsStack(TOKEN);
  const { call } = client;
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await openFleet(client, TOKEN, 20);
  });

  const device = () => enrol(call, fleet.keycode);
  const carried = async (deviceToken: string) =>
    (await checkin(call, deviceToken)).body.commands.map((c) => c.id);

  it('rides on every check-in until acknowledged, then is succeeded with its times and message', async () => {
    const agent = await device();
    const issued = await issue(call, fleet.token, agent.deviceId, {
      type: 'scan',
      parameters: { kind: 'full' },
    });
    expect(issued).toMatchObject({
      type: 'scan',
      state: 'pending',
      parameters: { kind: 'full' },
      deviceId: agent.deviceId,
      siteId: fleet.siteId,
      issuedBy: { type: 'admin', id: fleet.account.administratorId },
      deliveredAt: null,
      completedAt: null,
    });

    const first = await checkin(call, agent.deviceToken);
    const again = await carried(agent.deviceToken);
    const delivered = await commandWhen(
      call,
      fleet.token,
      issued.id,
      (c) => c.state === 'delivered',
    );
    const acked = await ack(call, agent.deviceToken, issued.id, 'succeeded', 'no threats found');
    const afterAck = await carried(agent.deviceToken);
    const done = await commandOf(call, fleet.token, issued.id);

    expect(first.body.commands).toEqual([
      { id: issued.id, type: 'scan', parameters: { kind: 'full' } },
    ]);
    expect(again).toEqual([issued.id]);
    expect(delivered.deliveredAt).not.toBeNull();
    expect(acked.status).toBe(200);
    expect(acked.body).toEqual({
      commandId: issued.id,
      state: 'succeeded',
      recorded: true,
      reason: null,
    });
    expect(afterAck).toEqual([]);
    expect(done).toMatchObject({ state: 'succeeded', resultMessage: 'no threats found' });
    expect(done.completedAt! >= done.deliveredAt!).toBe(true);
  });

  it('answers a duplicate acknowledgement without changing anything, and says so', async () => {
    const agent = await device();
    const issued = await issue(call, fleet.token, agent.deviceId, { type: 'restart' });
    await carried(agent.deviceToken);

    const failed = await ack(call, agent.deviceToken, issued.id, 'failed', 'a user is working');
    const duplicate = await ack(call, agent.deviceToken, issued.id, 'succeeded', 'restarted');

    expect(failed.body).toMatchObject({ state: 'failed', recorded: true, reason: null });
    expect(duplicate.status).toBe(200);
    expect(duplicate.body).toEqual({
      commandId: issued.id,
      state: 'failed',
      recorded: false,
      reason: 'already_acknowledged',
    });
    expect(await commandOf(call, fleet.token, issued.id)).toMatchObject({
      state: 'failed',
      resultMessage: 'a user is working',
    });
  });

  it('takes an acknowledgement that overtakes the delivery report: delivered and completed times both set', async () => {
    const agent = await device();
    const issued = await issue(call, fleet.token, agent.deviceId, { type: 'cleanup' });

    await carried(agent.deviceToken);
    const acked = await ack(call, agent.deviceToken, issued.id);
    const done = await commandOf(call, fleet.token, issued.id);

    expect(acked.body.recorded).toBe(true);
    expect(done.state).toBe('succeeded');
    expect(done.deliveredAt).not.toBeNull();
    expect(done.completedAt).not.toBeNull();
  });

  it('keeps every device to its own commands: another device’s is COMMAND_NOT_FOUND', async () => {
    const [owner, stranger] = [await device(), await device()];
    const issued = await issue(call, fleet.token, owner.deviceId, { type: 'isolate' });

    const refused = await ack(call, stranger.deviceToken, issued.id);
    const unknown = await ack(call, stranger.deviceToken, randomUUID());

    expect([refused.status, refused.body.error?.code]).toEqual([404, 'COMMAND_NOT_FOUND']);
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'COMMAND_NOT_FOUND']);
    expect(await carried(stranger.deviceToken)).toEqual([]);
    expect(await carried(owner.deviceToken)).toEqual([issued.id]);
    expect((await commandOf(call, fleet.token, issued.id)).state).not.toBe('succeeded');
  });

  it('never delivers a command cancelled while pending; a late acknowledgement says cancelled', async () => {
    const agent = await device();
    const issued = await issue(call, fleet.token, agent.deviceId, { type: 'isolate' });

    const cancelled = await call<Command>('POST', `/api/v1/commands/${issued.id}/cancel`, {
      token: fleet.token,
    });
    const delivered = await carried(agent.deviceToken);
    const late = await ack(call, agent.deviceToken, issued.id);

    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    expect(cancelled.body.completedAt).not.toBeNull();
    expect(delivered).toEqual([]);
    expect(late.body).toEqual({
      commandId: issued.id,
      state: 'cancelled',
      recorded: false,
      reason: 'cancelled',
    });
  });

  it('refuses to cancel a command once delivered', async () => {
    const agent = await device();
    const issued = await issue(call, fleet.token, agent.deviceId, { type: 'unisolate' });
    await carried(agent.deviceToken);
    await commandWhen(call, fleet.token, issued.id, (c) => c.state === 'delivered');

    const refused = await call('POST', `/api/v1/commands/${issued.id}/cancel`, {
      token: fleet.token,
    });

    expect([refused.status, refused.body.error?.code]).toEqual([409, 'COMMAND_NOT_CANCELLABLE']);
    expect(await carried(agent.deviceToken)).toEqual([issued.id]);
  });

  it('issues once per Idempotency-Key: a retried request answers the same command', async () => {
    const agent = await device();
    const key = randomUUID();
    const send = () =>
      call<Command>('POST', `/api/v1/endpoints/${agent.deviceId}/commands`, {
        token: fleet.token,
        headers: { 'idempotency-key': key },
        body: { type: 'scan' },
      });

    const [first, retried] = [await send(), await send()];

    expect([first.status, retried.status]).toEqual([201, 201]);
    expect(retried.body.id).toBe(first.body.id);
    expect(await carried(agent.deviceToken)).toEqual([first.body.id]);
  });

  it('lets a view-only administrator read commands but not issue or cancel them', async () => {
    const agent = await device();
    const issued = await issue(call, fleet.token, agent.deviceId, { type: 'scan' });
    const viewer = await siteAdministrator(client, fleet, 'view_only');

    const read = await call<Command>('GET', `/api/v1/commands/${issued.id}`, { token: viewer });
    const listed = await call<CommandPage>('GET', `/api/v1/endpoints/${agent.deviceId}/commands`, {
      token: viewer,
    });
    const issuing = await call('POST', `/api/v1/endpoints/${agent.deviceId}/commands`, {
      token: viewer,
      body: { type: 'scan' },
    });
    const cancelling = await call('POST', `/api/v1/commands/${issued.id}/cancel`, {
      token: viewer,
    });
    const previewing = await call('POST', '/api/v1/commands/preview', {
      token: viewer,
      body: { target: { kind: 'site', siteId: fleet.siteId }, command: { type: 'scan' } },
    });

    expect(read.status).toBe(200);
    expect(listed.body.items.map((c) => c.id)).toEqual([issued.id]);
    expect([issuing.status, cancelling.status, previewing.status]).toEqual([403, 403, 403]);
    expect((await commandOf(call, fleet.token, issued.id)).state).toBe('pending');
  });

  it('lists an endpoint’s and the console’s history newest first, filtered by state and type, by pages', async () => {
    const agent = await device();
    const scan = await issue(call, fleet.token, agent.deviceId, { type: 'scan' });
    const restart = await issue(call, fleet.token, agent.deviceId, { type: 'restart' });
    const isolate = await issue(call, fleet.token, agent.deviceId, { type: 'isolate' });
    await carried(agent.deviceToken);
    await ack(call, agent.deviceToken, restart.id);

    const own = `/api/v1/endpoints/${agent.deviceId}/commands`;
    const all = await history(call, fleet.token, own);
    const firstPage = await history(call, fleet.token, `${own}?limit=2`);
    const secondPage = await history(
      call,
      fleet.token,
      `${own}?limit=2&cursor=${encodeURIComponent(firstPage.nextCursor!)}`,
    );
    const succeeded = await history(call, fleet.token, `${own}?state=succeeded`);
    const scansAndIsolations = await history(
      call,
      fleet.token,
      `/api/v1/commands?endpointId=${agent.deviceId}&type=scan,isolate`,
    );
    const ofTheBulk = await history(call, fleet.token, `/api/v1/commands?bulkId=${scan.bulkId}`);

    expect(all.items.map((c) => c.id)).toEqual([isolate.id, restart.id, scan.id]);
    expect([...firstPage.items, ...secondPage.items].map((c) => c.id)).toEqual([
      isolate.id,
      restart.id,
      scan.id,
    ]);
    expect(secondPage.nextCursor).toBeNull();
    expect(succeeded.items.map((c) => c.id)).toEqual([restart.id]);
    expect(scansAndIsolations.items.map((c) => c.id)).toEqual([isolate.id, scan.id]);
    expect(ofTheBulk.items.map((c) => c.id)).toEqual([scan.id]);
  });
});
