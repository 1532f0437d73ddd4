import { type DevicesChangedEvent, inventoryEvents } from '@warden/contracts';
import { createLogger, DomainError, type NatsRpcClient } from '@warden/platform';
import { generateDevSecrets } from '@warden/testing';
import { randomUUID } from 'node:crypto';
import { loadGatewayConfig } from '../config';
import { DeviceDirectory } from './device-directory';

describe('DeviceDirectory', () => {
  const CONSOLE = randomUUID();
  const OTHER_CONSOLE = randomUUID();
  const consoleOf = new Map<string, string>();
  let loads: string[];
  let onChanged: (event: Pick<DevicesChangedEvent, 'consoleId' | 'deviceIds'>) => void;
  let onReconnect: () => void;
  const rpc = {
    subscribe: (contract: unknown, handle: typeof onChanged) => {
      expect(contract).toBe(inventoryEvents.devicesChanged);
      onChanged = handle;
      return { unsubscribe: () => undefined };
    },
    onReconnect: (listener: () => void) => (onReconnect = listener),
    flush: () => Promise.resolve(),
    request: (_contract: unknown, { deviceId }: { deviceId: string }) => {
      loads.push(deviceId);
      const consoleId = consoleOf.get(deviceId);
      if (!consoleId) return Promise.reject(new DomainError('ENDPOINT_NOT_FOUND', 'no such'));
      return Promise.resolve({
        deviceId,
        consoleId,
        siteId: randomUUID(),
        tokenSha256: 'ab'.repeat(32),
        policyId: randomUUID(),
      });
    },
  } as unknown as NatsRpcClient;
  const config = loadGatewayConfig({
    ACCESS_TOKEN_VERIFY_KEY: generateDevSecrets().accessTokenVerifyKey,
  });
  let sut: DeviceDirectory;

  const device = (consoleId = CONSOLE) => {
    const id = randomUUID();
    consoleOf.set(id, consoleId);
    return id;
  };

  beforeEach(async () => {
    loads = [];
    sut = new DeviceDirectory(rpc, config, createLogger('test', 'fatal'));
    await sut.onModuleInit();
  });

  it('loads a device once, then answers from memory without a promise', async () => {
    const id = device();
    const [a, b] = await Promise.all([sut.find(id), sut.find(id)]);

    expect(a).toBe(b);
    expect(sut.find(id)).toBe(a);
    expect(loads).toEqual([id]);
  });

  it('drops the devices an event names, and every device of a console for `null`', async () => {
    const [named, sibling, elsewhere] = [device(), device(), device(OTHER_CONSOLE)];
    for (const id of [named, sibling, elsewhere]) await sut.find(id);

    onChanged({ consoleId: CONSOLE, deviceIds: [named] });
    expect(sut.find(named)).toBeInstanceOf(Promise);
    expect(sut.find(sibling)).not.toBeInstanceOf(Promise);

    onChanged({ consoleId: CONSOLE, deviceIds: null });
    expect(sut.find(sibling)).toBeInstanceOf(Promise);
    expect(sut.find(elsewhere)).not.toBeInstanceOf(Promise);
  });

  it('forgets everything when NATS comes back (events sent meanwhile are lost)', async () => {
    const id = device();
    await sut.find(id);

    onReconnect();

    expect(sut.find(id)).toBeInstanceOf(Promise);
  });

  it('remembers a device inventory does not know as null, for a while', async () => {
    const unknown = randomUUID();

    expect(await sut.find(unknown)).toBeNull();
    expect(sut.find(unknown)).toBeNull();
    expect(loads).toEqual([unknown]);
  });
});
