import { type Command, commandEvents, commandRpc } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { codeOf, commandSystem, eventually, gatewayCaller } from './command-service-harness';

/*
 * The command service over NATS (issue 12): each state a command goes
 * through, its device's mailbox, acknowledgements in any order and more than
 * once, cancel, the console's history, and bulks previewed then issued.
 */
describe('command service: commands, delivery and acknowledgement', () => {
  const system = commandSystem();

  async function consoleWithDevices(count: number, seats = 50) {
    const opened = await system.openConsole({ seats });
    const devices = [];
    for (let i = 0; i < count; i++) devices.push(await system.enroll(opened.keycode));
    return { ...opened, devices };
  }

  const completedWith = (commandId: string, state: string) =>
    system.commandEventWhere(commandEvents.commandCompleted.subject, (data) => {
      const command = data['command'] as Command;
      return command.id === commandId && command.state === state;
    });

  const mailboxChangedFor = (deviceId: string) =>
    system.commandEventWhere(commandEvents.mailboxChanged.subject, (data) =>
      (data['deviceIds'] as string[]).includes(deviceId),
    );

  it('goes pending → delivered → succeeded, riding in its device’s mailbox until acknowledged', async () => {
    const { admin, devices } = await consoleWithDevices(1);
    const device = devices[0]!;
    const issued = await system.issue(admin, device.deviceId, {
      type: 'scan',
      parameters: { kind: 'full' },
    });
    expect(issued).toMatchObject({ state: 'pending', type: 'scan', deliveredAt: null });
    expect(issued.parameters).toEqual({ kind: 'full' });
    await mailboxChangedFor(device.deviceId);
    expect((await system.mailbox(device.deviceId)).commands).toEqual([
      { id: issued.id, type: 'scan', parameters: { kind: 'full' } },
    ]);

    expect(await system.markDelivered(issued.id, device.deviceId)).toEqual({ marked: 1 });
    expect(await system.markDelivered(issued.id, device.deviceId)).toEqual({ marked: 0 });
    const delivered = await system.get(admin, issued.id);
    expect(delivered.state).toBe('delivered');
    expect(delivered.deliveredAt).not.toBeNull();
    // Delivered is not acknowledged: it rides on every check-in reply until then.
    expect((await system.mailbox(device.deviceId)).commands).toHaveLength(1);

    const ack = await system.ack(device.deviceId, issued.id, 'succeeded', 'no threats found');
    expect(ack).toEqual({ commandId: issued.id, state: 'succeeded', recorded: true, reason: null });
    expect((await system.mailbox(device.deviceId)).commands).toEqual([]);
    const done = await system.get(admin, issued.id);
    expect(done).toMatchObject({ state: 'succeeded', resultMessage: 'no threats found' });
    expect(done.deliveredAt).toBe(delivered.deliveredAt);
    expect(Date.parse(done.completedAt!)).toBeGreaterThanOrEqual(Date.parse(done.deliveredAt!));
    await completedWith(issued.id, 'succeeded');
    const audits = await system.commandAuditsOf('command.succeeded', issued.id);
    expect(audits[0]).toMatchObject({
      actor: { type: 'device', id: device.deviceId },
      siteId: issued.siteId,
    });
  });

  it('takes an ack that overtakes the delivery mark (pending → failed, delivered then too); the late mark changes nothing', async () => {
    const { admin, devices } = await consoleWithDevices(1);
    const device = devices[0]!;
    const issued = await system.issue(admin, device.deviceId, { type: 'restart' });
    const ack = await system.ack(device.deviceId, issued.id, 'failed', 'user postponed');
    expect(ack).toMatchObject({ state: 'failed', recorded: true });
    expect(await system.markDelivered(issued.id, device.deviceId)).toEqual({ marked: 0 });
    const after = await system.get(admin, issued.id);
    expect(after).toMatchObject({ state: 'failed', resultMessage: 'user postponed' });
    expect(after.deliveredAt).toBe(after.completedAt);
    await completedWith(issued.id, 'failed');
  });

  it('answers a duplicate ack without changing anything, whatever outcome it carries', async () => {
    const { admin, devices } = await consoleWithDevices(1);
    const device = devices[0]!;
    const issued = await system.issue(admin, device.deviceId, { type: 'isolate' });
    await system.markDelivered(issued.id, device.deviceId);
    const [first, second] = await Promise.all([
      system.ack(device.deviceId, issued.id, 'succeeded'),
      system.ack(device.deviceId, issued.id, 'failed', 'late duplicate'),
    ]);
    expect([first.recorded, second.recorded].sort()).toEqual([false, true]);
    const winner = first.recorded ? first : second;
    const again = await system.ack(device.deviceId, issued.id, 'succeeded');
    expect(again).toEqual({
      commandId: issued.id,
      state: winner.state,
      recorded: false,
      reason: 'already_acknowledged',
    });
    expect((await system.get(admin, issued.id)).state).toBe(winner.state);
    const audits = system
      .commandAudits(`command.${winner.state}`)
      .filter((a) => a.target.id === issued.id);
    expect(audits.length).toBeLessThanOrEqual(1);
  });

  it('refuses an ack of another device’s command, and an unknown command, as COMMAND_NOT_FOUND', async () => {
    const { admin, devices } = await consoleWithDevices(2);
    const issued = await system.issue(admin, devices[0]!.deviceId, { type: 'cleanup' });
    expect(await codeOf(system.ack(devices[1]!.deviceId, issued.id, 'succeeded'))).toBe(
      'COMMAND_NOT_FOUND',
    );
    expect(await codeOf(system.ack(devices[0]!.deviceId, randomUUID(), 'succeeded'))).toBe(
      'COMMAND_NOT_FOUND',
    );
    expect((await system.get(admin, issued.id)).state).toBe('pending');
  });

  it('cancels a pending command only; a late ack says it was cancelled', async () => {
    const { admin, devices } = await consoleWithDevices(1);
    const device = devices[0]!;
    const pending = await system.issue(admin, device.deviceId, { type: 'unisolate' });
    const delivered = await system.issue(admin, device.deviceId, { type: 'refresh_config' });
    await system.markDelivered(delivered.id, device.deviceId);

    const cancelled = await system.rpc().request(commandRpc.cancelCommand, {
      caller: admin,
      commandId: pending.id,
    });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.completedAt).not.toBeNull();
    expect((await system.mailbox(device.deviceId)).commands.map((c) => c.id)).toEqual([
      delivered.id,
    ]);
    await completedWith(pending.id, 'cancelled');
    expect(await system.ack(device.deviceId, pending.id, 'succeeded')).toEqual({
      commandId: pending.id,
      state: 'cancelled',
      recorded: false,
      reason: 'cancelled',
    });
    const cancelAgain = system
      .rpc()
      .request(commandRpc.cancelCommand, { caller: admin, commandId: pending.id });
    expect(await codeOf(cancelAgain)).toBe('COMMAND_NOT_CANCELLABLE');
    const cancelDelivered = system
      .rpc()
      .request(commandRpc.cancelCommand, { caller: admin, commandId: delivered.id });
    expect(await codeOf(cancelDelivered)).toBe('COMMAND_NOT_CANCELLABLE');
  });

  it('hides a command from another console and from a site the admin may not see', async () => {
    const { admin, devices, consoleId, siteId } = await consoleWithDevices(1);
    const issued = await system.issue(admin, devices[0]!.deviceId, { type: 'scan' });
    const other = await system.openConsole();
    for (const caller of [
      other.admin,
      { actor: admin.actor, consoleId, siteAccess: { [other.siteId]: 'admin' as const } },
    ]) {
      expect(await codeOf(system.get(caller, issued.id))).toBe('COMMAND_NOT_FOUND');
      const cancel = system
        .rpc()
        .request(commandRpc.cancelCommand, { caller, commandId: issued.id });
      expect(await codeOf(cancel)).toBe('COMMAND_NOT_FOUND');
    }
    // Another console's endpoint is not found; a view-only admin may not command.
    expect(await codeOf(system.issue(other.admin, devices[0]!.deviceId, { type: 'scan' }))).toBe(
      'ENDPOINT_NOT_FOUND',
    );
    const viewOnly = {
      actor: admin.actor,
      consoleId,
      siteAccess: { [siteId]: 'view_only' as const },
    };
    expect(await codeOf(system.issue(viewOnly, devices[0]!.deviceId, { type: 'scan' }))).toBe(
      'FORBIDDEN',
    );
  });

  it('issues one command for one Idempotency-Key, and refuses the key for another command', async () => {
    const { admin, devices } = await consoleWithDevices(2);
    const idempotencyKey = randomUUID();
    const request = {
      caller: admin,
      endpointId: devices[0]!.deviceId,
      command: { type: 'scan' as const },
      idempotencyKey,
    };
    const [first, second] = await Promise.all([
      system.rpc().request(commandRpc.issueCommand, request),
      system.rpc().request(commandRpc.issueCommand, request),
    ]);
    expect(second.id).toBe(first.id);
    expect((await system.mailbox(devices[0]!.deviceId)).commands).toHaveLength(1);
    const reused = system.rpc().request(commandRpc.issueCommand, {
      ...request,
      endpointId: devices[1]!.deviceId,
    });
    expect(await codeOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('lists the console’s commands newest first, page by page, filtered', async () => {
    const { admin, devices } = await consoleWithDevices(2);
    const issued: Command[] = [];
    for (const type of ['scan', 'restart', 'scan', 'cleanup', 'scan'] as const) {
      issued.push(await system.issue(admin, devices[issued.length % 2]!.deviceId, { type }));
    }
    await system.ack(devices[0]!.deviceId, issued[0]!.id, 'succeeded');
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await system.rpc().request(commandRpc.listCommands, {
        caller: admin,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      pages.push(page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.flat()).toEqual(issued.map((c) => c.id).reverse());
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);

    const scansOfFirst = await system.rpc().request(commandRpc.listCommands, {
      caller: admin,
      filter: { endpointId: devices[0]!.deviceId, type: ['scan'], state: ['pending'] },
    });
    expect(scansOfFirst.items.map((c) => c.id)).toEqual([issued[4]!.id, issued[2]!.id]);

    // A cursor belongs to the filter it was made with.
    const unfiltered = await system
      .rpc()
      .request(commandRpc.listCommands, { caller: admin, limit: 1 });
    const otherFilter = system.rpc().request(commandRpc.listCommands, {
      caller: admin,
      filter: { type: ['restart'] },
      cursor: unfiltered.nextCursor!,
    });
    expect(await codeOf(otherFilter)).toBe('CURSOR_INVALID');
  });

  it('previews a bulk (count, skipped, sites, token) and issues it once however often the token is sent', async () => {
    const { admin, devices, siteId } = await consoleWithDevices(4);
    // Being deactivated: left out of the bulk and counted as skipped.
    await system.issue(admin, devices[3]!.deviceId, { type: 'deactivate' });
    const preview = await system.preview(admin, { kind: 'site', siteId }, { type: 'scan' });
    expect(preview).toMatchObject({
      count: 3,
      skipped: 1,
      sites: [{ siteId, count: 3 }],
      warning: null,
    });
    const issue = () =>
      system.rpc().request(commandRpc.issueBulk, {
        caller: admin,
        confirmationToken: preview.confirmationToken,
      });
    const [first, second] = await Promise.all([issue(), issue()]);
    const third = await issue();
    for (const bulk of [first, second, third]) {
      expect(bulk).toMatchObject({ bulkId: preview.confirmationToken, type: 'scan', total: 3 });
    }
    expect(third.states).toMatchObject({ pending: 3, delivered: 0 });
    for (const device of devices.slice(0, 3)) {
      const inBox = (await system.mailbox(device.deviceId)).commands.filter(
        (c) => c.type === 'scan',
      );
      expect(inBox).toHaveLength(1);
    }
    const audits = await system.commandAuditsOf('command.bulk-issued', first.bulkId);
    expect(audits[0]!.after).toMatchObject({ type: 'scan', count: 3 });

    // Another administrator of the console cannot use the token.
    const colleague = {
      actor: { type: 'admin' as const, id: randomUUID() },
      consoleId: admin.consoleId,
    };
    const stolen = system.rpc().request(commandRpc.issueBulk, {
      caller: colleague,
      confirmationToken: preview.confirmationToken,
    });
    expect(await codeOf(stolen)).toBe('CONFIRMATION_TOKEN_INVALID');
    const bulk = await system
      .rpc()
      .request(commandRpc.getBulk, { caller: admin, bulkId: first.bulkId });
    expect(bulk.states.pending).toBe(3);
  });

  it('finishes an issue cut off before the bulk was marked issued, without giving back an acknowledged command', async () => {
    const { admin, devices, siteId } = await consoleWithDevices(3);
    const preview = await system.preview(admin, { kind: 'site', siteId }, { type: 'cleanup' });
    const issue = () =>
      system.rpc().request(commandRpc.issueBulk, {
        caller: admin,
        confirmationToken: preview.confirmationToken,
      });
    await issue();
    const first = (await system.mailbox(devices[0]!.deviceId)).commands[0]!;
    await system.ack(devices[0]!.deviceId, first.id, 'succeeded');
    // As if the service had stopped after writing the commands, before marking the bulk issued.
    const db = await system.commandDatabase();
    await db
      .collection<{ _id: string }>('bulks')
      .updateOne({ _id: preview.confirmationToken }, { $set: { issuedAt: null } });
    await db
      .collection<{ _id: string }>('mailboxes')
      .updateOne({ _id: devices[1]!.deviceId }, { $set: { commands: [] } });

    const again = await issue();
    expect(again.states).toMatchObject({ pending: 2, succeeded: 1 });
    expect((await system.mailbox(devices[0]!.deviceId)).commands).toEqual([]);
    for (const device of devices.slice(1)) {
      expect((await system.mailbox(device.deviceId)).commands).toHaveLength(1);
    }
  });

  it('warns that billing counts until removal is verified, and refuses an empty target', async () => {
    const { admin, devices, siteId } = await consoleWithDevices(1);
    const preview = await system.preview(
      admin,
      { kind: 'endpoints', endpointIds: [devices[0]!.deviceId, randomUUID()] },
      { type: 'deactivate' },
    );
    expect(preview).toMatchObject({
      count: 1,
      skipped: 1,
      warning: 'BILLING_UNTIL_REMOVAL_VERIFIED',
    });
    const other = await system.openConsole();
    expect(
      await codeOf(
        system.preview(other.admin, { kind: 'site', siteId: other.siteId }, { type: 'scan' }),
      ),
    ).toBe('COMMAND_TARGET_EMPTY');
    expect(
      await codeOf(
        system.preview(
          admin,
          { kind: 'site', siteId },
          { type: 'change_keycode', parameters: { keycode: 'NOT-A-KEYCODE' } },
        ),
      ),
    ).toBe('KEYCODE_INVALID');
  });

  it('answers the mailbox of a device with no commands as empty', async () => {
    const deviceId = randomUUID();
    expect(
      await system.rpc().request(commandRpc.deviceMailbox, { caller: gatewayCaller, deviceId }),
    ).toEqual({ deviceId, commands: [] });
  });
});

describe('command service: expiry of undelivered commands and of confirmation tokens', () => {
  const system = commandSystem({
    command: { COMMAND_EXPIRY_SECONDS: '1', CONFIRMATION_TTL_SECONDS: '1' },
  });

  /** Expiry is a matter of time: waits until the moment has passed. */
  const past = (iso: string) =>
    eventually(
      () => Promise.resolve(Date.now()),
      (now) => now > Date.parse(iso),
    );

  it('expires what is not acknowledged, delivered or not, and tells a late ack so', async () => {
    const { admin, keycode } = await system.openConsole();
    const device = await system.enroll(keycode);
    const undelivered = await system.issue(admin, device.deviceId, { type: 'scan' });
    const delivered = await system.issue(admin, device.deviceId, { type: 'restart' });
    await system.markDelivered(delivered.id, device.deviceId);
    await past(undelivered.expiresAt);
    await past(delivered.expiresAt);

    await system.expireNow();
    const completed = await system.commandEventWhere(
      commandEvents.commandCompleted.subject,
      (data) => (data['command'] as Command).id === undelivered.id,
    );
    expect(completed['command']).toMatchObject({ state: 'expired', deliveredAt: null });
    expect(await system.get(admin, delivered.id)).toMatchObject({
      state: 'expired',
      resultMessage: 'delivered but not acknowledged before it expired',
    });
    expect((await system.get(admin, delivered.id)).deliveredAt).not.toBeNull();
    expect((await system.mailbox(device.deviceId)).commands).toEqual([]);
    expect(await system.ack(device.deviceId, undelivered.id, 'succeeded')).toEqual({
      commandId: undelivered.id,
      state: 'expired',
      recorded: false,
      reason: 'expired',
    });
    const audit = await system.commandAuditsOf('command.expired', undelivered.id);
    expect(audit[0]!.actor.type).toBe('system');
    // Run again: nothing more to expire, nothing audited twice.
    await system.expireNow();
    expect(
      system.commandAudits('command.expired').filter((a) => a.target.id === undelivered.id),
    ).toHaveLength(1);
  });

  it('refuses a confirmation token past its expiry: preview again', async () => {
    const { admin, keycode, siteId } = await system.openConsole();
    await system.enroll(keycode);
    const preview = await system.preview(admin, { kind: 'site', siteId }, { type: 'scan' });
    await past(preview.expiresAt);
    const issue = system.rpc().request(commandRpc.issueBulk, {
      caller: admin,
      confirmationToken: preview.confirmationToken,
    });
    expect(await codeOf(issue)).toBe('CONFIRMATION_TOKEN_EXPIRED');
  });
});

describe('command service: a bulk to 10 000 devices', () => {
  const system = commandSystem();
  const DEVICES = 10_000;

  it('gives each device exactly one command of the bulk, also when the token is sent again', async () => {
    const { admin, keycode, siteId } = await system.openConsole();
    const first = await system.enroll(keycode);
    const devices = [first.deviceId, ...(await system.cloneEndpoints(first.deviceId, DEVICES - 1))];
    expect(new Set(devices).size).toBe(DEVICES);

    const preview = await system.preview(admin, { kind: 'site', siteId }, { type: 'scan' });
    expect(preview.count).toBe(DEVICES);
    const issueStarted = performance.now();
    const bulk = await system.rpc().request(commandRpc.issueBulk, {
      caller: admin,
      confirmationToken: preview.confirmationToken,
    });
    const issueMs = performance.now() - issueStarted;
    process.stderr.write(
      `[command-service] issued ${DEVICES} commands in ${issueMs.toFixed(0)} ms\n`,
    );
    expect(bulk).toMatchObject({ total: DEVICES, states: { pending: DEVICES } });

    const again = await system.rpc().request(commandRpc.issueBulk, {
      caller: admin,
      confirmationToken: preview.confirmationToken,
    });
    expect(again.states.pending).toBe(DEVICES);

    const db = await system.commandDatabase();
    expect(await db.collection('commands').countDocuments({ bulkId: bulk.bulkId })).toBe(DEVICES);
    const perDevice = await db
      .collection('mailboxes')
      .aggregate<{ _id: string; count: number }>([
        { $unwind: '$commands' },
        { $group: { _id: '$_id', count: { $sum: 1 } } },
      ])
      .toArray();
    expect(perDevice).toHaveLength(DEVICES);
    expect(perDevice.every((row) => row.count === 1)).toBe(true);
    expect(new Set(perDevice.map((row) => row._id))).toEqual(new Set(devices));
  }, 120_000);
});
