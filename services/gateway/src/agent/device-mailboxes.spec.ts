import { type AgentCommand, commandEvents, commandRpc } from '@warden/contracts';
import { createLogger, DomainError, type NatsRpcClient } from '@warden/platform';
import { generateDevSecrets } from '@warden/testing';
import { randomUUID } from 'node:crypto';
import { loadGatewayConfig } from '../config';
import { CommandDeliveries, type Delivery } from './command-deliveries';
import type { KnownDevice } from './device-directory';
import { DeviceMailboxes } from './device-mailboxes';

describe('DeviceMailboxes', () => {
  const mailboxes = new Map<string, AgentCommand[]>();
  let loads: string[];
  let marked: Delivery[][];
  let commandServiceDown: boolean;
  let onChanged: (event: { deviceIds: string[] }) => void;
  let onReconnect: () => void;
  const rpc = {
    subscribe: (contract: unknown, handle: typeof onChanged) => {
      expect(contract).toBe(commandEvents.mailboxChanged);
      onChanged = handle;
      return { unsubscribe: () => undefined };
    },
    onReconnect: (listener: () => void) => (onReconnect = listener),
    flush: () => Promise.resolve(),
    request: (contract: unknown, payload: { deviceId: string; deliveries: Delivery[] }) => {
      if (commandServiceDown) return Promise.reject(new DomainError('SERVICE_UNAVAILABLE', 'down'));
      if (contract === commandRpc.markDelivered) {
        marked.push(payload.deliveries);
        return Promise.resolve({ marked: payload.deliveries.length });
      }
      loads.push(payload.deviceId);
      const commands = mailboxes.get(payload.deviceId) ?? [];
      return Promise.resolve({ deviceId: payload.deviceId, commands: [...commands] });
    },
  } as unknown as NatsRpcClient;
  const config = loadGatewayConfig({
    ACCESS_TOKEN_VERIFY_KEY: generateDevSecrets().accessTokenVerifyKey,
  });
  const logger = createLogger('test', 'fatal');
  let deliveries: CommandDeliveries;
  let sut: DeviceMailboxes;

  const device = (...types: string[]): KnownDevice => {
    const deviceId = randomUUID();
    mailboxes.set(
      deviceId,
      types.map((type) => ({ id: randomUUID(), type, parameters: {} })),
    );
    return {
      deviceId,
      consoleId: randomUUID(),
      siteId: randomUUID(),
      policyId: randomUUID(),
      tokenSha256: Buffer.alloc(32),
    };
  };
  const checkin = async (known: KnownDevice) => (await sut.forDevice(known)).map((c) => c.type);

  beforeEach(async () => {
    loads = [];
    marked = [];
    commandServiceDown = false;
    deliveries = new CommandDeliveries(rpc, config, logger);
    sut = new DeviceMailboxes(rpc, deliveries, config, logger);
    await sut.onModuleInit();
  });

  it('asks the command service once per device, then answers every check-in from memory', async () => {
    const busy = device('scan', 'isolate');
    const idle = device();

    const replies = [await checkin(busy), await checkin(busy), await checkin(idle)];
    const fromMemory = sut.forDevice(busy);

    expect(replies).toEqual([['scan', 'isolate'], ['scan', 'isolate'], []]);
    expect(fromMemory).not.toBeInstanceOf(Promise);
    expect(loads).toEqual([busy.deviceId, idle.deviceId]);
  });

  it('reports each command’s first delivery once, in one batch', async () => {
    const known = device('scan', 'restart');
    await checkin(known);
    await checkin(known);

    await deliveries.flush();

    expect(marked).toHaveLength(1);
    expect(marked[0]!.map((d) => d.commandId)).toEqual(
      mailboxes.get(known.deviceId)!.map((c) => c.id),
    );
  });

  it('loads a mailbox again after the service says it changed, or after a reconnect', async () => {
    const known = device('scan');
    await checkin(known);
    mailboxes.get(known.deviceId)!.push({ id: randomUUID(), type: 'deactivate', parameters: {} });

    const before = await checkin(known);
    onChanged({ deviceIds: [known.deviceId] });
    const after = await checkin(known);
    onReconnect();
    await checkin(known);

    expect([before, after]).toEqual([['scan'], ['scan', 'deactivate']]);
    expect(loads).toEqual([known.deviceId, known.deviceId, known.deviceId]);
  });

  it('drops an acknowledged command from memory at once', async () => {
    const known = device('scan', 'restart');
    await checkin(known);

    sut.acknowledged(known.deviceId, mailboxes.get(known.deviceId)![0]!.id);

    expect(await checkin(known)).toEqual(['restart']);
    expect(loads).toHaveLength(1);
  });

  it('answers check-ins without commands while the command service is down, and keeps deliveries', async () => {
    const known = device('scan');
    commandServiceDown = true;

    const whileDown = await checkin(known);
    await checkin(known);
    commandServiceDown = false;
    onChanged({ deviceIds: [known.deviceId] });
    const after = await checkin(known);
    commandServiceDown = true;
    await deliveries.flush();
    const kept = deliveries.size;
    commandServiceDown = false;
    await deliveries.beforeApplicationShutdown();

    expect([whileDown, after]).toEqual([[], ['scan']]);
    expect(loads).toEqual([known.deviceId]);
    expect(kept).toBe(1);
    expect(marked.flat().map((d) => d.deviceId)).toEqual([known.deviceId]);
  });
});
