/**
 * MongoDB compatibility suite: pins every MongoDB feature Warden's code relies on.
 *
 * Why: tests run against mongo-java-server (memory backend, started by
 * libs/testing's jest global setup), production against real MongoDB 7/8. The
 * same code must behave the same on both, so this file exercises — through
 * mongoose as the repositories use it, and through the raw driver where the
 * code uses the driver — only the subset both servers answer identically. It
 * never asks which server it talks to: every test must pass on both.
 *
 * Run against real MongoDB (the global setup then uses that URI instead of
 * starting mongo-java-server; with a Docker engine answering, set
 * TEST_INFRA=local too, or the run uses its own mongo:7 container):
 *
 *   MONGODB_URI=mongodb://… npx jest --selectProjects integration -- libs/platform/src/mongo
 *
 * (The `--` matters: `--selectProjects` takes every following word as a project
 * name, so without it the whole integration project runs.)
 *
 * Known gaps of mongo-java-server 1.47 (DESIGN §9). The code must avoid these,
 * and they are deliberately NOT exercised here:
 * - multi-document transactions and sessions; change streams;
 * - capped collections and tailable cursors; TTL expiry; collation (ignored);
 * - partial unique indexes (enforced on every document; sparse unique works);
 * - E11000 errors carry no `keyValue`/`keyPattern`: test the code only (isDuplicateKeyError);
 * - positional projection (`items.$`); `dropIndexes()` without index names;
 * - aggregation stages and operators from 4.2 on: `$set` (stage), `$replaceWith`,
 *   `$switch`, `$count` inside `$group`, `$dateTrunc`, `$dateAdd`,
 *   `$setWindowFields`, `$bucketAuto`, `$lookup` with both localField and pipeline;
 * - the `hello` command (use `ping`);
 * - non-unique indexes are not used for queries there (correct, only slower);
 *   a unique index is used only when a filter names exactly its fields with
 *   plain values (`_id` alone and `_id: {$in}` too): `{ _id, state }` scans
 *   unless a unique (_id, state) index exists (the command service has one).
 * Also seen while writing this suite, and likewise avoided:
 * - single-document updates are atomic for writers, but the memory backend
 *   replies with its live document, serialised after the collection lock is
 *   released: `findOneAndUpdate` with `returnDocument: 'after'` may show later
 *   concurrent writes (1 000 parallel $inc: a value seen twice, another never),
 *   and a read racing a multi-field update may see it half applied.
 *   `returnDocument: 'before'` is an exact copy; derive "after" from it;
 * - an unordered insert that hits E11000 reports `n` (so the bulk error's
 *   `insertedCount`) counting the refused documents too: count what was stored;
 * - an aggregation `$project` including a dotted path through an array
 *   (`{ 'items.name': 1 }` or `{ items: { name: 1 } }`) returns the wrong
 *   shape: use an expression (`{ names: '$items.name' }`); find() projections are fine.
 */
import mongoose, { type Connection, type FilterQuery, type Model, Schema } from 'mongoose';
import { countMatching } from './count';
import { insertUnlessDuplicate, isDuplicateKeyError } from './duplicate-key';
import { MongoHealthCheck } from './mongo.module';
import { testMongodbUri } from '../../test/test-servers';

let databases = 0;
/** As `uniqueDbName('compat')` of @warden/testing: a database no other test of this run uses. */
function uniqueCompatDbName(): string {
  databases += 1;
  return `t_compat_${process.pid}_${databases}_${Date.now().toString(36)}`;
}

/** One database per `describe`, created fresh, dropped and closed at the end. */
function compatDatabase(): {
  connection(): Connection;
  model<T>(name: string, schema: Schema<T>): Model<T>;
} {
  let connection: Connection | undefined;
  beforeAll(async () => {
    connection = mongoose.createConnection(testMongodbUri(), {
      dbName: uniqueCompatDbName(),
      // As MongoModule connects: indexes and collections only when asked for.
      autoIndex: false,
      autoCreate: false,
    });
    await connection.asPromise();
  });
  afterAll(async () => {
    if (!connection) return;
    await connection.dropDatabase();
    await connection.close();
  });
  const open = (): Connection => {
    if (!connection) throw new Error('the compatibility database is not open');
    return connection;
  };
  return {
    connection: open,
    /** A model on its own collection (named like the model), so tests in a describe never meet. */
    model: <T>(name: string, schema: Schema<T>): Model<T> => open().model<T>(name, schema, name),
  };
}

/** The indexes of a model's collection, as the listIndexes command reports them. */
function listIndexes<T>(model: Model<T>): Promise<mongoose.mongo.IndexDescriptionInfo[]> {
  const db = model.db.db;
  if (!db) throw new Error('not connected');
  return db.collection(model.collection.collectionName).indexInformation({ full: true });
}

/** Settles a write: 'ok', 'E11000' (isDuplicateKeyError), or the other error, readable in a diff. */
function outcome(write: Promise<unknown>): Promise<string> {
  return write.then(
    () => 'ok',
    (error: unknown) => (isDuplicateKeyError(error) ? 'E11000' : describeError(error)),
  );
}

/** The error a promise rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs task(0..total-1) with exactly `inFlight` of them pending at a time; results in index order. */
async function concurrently<T>(
  total: number,
  inFlight: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(total);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return results;
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** As ConsoleRepository escapes a name filter before using it as `$regex`. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Counter {
  _id: string;
  n: number;
}
const counterSchema = new Schema<Counter>(
  { _id: { type: String, required: true }, n: { type: Number, required: true } },
  { versionKey: false },
);

/** Shaped like licensing's sites: unique keycode and creation key, a site-wide CAS on keycode. */
interface Site {
  _id: string;
  consoleId: string;
  creationKey: string;
  keycode: string;
  name: string;
  comment: string;
  seats: number;
  slotRange?: number;
  flags?: Record<string, boolean>;
}
function siteSchema(): Schema<Site> {
  const schema = new Schema<Site>(
    {
      _id: { type: String, required: true },
      consoleId: { type: String, required: true },
      creationKey: { type: String, required: true },
      keycode: { type: String, required: true },
      name: { type: String, required: true },
      comment: { type: String, default: '' },
      seats: { type: Number, required: true },
      slotRange: { type: Number },
      flags: { type: Schema.Types.Mixed },
    },
    { versionKey: false },
  );
  schema.index({ keycode: 1 }, { unique: true });
  schema.index({ creationKey: 1 }, { unique: true });
  schema.index({ consoleId: 1, _id: 1 });
  return schema;
}
function site(id: string, fields: Partial<Site> = {}): Site {
  return {
    _id: id,
    consoleId: 'console-1',
    creationKey: `creation-${id}`,
    keycode: `KEY-${id}`,
    name: `Site ${id}`,
    comment: '',
    seats: 10,
    ...fields,
  };
}

/** Shaped like licensing's seat leases: unique (siteId, slot) and (siteId, hardwareKey). */
interface Lease {
  _id: string;
  siteId: string;
  hardwareKey: string;
  slot: number;
  claimedAt: Date;
}
function leaseSchema(): Schema<Lease> {
  const schema = new Schema<Lease>(
    {
      _id: { type: String, required: true },
      siteId: { type: String, required: true },
      hardwareKey: { type: String, required: true },
      slot: { type: Number, required: true },
      claimedAt: { type: Date, required: true },
    },
    { versionKey: false },
  );
  schema.index({ siteId: 1, slot: 1 }, { unique: true });
  schema.index({ siteId: 1, hardwareKey: 1 }, { unique: true });
  return schema;
}
function lease(id: string, siteId: string, slot: number): Lease {
  return { _id: id, siteId, hardwareKey: `hw-${id}`, slot, claimedAt: new Date() };
}

describe('MongoDB compatibility: atomic single-document updates under concurrency', () => {
  const db = compatDatabase();

  it('updateOne $inc: 1 000 increments, 64 in flight, end at exactly 1 000', async () => {
    const counters = db.model('inc_counters', counterSchema);
    await counters.create({ _id: 'c', n: 0 });

    const results = await concurrently(1000, 64, () =>
      counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } }).exec(),
    );

    expect(results.every((r) => r.matchedCount === 1)).toBe(true);
    expect(await counters.findById('c').lean<Counter>().exec()).toEqual({ _id: 'c', n: 1000 });
  });

  // 'before', not 'after': see the header.
  it("findOneAndUpdate $inc with returnDocument 'before': every value 0..999 seen exactly once", async () => {
    const counters = db.model('before_counters', counterSchema);
    await counters.create({ _id: 'c', n: 0 });

    const seen = await concurrently(1000, 64, async () => {
      const before = await counters
        .findOneAndUpdate({ _id: 'c' }, { $inc: { n: 1 } }, { returnDocument: 'before' })
        .lean<Counter>()
        .exec();
      return before?.n ?? -1;
    });

    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(await counters.findById('c').lean<Counter>().exec()).toEqual({ _id: 'c', n: 1000 });
  });

  it('parallel $set of disjoint fields (12 set name, 12 set comment) keeps both', async () => {
    const sites = db.model('disjoint_sites', siteSchema());
    await sites.create(site('s1', { name: 'initial', comment: 'initial' }));
    const names = Array.from({ length: 12 }, (_, i) => `name-${i}`);
    const comments = Array.from({ length: 12 }, (_, i) => `comment-${i}`);

    await Promise.all([
      ...names.map((name) => sites.updateOne({ _id: 's1' }, { $set: { name } }).exec()),
      ...comments.map((comment) => sites.updateOne({ _id: 's1' }, { $set: { comment } }).exec()),
    ]);

    const stored = await sites.findById('s1').lean<Site>().exec();
    expect(names).toContain(stored?.name);
    expect(comments).toContain(stored?.comment);
  });

  it('parallel $set of 24 distinct fields loses none of them', async () => {
    const sites = db.model('fields_sites', siteSchema());
    await sites.create(site('s1', { flags: {} }));

    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        sites.updateOne({ _id: 's1' }, { $set: { [`flags.f${i}`]: true } }).exec(),
      ),
    );

    const stored = await sites.findById('s1').lean<Site>().exec();
    expect(Object.keys(stored?.flags ?? {}).sort()).toEqual(
      Array.from({ length: 24 }, (_, i) => `f${i}`).sort(),
    );
  });

  it('compare-and-set updateOne({ _id, keycode: old }) raced by 20 callers: exactly one wins', async () => {
    const sites = db.model('cas_sites', siteSchema());
    await sites.create(site('s1', { keycode: 'OLD' }));

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sites.updateOne({ _id: 's1', keycode: 'OLD' }, { $set: { keycode: `NEW-${i}` } }).exec(),
      ),
    );

    const winners = results.flatMap((r, i) => (r.matchedCount === 1 ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.matchedCount === 0)).toHaveLength(19);
    const stored = await sites.findById('s1').lean<Site>().exec();
    expect(stored?.keycode).toBe(`NEW-${winners[0]}`);
  });
});

describe('MongoDB compatibility: one update combining operators (SiteRepository.applyChanges)', () => {
  const db = compatDatabase();

  it('$set with $max raises a field, never lowers it, and sets it when missing', async () => {
    const sites = db.model('max_sites', siteSchema());
    await sites.insertMany([
      site('low', { keycode: 'K1', slotRange: 3 }),
      site('high', { keycode: 'K2', slotRange: 9 }),
      site('unset', { keycode: 'K3' }),
    ]);

    for (const id of ['low', 'high', 'unset']) {
      await sites.updateOne({ _id: id }, { $set: { seats: 5 }, $max: { slotRange: 6 } }).exec();
    }

    const stored = await sites.find({}).sort({ _id: 1 }).lean<Site[]>().exec();
    expect(stored.map((s) => [s._id, s.seats, s.slotRange])).toEqual([
      ['high', 5, 9],
      ['low', 5, 6],
      ['unset', 5, 6],
    ]);
  });

  it("findOneAndUpdate with returnDocument 'after' (no concurrent writer): the updated document, or null", async () => {
    const sites = db.model('after_sites', siteSchema());
    await sites.create(site('s1', { keycode: 'K1', name: 'before' }));

    const after = await sites
      .findOneAndUpdate({ _id: 's1' }, { $set: { name: 'after' } }, { returnDocument: 'after' })
      .lean<Site>()
      .exec();
    const missing = await sites
      .findOneAndUpdate({ _id: 'nope' }, { $set: { name: 'after' } }, { returnDocument: 'after' })
      .lean<Site>()
      .exec();

    expect(after).toMatchObject({ _id: 's1', keycode: 'K1', name: 'after' });
    expect(missing).toBeNull();
  });

  it("compare-and-set findOneAndUpdate with returnDocument 'before': the prior document, or null", async () => {
    const sites = db.model('before_sites', siteSchema());
    await sites.create(site('s1', { keycode: 'K1', seats: 10, slotRange: 10, name: 'before' }));

    const mismatch = await sites
      .findOneAndUpdate(
        { _id: 's1', seats: 99 },
        { $set: { seats: 4 } },
        { returnDocument: 'before' },
      )
      .lean<Site>()
      .exec();
    const before = await sites
      .findOneAndUpdate(
        { _id: 's1', seats: 10 },
        { $set: { seats: 4, name: 'after' }, $max: { slotRange: 10 } },
        { returnDocument: 'before' },
      )
      .lean<Site>()
      .exec();

    expect(mismatch).toBeNull();
    expect(before).toMatchObject({ _id: 's1', seats: 10, slotRange: 10, name: 'before' });
    expect(await sites.findById('s1').lean<Site>().exec()).toMatchObject({
      seats: 4,
      slotRange: 10,
      name: 'after',
    });
  });

  it("20 parallel findOneAndUpdate $set of distinct fields: each 'before' is a consistent snapshot, none lost", async () => {
    const sites = db.model('snapshot_sites', siteSchema());
    await sites.create(site('s1', { flags: {} }));

    const befores = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sites
          .findOneAndUpdate(
            { _id: 's1' },
            { $set: { [`flags.f${i}`]: true } },
            { returnDocument: 'before' },
          )
          .lean<Site>()
          .exec(),
      ),
    );

    // Applied one at a time: the snapshots hold 0, 1, …, 19 flags, each missing its own.
    const sizes = befores.map((b) => Object.keys(b?.flags ?? {}).length);
    expect([...sizes].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    befores.forEach((b, i) => expect(b?.flags?.[`f${i}`]).toBeUndefined());
    const stored = await sites.findById('s1').lean<Site>().exec();
    expect(Object.keys(stored?.flags ?? {})).toHaveLength(20);
  });
});

describe('MongoDB compatibility: bounded key lists (ConsoleRepository.extendTrial)', () => {
  const db = compatDatabase();
  const consoles = () =>
    db.connection().collection<{ _id: string; keys?: string[]; ends: number }>('key_lists');
  const remember = (id: string, key: string) =>
    consoles().findOneAndUpdate(
      { _id: id, keys: { $ne: key } },
      { $set: { ends: Date.now() }, $push: { keys: { $each: [key], $slice: -3 } } },
      { returnDocument: 'before' },
    );

  it('$ne on an array matches only documents that lack the value (a missing array too)', async () => {
    await consoles().insertOne({ _id: 'c1', ends: 0 });

    expect(await remember('c1', 'k1')).not.toBeNull();
    expect(await remember('c1', 'k1')).toBeNull();
  });

  it('$push with $each and a negative $slice keeps the newest entries only', async () => {
    await consoles().insertOne({ _id: 'c2', ends: 0 });

    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) await remember('c2', key);

    expect((await consoles().findOne({ _id: 'c2' }))?.keys).toEqual(['k3', 'k4', 'k5']);
  });
});

describe('MongoDB compatibility: duplicate keys (E11000) seen by isDuplicateKeyError', () => {
  const db = compatDatabase();

  it('insert violating a single-field unique index', async () => {
    const sites = db.model('single_sites', siteSchema());
    await sites.createIndexes();
    await sites.create(site('a', { keycode: 'TAKEN' }));

    expect(await outcome(sites.create(site('b', { keycode: 'TAKEN' })))).toBe('E11000');
    expect(await sites.countDocuments({}).exec()).toBe(1);
  });

  it('insert violating a compound unique index', async () => {
    const leases = db.model('compound_leases', leaseSchema());
    await leases.createIndexes();
    await leases.create(lease('a', 'site-1', 0));

    expect(await outcome(leases.create(lease('b', 'site-1', 0)))).toBe('E11000');
    // Same slot at another site, and another slot at the same site, are different keys.
    expect(await outcome(leases.create(lease('c', 'site-2', 0)))).toBe('ok');
    expect(await outcome(leases.create(lease('d', 'site-1', 1)))).toBe('ok');
  });

  it('insert reusing an _id', async () => {
    const counters = db.model('id_counters', counterSchema);
    await counters.create({ _id: 'same', n: 1 });

    expect(await outcome(counters.create({ _id: 'same', n: 2 }))).toBe('E11000');
    expect(await counters.findById('same').lean<Counter>().exec()).toEqual({ _id: 'same', n: 1 });
  });

  it('updateOne setting a unique field to a taken value', async () => {
    const sites = db.model('update_sites', siteSchema());
    await sites.createIndexes();
    await sites.insertMany([site('a', { keycode: 'TAKEN' }), site('b', { keycode: 'FREE' })]);

    const write = sites.updateOne({ _id: 'b' }, { $set: { keycode: 'TAKEN' } }).exec();

    expect(await outcome(write)).toBe('E11000');
    expect((await sites.findById('b').lean<Site>().exec())?.keycode).toBe('FREE');
  });

  it('findOneAndUpdate setting a unique field to a taken value', async () => {
    const sites = db.model('foau_sites', siteSchema());
    await sites.createIndexes();
    await sites.insertMany([site('a', { keycode: 'TAKEN' }), site('b', { keycode: 'FREE' })]);

    const write = sites
      .findOneAndUpdate({ _id: 'b' }, { $set: { keycode: 'TAKEN' } }, { returnDocument: 'after' })
      .lean<Site>()
      .exec();

    expect(await outcome(write)).toBe('E11000');
    expect((await sites.findById('b').lean<Site>().exec())?.keycode).toBe('FREE');
  });

  it('20 racing upserts on one unique key: one inserts, each other matches or gets E11000', async () => {
    const sites = db.model('upsert_sites', siteSchema());
    await sites.createIndexes();
    const upsert = (i: number) =>
      sites
        .updateOne(
          { creationKey: 'retried-create' },
          {
            $setOnInsert: {
              _id: `racer-${i}`,
              consoleId: 'console-1',
              keycode: `KEY-racer-${i}`,
              name: `racer ${i}`,
              seats: 10,
            },
          },
          { upsert: true },
        )
        .exec()
        .then(
          (r) =>
            r.upsertedCount === 1 ? 'upserted' : r.matchedCount === 1 ? 'matched' : 'neither',
          (error: unknown) => (isDuplicateKeyError(error) ? 'E11000' : describeError(error)),
        );

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => upsert(i)));

    // Real MongoDB retries such an upsert itself (it then matches); mongo-java-server may
    // refuse it with E11000. What the code can rely on: exactly one insert, and a retry finds it.
    expect(tally(results)['upserted']).toBe(1);
    expect(results.every((r) => ['upserted', 'matched', 'E11000'].includes(r))).toBe(true);
    expect(await sites.countDocuments({ creationKey: 'retried-create' }).exec()).toBe(1);
    expect(await upsert(99)).toBe('matched');
  });

  it('bulkWrite (ordered: false) applies the other operations and reports E11000 per violating op', async () => {
    const sites = db.model('bulk_sites', siteSchema());
    await sites.createIndexes();
    await sites.insertMany([site('a', { keycode: 'KA' }), site('z', { keycode: 'KZ' })]);

    const error = await rejection(
      sites.bulkWrite(
        [
          { insertOne: { document: site('b', { keycode: 'KB' }) } },
          { insertOne: { document: site('c', { keycode: 'KA' }) } },
          { updateOne: { filter: { _id: 'a' }, update: { $set: { name: 'renamed' } } } },
          { updateOne: { filter: { _id: 'z' }, update: { $set: { keycode: 'KA' } } } },
          { insertOne: { document: site('d', { keycode: 'KD' }) } },
        ],
        { ordered: false },
      ),
    );

    expect(isDuplicateKeyError(error)).toBe(true);
    expect(error).toBeInstanceOf(mongoose.mongo.MongoBulkWriteError);
    const refused = [(error as mongoose.mongo.MongoBulkWriteError).writeErrors]
      .flat()
      .map((w) => ({ index: w.index, code: w.code }))
      .sort((x, y) => x.index - y.index);
    expect(refused).toEqual([
      { index: 1, code: 11000 },
      { index: 3, code: 11000 },
    ]);
    // Count what was stored, not the error's insertedCount (see the header).
    const stored = await sites
      .find({}, { keycode: 1, name: 1 })
      .sort({ _id: 1 })
      .lean<Site[]>()
      .exec();
    expect(stored.map((s) => [s._id, s.keycode])).toEqual([
      ['a', 'KA'],
      ['b', 'KB'],
      ['d', 'KD'],
      ['z', 'KZ'],
    ]);
    expect(stored[0]?.name).toBe('renamed');
  });

  it('insertUnlessDuplicate: true for a new document, false for a duplicate', async () => {
    const sites = db.model('unless_sites', siteSchema());
    await sites.createIndexes();

    expect(await insertUnlessDuplicate(sites, site('a', { keycode: 'K1' }))).toBe(true);
    expect(await insertUnlessDuplicate(sites, site('b', { keycode: 'K1' }))).toBe(false);
    expect(await insertUnlessDuplicate(sites, site('a', { keycode: 'K2' }))).toBe(false);
  });

  it('300 parallel inserts into unique (siteId, slot) over 50 slots store exactly 50 (the seat invariant)', async () => {
    const leases = db.model('seat_leases', leaseSchema());
    await leases.createIndexes();

    const inserted = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        insertUnlessDuplicate(leases, lease(`device-${i}`, 'site-1', i % 50)),
      ),
    );

    expect(inserted.filter(Boolean)).toHaveLength(50);
    expect(await leases.countDocuments({ siteId: 'site-1' }).exec()).toBe(50);
    const slots = await leases.distinct('slot', { siteId: 'site-1' }).exec();
    expect(slots).toHaveLength(50);
  });
});

describe('MongoDB compatibility: index kinds', () => {
  const db = compatDatabase();

  interface Device {
    _id: string;
    consoleId: string;
    serial: string;
    tenant: string;
    badge?: string;
    lastSeenAt: Date;
  }
  function deviceSchema(): Schema<Device> {
    const schema = new Schema<Device>(
      {
        _id: { type: String, required: true },
        consoleId: { type: String, required: true },
        serial: { type: String, required: true },
        tenant: { type: String, required: true },
        badge: { type: String },
        lastSeenAt: { type: Date, required: true },
      },
      { versionKey: false },
    );
    schema.index({ serial: 1 }, { unique: true });
    schema.index({ tenant: 1, serial: 1 }, { unique: true });
    schema.index({ badge: 1 }, { unique: true, sparse: true });
    schema.index({ consoleId: 1, lastSeenAt: -1 });
    return schema;
  }
  const device = (id: string, fields: Partial<Device> = {}): Device => ({
    _id: id,
    consoleId: 'console-1',
    serial: `serial-${id}`,
    tenant: 'tenant-1',
    lastSeenAt: new Date(),
    ...fields,
  });

  it('createIndexes builds single and compound unique, sparse unique and non-unique compound indexes, listed by listIndexes', async () => {
    const devices = db.model('listed_devices', deviceSchema());

    await devices.createIndexes();

    const indexes = await listIndexes(devices);
    const byName = new Map(indexes.map((index) => [index.name, index]));
    expect([...byName.keys()].sort()).toEqual(
      ['_id_', 'badge_1', 'consoleId_1_lastSeenAt_-1', 'serial_1', 'tenant_1_serial_1'].sort(),
    );
    expect(byName.get('serial_1')).toMatchObject({ key: { serial: 1 }, unique: true });
    expect(byName.get('tenant_1_serial_1')).toMatchObject({
      key: { tenant: 1, serial: 1 },
      unique: true,
    });
    expect(byName.get('badge_1')).toMatchObject({ key: { badge: 1 }, unique: true, sparse: true });
    expect(byName.get('consoleId_1_lastSeenAt_-1')).toMatchObject({
      key: { consoleId: 1, lastSeenAt: -1 },
    });
    expect(byName.get('consoleId_1_lastSeenAt_-1')?.unique).toBeFalsy();
  });

  it('createIndexes twice is idempotent', async () => {
    const devices = db.model('twice_devices', deviceSchema());
    await devices.createIndexes();
    const first = await listIndexes(devices);

    await devices.createIndexes();

    const second = await listIndexes(devices);
    expect(second.map((i) => i.name).sort()).toEqual(first.map((i) => i.name).sort());
  });

  it('sparse unique: documents without the field all insert; two with the same value conflict', async () => {
    const devices = db.model('sparse_devices', deviceSchema());
    await devices.createIndexes();

    expect(await outcome(devices.create(device('a')))).toBe('ok');
    expect(await outcome(devices.create(device('b')))).toBe('ok');
    expect(await outcome(devices.create(device('c', { badge: 'B-1' })))).toBe('ok');
    expect(await outcome(devices.create(device('d', { badge: 'B-1' })))).toBe('E11000');
    expect(await outcome(devices.create(device('e', { badge: 'B-2' })))).toBe('ok');
  });

  it('a unique index added to an existing collection is enforced from then on', async () => {
    const devices = db.model('later_devices', deviceSchema());
    await devices.insertMany([device('a'), device('b')]);

    await devices.createIndexes();

    expect(await outcome(devices.create(device('c', { serial: 'serial-a' })))).toBe('E11000');
    expect(await devices.countDocuments({}).exec()).toBe(2);
  });

  it('a unique index cannot be built while the collection holds a duplicate', async () => {
    const devices = db.model('dirty_devices', deviceSchema());
    await devices.insertMany([device('a', { serial: 'same' }), device('b', { serial: 'same' })]);

    await expect(devices.createIndexes()).rejects.toThrow();

    const names = (await listIndexes(devices)).map((i) => i.name);
    expect(names).not.toContain('serial_1');
  });
});

describe('MongoDB compatibility: queries the repositories issue', () => {
  const db = compatDatabase();

  it('findById and findOne with lean() return plain objects with their types', async () => {
    const leases = db.model('lean_leases', leaseSchema());
    const claimedAt = new Date('2024-02-29T12:34:56.789Z');
    await leases.create({ ...lease('l1', 'site-1', 3), claimedAt });

    const byId = await leases.findById('l1').lean<Lease>().exec();
    const byField = await leases.findOne({ hardwareKey: 'hw-l1' }).lean<Lease>().exec();

    expect(byId).toEqual({ _id: 'l1', siteId: 'site-1', hardwareKey: 'hw-l1', slot: 3, claimedAt });
    expect(byId).not.toBeInstanceOf(mongoose.Document);
    expect(byField).toEqual(byId);
    expect(await leases.findById('missing').lean<Lease>().exec()).toBeNull();
  });

  it('$in', async () => {
    const counters = db.model('in_counters', counterSchema);
    await counters.insertMany(['a', 'b', 'c', 'd'].map((id, n) => ({ _id: id, n })));

    const found = await counters
      .find({ _id: { $in: ['b', 'd', 'x'] } })
      .sort({ _id: 1 })
      .lean<Counter[]>()
      .exec();

    expect(found.map((c) => c._id)).toEqual(['b', 'd']);
  });

  it('cursor pagination: _id $gt the last seen, sort({ _id: 1 }), limit(n)', async () => {
    const counters = db.model('page_counters', counterSchema);
    const ids = Array.from({ length: 25 }, (_, i) => `c-${String(i).padStart(2, '0')}`);
    // Inserted out of order: the order must come from the sort.
    await counters.insertMany([...ids].reverse().map((_id, n) => ({ _id, n })));

    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = await counters
        .find(after === undefined ? {} : { _id: { $gt: after } })
        .sort({ _id: 1 })
        .limit(10)
        .lean<Counter[]>()
        .exec();
      if (page.length === 0) break;
      pages.push(page.map((c) => c._id));
      after = page[page.length - 1]!._id;
    }

    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(ids);
    const window = await counters
      .find({ _id: { $gt: 'c-04', $lt: 'c-20' } })
      .sort({ _id: 1 })
      .limit(3)
      .lean<Counter[]>()
      .exec();
    expect(window.map((c) => c._id)).toEqual(['c-05', 'c-06', 'c-07']);
  });

  it('$or with $exists: false (SiteRepository.raiseSlotRange)', async () => {
    const sites = db.model('or_sites', siteSchema());
    await sites.insertMany([
      site('low', { keycode: 'K1', slotRange: 3 }),
      site('high', { keycode: 'K2', slotRange: 7 }),
      site('unset', { keycode: 'K3' }),
    ]);
    const below5 = { $or: [{ slotRange: { $lt: 5 } }, { slotRange: { $exists: false } }] };

    const matched = await sites.find(below5).sort({ _id: 1 }).lean<Site[]>().exec();
    for (const id of ['low', 'high', 'unset']) {
      await sites.updateOne({ _id: id, ...below5 }, { $set: { slotRange: 5 } }).exec();
    }

    expect(matched.map((s) => s._id)).toEqual(['low', 'unset']);
    const after = await sites.find({}).sort({ _id: 1 }).lean<Site[]>().exec();
    expect(after.map((s) => [s._id, s.slotRange])).toEqual([
      ['high', 7],
      ['low', 5],
      ['unset', 5],
    ]);
  });

  it("$regex of escaped input with $options: 'i' (ConsoleRepository.list)", async () => {
    const sites = db.model('regex_sites', siteSchema());
    await sites.insertMany([
      site('1', { keycode: 'K1', name: 'Tokyo (HQ) v1.0' }),
      site('2', { keycode: 'K2', name: 'tokyo (hq) V1x0' }),
      site('3', { keycode: 'K3', name: 'TOKYO (hq) v1.0 annex' }),
      site('4', { keycode: 'K4', name: 'Osaka' }),
    ]);

    const found = await sites
      .find({ name: { $regex: escapeRegex('(hq) v1.0'), $options: 'i' } })
      .sort({ _id: 1 })
      .lean<Site[]>()
      .exec();

    expect(found.map((s) => s._id)).toEqual(['1', '3']);
  });

  it('projection including fields (without _id) and excluding fields', async () => {
    const leases = db.model('projection_leases', leaseSchema());
    await leases.insertMany([
      lease('a', 'site-1', 4),
      lease('b', 'site-1', 2),
      lease('c', 'site-2', 0),
    ]);

    const slots = await leases
      .find({ siteId: 'site-1' }, { slot: 1, _id: 0 })
      .lean<Array<{ slot: number }>>()
      .exec();
    const withoutKey = await leases
      .findById('a', { hardwareKey: 0, claimedAt: 0 })
      .lean<Partial<Lease>>()
      .exec();

    expect(slots.sort((x, y) => x.slot - y.slot)).toEqual([{ slot: 2 }, { slot: 4 }]);
    expect(withoutKey).toEqual({ _id: 'a', siteId: 'site-1', slot: 4 });
  });

  it('the count command (countMatching), countDocuments(filter) and estimatedDocumentCount', async () => {
    const leases = db.model('count_leases', leaseSchema());
    await leases.insertMany([
      ...Array.from({ length: 7 }, (_, i) => lease(`a${i}`, 'site-a', i)),
      ...Array.from({ length: 4 }, (_, i) => lease(`b${i}`, 'site-b', i)),
    ]);

    const count = await db
      .connection()
      .db!.command({ count: 'count_leases', query: { siteId: 'site-a' } });

    expect(count).toMatchObject({ n: 7, ok: 1 });
    expect(await countMatching(leases, { siteId: 'site-b' })).toBe(4);
    expect(await countMatching(leases, { siteId: { $in: ['site-a', 'site-b'] } })).toBe(11);
    expect(await countMatching(leases, { siteId: 'none' })).toBe(0);
    expect(await leases.countDocuments({ siteId: 'site-b' }).exec()).toBe(4);
    expect(await leases.countDocuments({ siteId: 'none' }).exec()).toBe(0);
    expect(await leases.estimatedDocumentCount().exec()).toBe(11);
  });

  it('deleteOne reports deletedCount 1, then 0 for the same document', async () => {
    const leases = db.model('delete_leases', leaseSchema());
    await leases.create(lease('l1', 'site-1', 0));

    const first = await leases.deleteOne({ _id: 'l1' }).exec();
    const second = await leases.deleteOne({ _id: 'l1' }).exec();

    expect(first.deletedCount).toBe(1);
    expect(second.deletedCount).toBe(0);
  });

  it('updateOne matchedCount / modifiedCount', async () => {
    const sites = db.model('counts_sites', siteSchema());
    await sites.create(site('s1', { name: 'same' }));

    const missing = await sites.updateOne({ _id: 'nope' }, { $set: { name: 'x' } }).exec();
    const changed = await sites.updateOne({ _id: 's1' }, { $set: { name: 'changed' } }).exec();
    const unchanged = await sites.updateOne({ _id: 's1' }, { $set: { name: 'changed' } }).exec();

    expect(missing).toMatchObject({ matchedCount: 0, modifiedCount: 0 });
    expect(changed).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    // A no-op $set still matches; its modifiedCount is deliberately not relied upon.
    expect(unchanged.matchedCount).toBe(1);
  });

  it('distinct(field, filter)', async () => {
    const leases = db.model('distinct_leases', leaseSchema());
    await leases.insertMany([
      lease('a', 'site-1', 0),
      lease('b', 'site-1', 1),
      lease('c', 'site-2', 0),
      lease('d', 'site-3', 0),
    ]);

    const siteIds = await leases.distinct('siteId', { slot: 0 }).exec();

    expect([...siteIds].sort()).toEqual(['site-1', 'site-2', 'site-3']);
  });
});

describe('MongoDB compatibility: aggregation stages (common subset)', () => {
  const db = compatDatabase();

  interface Sale {
    _id: string;
    siteId: string;
    seats: number;
    tags: string[];
  }
  const saleSchema = new Schema<Sale>(
    {
      _id: { type: String, required: true },
      siteId: { type: String, required: true },
      seats: { type: Number, required: true },
      tags: { type: [String], default: [] },
    },
    { versionKey: false },
  );
  const sales: Sale[] = [
    { _id: 's1', siteId: 'site-a', seats: 5, tags: ['new', 'promo'] },
    { _id: 's2', siteId: 'site-a', seats: 3, tags: ['renewal'] },
    { _id: 's3', siteId: 'site-b', seats: 10, tags: [] },
    { _id: 's4', siteId: 'site-c', seats: 1, tags: ['promo'] },
    { _id: 's5', siteId: 'site-a', seats: 2, tags: ['promo'] },
  ];
  let model: () => Model<Sale>;
  beforeAll(async () => {
    const created = db.model('sales', saleSchema);
    await created.insertMany(sales);
    model = () => created;
  });

  it('$match, $group ($sum: 1, $sum: field, $max), $sort', async () => {
    const rows = await model()
      .aggregate<{ _id: string; orders: number; seats: number; largest: number }>([
        { $match: { seats: { $gt: 1 } } },
        {
          $group: {
            _id: '$siteId',
            orders: { $sum: 1 },
            seats: { $sum: '$seats' },
            largest: { $max: '$seats' },
          },
        },
        { $sort: { orders: -1 } },
      ])
      .exec();

    expect(rows).toEqual([
      { _id: 'site-a', orders: 3, seats: 10, largest: 5 },
      { _id: 'site-b', orders: 1, seats: 10, largest: 10 },
    ]);
  });

  it('$sort, $skip, $limit, $project, $addFields', async () => {
    const rows = await model()
      .aggregate<{ _id: string; seats: number; doubled: number }>([
        { $sort: { seats: 1 } },
        { $skip: 1 },
        { $limit: 3 },
        { $project: { seats: 1 } },
        { $addFields: { doubled: { $multiply: ['$seats', 2] } } },
      ])
      .exec();

    expect(rows).toEqual([
      { _id: 's5', seats: 2, doubled: 4 },
      { _id: 's2', seats: 3, doubled: 6 },
      { _id: 's1', seats: 5, doubled: 10 },
    ]);
  });

  it('$unwind', async () => {
    const rows = await model()
      .aggregate<{ _id: string; count: number }>([
        { $unwind: '$tags' },
        { $group: { _id: '$tags', count: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .exec();

    expect(rows).toEqual([
      { _id: 'new', count: 1 },
      { _id: 'promo', count: 3 },
      { _id: 'renewal', count: 1 },
    ]);
  });

  it('$lookup with localField / foreignField', async () => {
    const sites = db.model('lookup_sites', siteSchema());
    await sites.insertMany([site('site-a', { keycode: 'KA' }), site('site-b', { keycode: 'KB' })]);

    const rows = await model()
      .aggregate<{ _id: string; keycodes: string[] }>([
        { $match: { _id: { $in: ['s1', 's3', 's4'] } } },
        {
          $lookup: { from: 'lookup_sites', localField: 'siteId', foreignField: '_id', as: 'site' },
        },
        // '$site.keycode', not { $project: { 'site.keycode': 1 } }: see the header.
        { $project: { keycodes: '$site.keycode' } },
        { $sort: { _id: 1 } },
      ])
      .exec();

    expect(rows).toEqual([
      { _id: 's1', keycodes: ['KA'] },
      { _id: 's3', keycodes: ['KB'] },
      { _id: 's4', keycodes: [] },
    ]);
  });

  it('$facet (with $count, $group and $sort/$limit branches)', async () => {
    const rows = await model()
      .aggregate<{
        total: Array<{ n: number }>;
        bySite: Array<{ _id: string; n: number }>;
        top: Array<{ _id: string }>;
      }>([
        {
          $facet: {
            total: [{ $count: 'n' }],
            bySite: [{ $group: { _id: '$siteId', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
            top: [{ $sort: { seats: -1 } }, { $limit: 2 }, { $project: { _id: 1 } }],
          },
        },
      ])
      .exec();

    expect(rows).toEqual([
      {
        total: [{ n: 5 }],
        bySite: [
          { _id: 'site-a', n: 3 },
          { _id: 'site-b', n: 1 },
          { _id: 'site-c', n: 1 },
        ],
        top: [{ _id: 's3' }, { _id: 's1' }],
      },
    ]);
  });
});

describe('MongoDB compatibility: bulk writes', () => {
  const db = compatDatabase();

  it('bulkWrite of 500 updateOne statements applies all of them', async () => {
    const counters = db.model('bulk_counters', counterSchema);
    await counters.insertMany(Array.from({ length: 500 }, (_, i) => ({ _id: `c${i}`, n: 0 })));

    const result = await counters.bulkWrite(
      Array.from({ length: 500 }, (_, i) => ({
        updateOne: { filter: { _id: `c${i}` }, update: { $inc: { n: i + 1 } } },
      })),
    );

    expect(result.matchedCount).toBe(500);
    expect(result.modifiedCount).toBe(500);
    const total = await counters
      .aggregate<{ sum: number }>([{ $group: { _id: null, sum: { $sum: '$n' } } }])
      .exec();
    expect(total[0]?.sum).toBe((500 * 501) / 2);
    expect(await counters.countDocuments({ n: 0 }).exec()).toBe(0);
  });

  it('insertMany of 1 000 documents', async () => {
    const counters = db.model('many_counters', counterSchema);

    const inserted = await counters.insertMany(
      Array.from({ length: 1000 }, (_, i) => ({ _id: `c${i}`, n: i })),
    );

    expect(inserted).toHaveLength(1000);
    expect(await counters.countDocuments({}).exec()).toBe(1000);
    expect(await counters.findById('c999').lean<Counter>().exec()).toEqual({ _id: 'c999', n: 999 });
  });
});

describe('MongoDB compatibility: state machines by { _id, state } (the command service)', () => {
  const db = compatDatabase();

  interface Task {
    _id: string;
    state: string;
    items?: { id: string; kind: string }[];
  }
  /**
   * A unique index on (_id, state) adds nothing on MongoDB, where `_id` is
   * unique already; the local server answers a filter of exactly those fields
   * from it instead of scanning (docs/adr/0012). What the code relies on: it
   * can be built, and it changes no result.
   */
  function taskModel(name: string): Model<Task> {
    const schema = new Schema<Task>(
      { _id: String, state: String, items: [{ _id: false, id: String, kind: String }] },
      { versionKey: false },
    );
    schema.index({ _id: 1, state: 1 }, { unique: true, name: 'state_cas' });
    return db.model(name, schema);
  }

  it('the (_id, state) unique index builds, and every state change keeps it consistent', async () => {
    const tasks = taskModel('cas_tasks');
    await tasks.createIndexes();
    await tasks.insertMany([
      { _id: 't1', state: 'pending' },
      { _id: 't2', state: 'pending' },
    ]);

    const moved = await tasks
      .updateOne({ _id: 't1', state: 'pending' }, { $set: { state: 'delivered' } })
      .exec();
    const stale = await tasks
      .updateOne({ _id: 't1', state: 'pending' }, { $set: { state: 'cancelled' } })
      .exec();
    const done = await tasks
      .updateOne({ _id: 't1', state: 'delivered' }, { $set: { state: 'succeeded' } })
      .exec();

    expect([moved.matchedCount, stale.matchedCount, done.matchedCount]).toEqual([1, 0, 1]);
    expect(await tasks.find({}).sort({ _id: 1 }).lean<Task[]>().exec()).toEqual([
      { _id: 't1', state: 'succeeded', items: [] },
      { _id: 't2', state: 'pending', items: [] },
    ]);
    expect((await listIndexes(tasks)).map((index) => index.name)).toContain('state_cas');
  });

  it('20 racing compare-and-sets of one pending task: exactly one wins', async () => {
    const tasks = taskModel('race_tasks');
    await tasks.createIndexes();
    await tasks.create({ _id: 't', state: 'pending' });

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        tasks
          .updateOne({ _id: 't', state: 'pending' }, { $set: { state: i % 2 ? 'a' : 'b' } })
          .exec(),
      ),
    );

    expect(results.filter((r) => r.matchedCount === 1)).toHaveLength(1);
  });

  it('an unordered bulkWrite of compare-and-sets applies those whose state matches', async () => {
    const tasks = taskModel('bulk_tasks');
    await tasks.createIndexes();
    await tasks.insertMany(
      Array.from({ length: 300 }, (_, i) => ({
        _id: `t${i}`,
        state: i < 200 ? 'pending' : 'done',
      })),
    );

    const result = await tasks.bulkWrite(
      Array.from({ length: 300 }, (_, i) => ({
        updateOne: {
          filter: { _id: `t${i}`, state: 'pending' },
          update: { $set: { state: 'delivered' } },
        },
      })),
      { ordered: false },
    );

    expect(result.modifiedCount).toBe(200);
    expect(await countMatching(tasks, { state: 'delivered' })).toBe(200);
    expect(await countMatching(tasks, { state: 'done' })).toBe(100);
  });

  it('$addToSet of an equal subdocument adds it once (an upserted mailbox); $pull by a field removes it', async () => {
    const tasks = taskModel('mailbox_tasks');
    const item = { id: 'c1', kind: 'scan' };

    for (let i = 0; i < 3; i++) {
      await tasks
        .updateOne(
          { _id: 'device' },
          { $addToSet: { items: item }, $setOnInsert: { state: 'open' } },
          { upsert: true },
        )
        .exec();
    }
    await tasks
      .updateOne({ _id: 'device' }, { $addToSet: { items: { id: 'c2', kind: 'restart' } } })
      .exec();
    await tasks.updateOne({ _id: 'device' }, { $pull: { items: { id: 'c1' } } }).exec();

    expect(await tasks.findById('device').lean<Task>().exec()).toEqual({
      _id: 'device',
      state: 'open',
      items: [{ id: 'c2', kind: 'restart' }],
    });
  });
});

describe('MongoDB compatibility: commands and BSON round-trips', () => {
  const db = compatDatabase();

  interface Note {
    _id: string;
    text?: string;
    at?: Date;
    defaultPolicyId?: string | null;
  }
  const noteSchema = new Schema<Note>(
    {
      _id: { type: String, required: true },
      text: { type: String },
      at: { type: Date },
      defaultPolicyId: { type: String },
    },
    { versionKey: false },
  );

  it('ping answers { ok: 1 }, and MongoHealthCheck passes', async () => {
    const connection = db.connection();

    expect(await connection.db!.command({ ping: 1 })).toMatchObject({ ok: 1 });
    await expect(new MongoHealthCheck(connection).check()).resolves.toBeUndefined();
  });

  it('Dates round-trip as Date, to the millisecond', async () => {
    const notes = db.model('date_notes', noteSchema);
    const dates = [
      new Date('2024-02-29T23:59:59.999Z'),
      new Date('1970-01-01T00:00:00.000Z'),
      new Date('2099-12-31T00:00:00.001Z'),
    ];
    await notes.insertMany(dates.map((at, i) => ({ _id: `d${i}`, at })));

    const stored = await notes.find({}).sort({ _id: 1 }).lean<Note[]>().exec();
    const raw = await db.connection().db!.collection<Note>('date_notes').findOne({ _id: 'd0' });

    expect(stored.map((n) => n.at)).toEqual(dates);
    expect(stored.every((n) => n.at instanceof Date)).toBe(true);
    expect(raw?.at).toEqual(dates[0]);
    const later = await notes
      .find({ at: { $gt: new Date('2000-01-01T00:00:00Z') } })
      .sort({ _id: 1 })
      .lean<Note[]>()
      .exec();
    expect(later.map((n) => n._id)).toEqual(['d0', 'd2']);
  });

  it('unicode strings (Japanese, emoji) round-trip exactly and match by equality', async () => {
    const notes = db.model('unicode_notes', noteSchema);
    const texts = [
      '管理コンソール',
      '🔑 ライセンス 🚀',
      'Ünïcödé – “quotes” ‘ß’',
      'e\u0301 vs \u00e9', // decomposed and precomposed é
      '👨‍👩‍👧‍👦',
    ];
    await notes.insertMany(texts.map((text, i) => ({ _id: `u${i}`, text })));

    const stored = await notes.find({}).sort({ _id: 1 }).lean<Note[]>().exec();
    const found = await notes.findOne({ text: '管理コンソール' }).lean<Note>().exec();

    expect(stored.map((n) => n.text)).toEqual(texts);
    expect(found?._id).toBe('u0');
    // Compared as bytes: no Unicode normalisation.
    expect(await notes.countDocuments({ text: '\u00e9 vs \u00e9' }).exec()).toBe(0);
    expect(await notes.countDocuments({ text: 'e\u0301 vs \u00e9' }).exec()).toBe(1);
  });

  it('null and missing fields are distinguishable with $exists', async () => {
    const notes = db.model('null_notes', noteSchema);
    await notes.insertMany([
      { _id: 'null', defaultPolicyId: null },
      { _id: 'missing' },
      { _id: 'set', defaultPolicyId: 'policy-1' },
    ]);
    const ids = async (filter: FilterQuery<Note>) =>
      (await notes.find(filter).sort({ _id: 1 }).lean<Note[]>().exec()).map((n) => n._id);

    expect(await ids({ defaultPolicyId: { $exists: false } })).toEqual(['missing']);
    expect(await ids({ defaultPolicyId: { $exists: true } })).toEqual(['null', 'set']);
    expect(await ids({ defaultPolicyId: null })).toEqual(['missing', 'null']);
    const stored = await notes.find({}).sort({ _id: 1 }).lean<Note[]>().exec();
    expect(stored).toEqual([
      { _id: 'missing' },
      { _id: 'null', defaultPolicyId: null },
      { _id: 'set', defaultPolicyId: 'policy-1' },
    ]);
  });
});
