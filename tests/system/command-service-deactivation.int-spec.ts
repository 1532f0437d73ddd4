import { type Command, commandRpc } from '@warden/contracts';
import { codeOf, commandSystem, type CommandConsole, eventually } from './command-service-harness';

/*
 * Verified deactivation (journey 11) and change of keycode (journey 13) over
 * NATS, the agent played by the test: it receives (delivery mark), acts
 * (enrols elsewhere, stops checking in, or keeps checking in) and
 * acknowledges. The grace period is a second.
 */
describe('command service: deactivation verified by a BullMQ job', () => {
  const system = commandSystem({
    command: { DEACTIVATION_GRACE_SECONDS: '1', COMMAND_EXPIRY_SECONDS: '3' },
  });

  /** Waits until the moment has passed (expiry and grace are a matter of time). */
  const past = (at: number) =>
    eventually(
      () => Promise.resolve(Date.now()),
      (now) => now > at,
    );

  const lifecycleOf = async (deviceId: string) => (await system.facts(deviceId)).lifecycle;

  const becomes = (deviceId: string, lifecycle: string) =>
    eventually(
      () => lifecycleOf(deviceId),
      (now) => now === lifecycle,
      20_000,
    );

  /** A device of the console told to deactivate, as it receives the command. */
  async function deactivating(opened: CommandConsole) {
    const device = await system.enroll(opened.keycode);
    const { hardwareKey } = await system.facts(device.deviceId);
    const command = await system.issue(opened.admin, device.deviceId, { type: 'deactivate' });
    expect(await lifecycleOf(device.deviceId)).toBe('deactivation_pending');
    await system.markDelivered(command.id, device.deviceId);
    return { deviceId: device.deviceId, hardwareKey, command };
  }

  const seatReleases = (hardwareKey: string) =>
    system
      .licensingAudits('seat.released')
      .filter(
        (audit) => (audit.before as { hardwareKey?: string } | null)?.hardwareKey === hardwareKey,
      );

  it('frees the seat once the device acknowledged and stayed silent for the grace period', async () => {
    const opened = await system.openConsole();
    const { deviceId, hardwareKey, command } = await deactivating(opened);
    expect(await system.leasedKeys(opened.siteId)).toContain(hardwareKey);
    // Issued again (a double click): the endpoint is not commandable any more.
    expect(await codeOf(system.issue(opened.admin, deviceId, { type: 'deactivate' }))).toBe(
      'ENDPOINT_NOT_COMMANDABLE',
    );

    await system.ack(deviceId, command.id, 'succeeded', 'uninstalled');
    const [verified] = await system.commandAuditsOf('endpoint.deactivation-verified', deviceId);
    const acknowledgedAt = Date.parse((await system.get(opened.admin, command.id)).completedAt!);
    expect(Date.parse(verified!.occurredAt)).toBeGreaterThanOrEqual(acknowledgedAt + 1_000);
    const result = (await system.verificationResult(command.id)) as Record<string, string>;
    expect(result).toMatchObject({
      outcome: 'seat released',
      dueAt: new Date(acknowledgedAt + 1_000).toISOString(),
    });
    expect(Date.parse(result['startedAt']!)).toBeGreaterThanOrEqual(acknowledgedAt + 1_000);
    expect(await lifecycleOf(deviceId)).toBe('deactivated');
    expect(await system.leasedKeys(opened.siteId)).not.toContain(hardwareKey);
    await eventually(
      () => Promise.resolve(seatReleases(hardwareKey)),
      (found) => found.length === 1,
    );
  });

  it('keeps the seat of a device that checks in after acknowledging, and e-mails the admins (ja)', async () => {
    const opened = await system.openConsole({ language: 'ja' });
    const { deviceId, hardwareKey, command } = await deactivating(opened);
    await system.ack(deviceId, command.id, 'succeeded');
    // Still running after all.
    await system.checkIn(deviceId);

    await system.commandAuditsOf('endpoint.removal-unverified', deviceId);
    expect(await lifecycleOf(deviceId)).toBe('removal_unverified');
    expect(await system.leasedKeys(opened.siteId)).toContain(hardwareKey);
    const mail = await system
      .smtp()
      .waitFor(
        (m) =>
          m.envelopeTo.includes(opened.adminEmail) &&
          (m.mail.subject ?? '').includes('アンインストールを確認できません'),
        15_000,
      );
    expect(mail.mail.text).toContain('シートは引き続きカウントされます');

    // The administrator may deactivate it again.
    const again = await system.issue(opened.admin, deviceId, { type: 'deactivate' });
    expect(again.state).toBe('pending');
    expect(await lifecycleOf(deviceId)).toBe('deactivation_pending');
  });

  it('puts an endpoint whose command was never delivered back to active when it expires', async () => {
    const opened = await system.openConsole();
    const device = await system.enroll(opened.keycode);
    const { hardwareKey } = await system.facts(device.deviceId);
    const command = await system.issue(opened.admin, device.deviceId, { type: 'deactivate' });
    await past(Date.parse(command.expiresAt));
    await system.expireNow();
    await becomes(device.deviceId, 'active');
    expect((await system.get(opened.admin, command.id)).state).toBe('expired');
    expect(await system.leasedKeys(opened.siteId)).toContain(hardwareKey);
  });

  it('puts an endpoint whose command was delivered but never acknowledged back to active when it expires', async () => {
    const opened = await system.openConsole();
    const device = await system.enroll(opened.keycode);
    const command = await system.issue(opened.admin, device.deviceId, { type: 'deactivate' });
    await system.markDelivered(command.id, device.deviceId);
    await past(Date.parse(command.expiresAt));
    await system.expireNow();
    await becomes(device.deviceId, 'active');
    expect((await system.get(opened.admin, command.id)).state).toBe('expired');
    // Active again, it can be sent a deactivation again.
    const again = await system.issue(opened.admin, device.deviceId, { type: 'deactivate' });
    expect(again.state).toBe('pending');
  });

  it('puts the endpoint back to active at once when the command is cancelled or fails', async () => {
    const opened = await system.openConsole();
    const cancelled = await system.enroll(opened.keycode);
    const toCancel = await system.issue(opened.admin, cancelled.deviceId, { type: 'deactivate' });
    await system
      .rpc()
      .request(commandRpc.cancelCommand, { caller: opened.admin, commandId: toCancel.id });
    await becomes(cancelled.deviceId, 'active');

    const { deviceId, command } = await deactivating(opened);
    await system.ack(deviceId, command.id, 'failed', 'uninstall blocked by the user');
    await becomes(deviceId, 'active');
  });

  it('frees the seat exactly once when the command service stops between the ack and the verification', async () => {
    const opened = await system.openConsole();
    const { deviceId, hardwareKey, command } = await deactivating(opened);
    await system.ack(deviceId, command.id, 'succeeded');
    const acknowledged: Command = await system.get(opened.admin, command.id);
    await system.stopCommand();
    await past(Date.parse(acknowledged.completedAt!) + 1_500);
    expect(await lifecycleOf(deviceId)).toBe('deactivation_pending');

    await system.startCommand();
    await system.commandAuditsOf('endpoint.deactivation-verified', deviceId);
    expect(await lifecycleOf(deviceId)).toBe('deactivated');
    await eventually(
      () => Promise.resolve(seatReleases(hardwareKey)),
      (found) => found.length === 1,
    );
    expect(await system.leasedKeys(opened.siteId)).not.toContain(hardwareKey);
  });

  it('verifies once when Redis drops the job connections between the ack and the verification', async () => {
    const opened = await system.openConsole();
    const { deviceId, hardwareKey, command } = await deactivating(opened);
    await system.ack(deviceId, command.id, 'succeeded');
    // The producer and every worker's blocking connection: at least one of each.
    expect(await system.cutJobConnections()).toBeGreaterThanOrEqual(2);

    await system.commandAuditsOf('endpoint.deactivation-verified', deviceId);
    expect(await lifecycleOf(deviceId)).toBe('deactivated');
    await eventually(
      () => Promise.resolve(seatReleases(hardwareKey)),
      (found) => found.length === 1,
    );
    // And jobs added after the cut are taken too.
    const next = await deactivating(opened);
    await system.ack(next.deviceId, next.command.id, 'succeeded');
    await system.commandAuditsOf('endpoint.deactivation-verified', next.deviceId);
    expect(await lifecycleOf(next.deviceId)).toBe('deactivated');
  });

  it('retries while licensing is down and frees the seat once it is back', async () => {
    const opened = await system.openConsole();
    const { deviceId, hardwareKey, command } = await deactivating(opened);
    await system.stopLicensing();
    try {
      await system.ack(deviceId, command.id, 'succeeded');
      // The endpoint is deactivated first; the seat's release then fails and is retried.
      await becomes(deviceId, 'deactivated');
    } finally {
      await system.startLicensing();
    }
    await system.commandAuditsOf('endpoint.deactivation-verified', deviceId);
    expect(await system.leasedKeys(opened.siteId)).not.toContain(hardwareKey);
    await eventually(
      () => Promise.resolve(seatReleases(hardwareKey)),
      (found) => found.length === 1,
    );
  });
});

describe('command service: change of keycode', () => {
  const system = commandSystem();

  const notFound = async (deviceId: string) => codeOf(system.facts(deviceId));

  it('moves a device into a site with room: seat there, seat freed here, old endpoint retired', async () => {
    const source = await system.openConsole();
    const target = await system.openConsole({ seats: 5 });
    const device = await system.enroll(source.keycode);
    const { hardwareKey } = await system.facts(device.deviceId);
    const command = await system.issue(source.admin, device.deviceId, {
      type: 'change_keycode',
      parameters: { keycode: target.keycode.toLowerCase() },
    });
    expect(command.parameters).toEqual({ keycode: target.keycode });

    // The agent: receives it, enrols into the target as the same device, acknowledges.
    await system.markDelivered(command.id, device.deviceId);
    const moved = await system.enroll(target.keycode, hardwareKey);
    await system.ack(device.deviceId, command.id, 'succeeded');

    const [audit] = await system.commandAuditsOf('endpoint.moved', device.deviceId);
    expect(audit!.after).toMatchObject({ toSiteId: target.siteId, toDeviceId: moved.deviceId });
    expect(await notFound(device.deviceId)).toBe('ENDPOINT_NOT_FOUND');
    expect(await system.leasedKeys(source.siteId)).not.toContain(hardwareKey);
    expect(await system.leasedKeys(target.siteId)).toContain(hardwareKey);
    expect((await system.facts(moved.deviceId)).siteId).toBe(target.siteId);
  });

  it('leaves a device refused by a full site where it was, still protected', async () => {
    const source = await system.openConsole();
    const full = await system.openConsole({ seats: 1 });
    await system.enroll(full.keycode);
    const device = await system.enroll(source.keycode);
    const { hardwareKey } = await system.facts(device.deviceId);
    const command = await system.issue(source.admin, device.deviceId, {
      type: 'change_keycode',
      parameters: { keycode: full.keycode },
    });
    await system.markDelivered(command.id, device.deviceId);
    expect(await codeOf(system.enroll(full.keycode, hardwareKey))).toBe('SEAT_LIMIT_REACHED');
    await system.ack(device.deviceId, command.id, 'failed', 'SEAT_LIMIT_REACHED');

    expect(await system.get(source.admin, command.id)).toMatchObject({
      state: 'failed',
      resultMessage: 'SEAT_LIMIT_REACHED',
    });
    expect(await system.facts(device.deviceId)).toMatchObject({
      lifecycle: 'active',
      siteId: source.siteId,
    });
    expect(await system.leasedKeys(source.siteId)).toContain(hardwareKey);
    expect(await system.leasedKeys(full.siteId)).not.toContain(hardwareKey);
  });

  it('records the move as failed when the device is not found in the target, and keeps it here', async () => {
    const source = await system.openConsole();
    const target = await system.openConsole();
    const device = await system.enroll(source.keycode);
    const { hardwareKey } = await system.facts(device.deviceId);
    const command = await system.issue(source.admin, device.deviceId, {
      type: 'change_keycode',
      parameters: { keycode: target.keycode },
    });
    // An agent that says it moved without enrolling there.
    await system.ack(device.deviceId, command.id, 'succeeded');
    const [audit] = await system.commandAuditsOf('endpoint.move-failed', device.deviceId);
    expect(audit!.outcome).toBe('failure');
    expect((await system.facts(device.deviceId)).siteId).toBe(source.siteId);
    expect(await system.leasedKeys(source.siteId)).toContain(hardwareKey);
  });

  it('leaves out the endpoints already in the target site', async () => {
    const opened = await system.openConsole();
    const device = await system.enroll(opened.keycode);
    const ownSite = { type: 'change_keycode' as const, parameters: { keycode: opened.keycode } };
    expect(await codeOf(system.issue(opened.admin, device.deviceId, ownSite))).toBe(
      'ENDPOINT_NOT_COMMANDABLE',
    );
    expect(
      await codeOf(system.preview(opened.admin, { kind: 'site', siteId: opened.siteId }, ownSite)),
    ).toBe('COMMAND_TARGET_EMPTY');
  });
});
