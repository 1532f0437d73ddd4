import { licensingRpc } from '@warden/contracts';
import { testServers } from '@warden/testing';
import mongoose, { type Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { openConsole, operator, outcome, startLicensing } from './licensing-harness';

describe('idempotency keys', () => {
  let licensing: Awaited<ReturnType<typeof startLicensing>>;
  let db: Connection;

  beforeAll(async () => {
    licensing = await startLicensing();
    db = await mongoose
      .createConnection(testServers().mongodbUri, { dbName: licensing.dbName })
      .asPromise();
  });
  afterAll(async () => {
    await db.close();
    await licensing.stop();
  });

  const createConsole = (idempotencyKey: string, seats: number, name = 'Same Key KK') =>
    licensing.client.request(licensingRpc.createConsole, {
      caller: operator,
      idempotencyKey,
      name,
      kind: 'production',
      site: { name: 'HQ', seats },
    });
  const rotate = (siteId: string, idempotencyKey: string) =>
    licensing.client.request(licensingRpc.rotateKeycode, {
      caller: operator,
      siteId,
      idempotencyKey,
    });
  const keycodesOf = (siteId: string) =>
    db
      .collection<{ _id: string; siteId: string; state: string }>('keycodes')
      .find({ siteId })
      .toArray();

  it('refuses a create key sent again with a different request, and answers a true retry', async () => {
    const key = randomUUID();
    const first = await createConsole(key, 5);

    expect(await outcome(createConsole(key, 6))).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await outcome(createConsole(key, 5, 'Other name KK'))).toBe('IDEMPOTENCY_KEY_REUSED');
    await expect(createConsole(key, 5)).resolves.toMatchObject({
      console: { id: first.console.id },
    });
  });

  it('refuses a site key sent again with a different site', async () => {
    const { console } = await openConsole(licensing.client);
    const addSite = (seats: number) =>
      licensing.client.request(licensingRpc.createSite, {
        caller: operator,
        consoleId: console.id,
        idempotencyKey: 'osaka-branch-1',
        name: 'Osaka',
        seats,
      });

    const site = await addSite(3);

    expect(await outcome(addSite(4))).toBe('IDEMPOTENCY_KEY_REUSED');
    await expect(addSite(3)).resolves.toMatchObject({ id: site.id });
  });

  it('rotates a keycode once per key, however often and however concurrently it is retried', async () => {
    const site = (await openConsole(licensing.client)).sites[0]!;

    const replies = await Promise.all(Array.from({ length: 8 }, () => rotate(site.id, 'rotate-1')));
    const again = await rotate(site.id, 'rotate-1');

    const keycodes = new Set([...replies, again].map((s) => s.keycode));
    expect(keycodes.size).toBe(1);
    expect(again.keycode).not.toBe(site.keycode);
    const registry = await keycodesOf(site.id);
    expect(registry.filter((k) => k.state === 'active').map((k) => k._id)).toEqual([again.keycode]);
    expect(registry).toHaveLength(2); // the first keycode, retired, and the rotated one

    const next = await rotate(site.id, 'rotate-2');
    expect(next.keycode).not.toBe(again.keycode);
  });

  it('finishes a rotation that a crash left between drawing the keycode and applying it', async () => {
    const site = (await openConsole(licensing.client)).sites[0]!;
    // What a crash right after the reservation leaves: a reserved keycode carrying the rotation key.
    const drawn = 'CRSH-7K2Q-M9XD-4TRP-0000';
    await db.collection('keycodes').insertOne({
      _id: drawn as never,
      siteId: site.id,
      consoleId: site.consoleId,
      state: 'reserved',
      rotationKey: `${site.id}:rotate-after-crash`,
      replaces: site.keycode,
      issuedAt: new Date(),
    });

    const retried = await rotate(site.id, 'rotate-after-crash');

    expect(retried.keycode).toBe(drawn);
    const registry = await keycodesOf(site.id);
    expect(registry.find((k) => k._id === drawn)?.state).toBe('active');
    expect(registry.find((k) => k._id === site.keycode)?.state).toBe('retired');
  });
});
