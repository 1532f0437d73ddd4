import mongoose, { type Connection } from 'mongoose';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, type MongoWireOptions, startMongoWire } from './local-servers';

/**
 * The local MongoDB-wire server as `npm start` runs it: the H2 file backend
 * under `.data/mongo` must keep data across a clean restart and still open
 * after a crash (`kill -9`), where only the last writes may be lost.
 */
describe('local MongoDB-wire server (tools/mongo-wire)', () => {
  const options = async (backend: MongoWireOptions['backend']): Promise<MongoWireOptions> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'warden-mongo-wire-'));
    return { port: (await freePorts(1))[0]!, backend, dataDir, logDir: dataDir };
  };

  const connectTo = (uri: string): Promise<Connection> =>
    mongoose.createConnection(uri, { dbName: 'warden_probe' }).asPromise();

  const writeDevices = async (db: Connection, count: number): Promise<void> => {
    const devices = db.collection('devices');
    await devices.createIndex({ hardwareKey: 1 }, { unique: true });
    await devices.insertMany(
      Array.from({ length: count }, (_, i) => ({ _id: `d${i}` as never, hardwareKey: `hw-${i}` })),
    );
  };

  it('keeps documents and unique indexes across a clean restart (H2 file backend)', async () => {
    const sut = await options('h2');
    const first = await startMongoWire(sut);
    const db = await connectTo(first.uri);
    await writeDevices(db, 200);
    await db.close();
    await first.stop();

    const second = await startMongoWire(sut);
    const reopened = await connectTo(second.uri);
    try {
      const devices = reopened.collection('devices');
      expect(await devices.countDocuments({})).toBe(200);
      expect(await devices.findOne({ hardwareKey: 'hw-199' })).toMatchObject({ _id: 'd199' });
      const duplicate = await devices
        .insertOne({ _id: 'other' as never, hardwareKey: 'hw-7' })
        .catch((error: unknown) => error);
      expect(duplicate).toMatchObject({ code: 11000 });
    } finally {
      await reopened.close();
      await second.stop();
    }
  });

  it('opens its file again after being killed, and goes on working', async () => {
    const sut = await options('h2');
    const first = await startMongoWire(sut);
    const db = await connectTo(first.uri);
    await writeDevices(db, 50);
    await db.close();
    await first.kill();

    const second = await startMongoWire(sut);
    const reopened = await connectTo(second.uri);
    try {
      const devices = reopened.collection('devices');
      // The last writes before a crash may be gone (README); the file is not.
      const kept = await devices.countDocuments({});
      expect(kept).toBeLessThanOrEqual(50);
      await devices.insertOne({ _id: 'after-crash' as never, hardwareKey: 'hw-new' });
      expect(await devices.countDocuments({})).toBe(kept + 1);
    } finally {
      await reopened.close();
      await second.stop();
    }
  });

  it('starts empty every time on the memory backend (tests)', async () => {
    const sut = await options('memory');
    const first = await startMongoWire(sut);
    const db = await connectTo(first.uri);
    await writeDevices(db, 10);
    await db.close();
    await first.stop();

    const second = await startMongoWire(sut);
    const reopened = await connectTo(second.uri);
    try {
      expect(await reopened.collection('devices').countDocuments({})).toBe(0);
    } finally {
      await reopened.close();
      await second.stop();
    }
  });
});
