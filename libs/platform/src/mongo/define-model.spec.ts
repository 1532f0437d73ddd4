import mongoose from 'mongoose';
import { defineModel, type RecordOf } from './define-model';

const KINDS = ['trial', 'production'] as const;

const sut = defineModel(
  'Probe',
  'probes',
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: KINDS, required: true },
    endsAt: { type: Date, default: null },
    seats: { type: Number, required: true },
  },
  (schema) => schema.index({ kind: 1, _id: 1 }),
);
type ProbeRecord = RecordOf<typeof sut>;

describe('defineModel', () => {
  it('infers the record type from the field definition', () => {
    const record: ProbeRecord = { _id: 'p1', kind: 'trial', endsAt: null, seats: 3 };
    // @ts-expect-error a value outside the enum does not compile
    const wrongKind: ProbeRecord['kind'] = 'forever';

    // @ts-expect-error a field with a default (here null) is always there
    const withoutDefaulted: ProbeRecord = { _id: 'p2', kind: 'trial', seats: 1 };

    expect(record.kind).toBe('trial');
    expect(withoutDefaulted.seats).toBe(1);
    expect(wrongKind).toBe('forever');
  });

  it('names the collection, keeps no version key, and declares its indexes', () => {
    expect(sut.schema.get('collection')).toBe('probes');
    expect(sut.schema.get('versionKey')).toBe(false);
    expect(sut.schema.indexes().map(([keys]) => keys)).toEqual([{ kind: 1, _id: 1 }]);
  });

  it('gives one model per connection, however often it is asked for', () => {
    const connection = mongoose.createConnection();

    expect(sut.on(connection)).toBe(sut.on(connection));
    expect(sut.on(connection).collection.collectionName).toBe('probes');
  });
});
