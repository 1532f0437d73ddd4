import {
  type Connection,
  type InferRawDocType,
  type Model,
  Schema,
  type SchemaDefinition,
} from 'mongoose';

/**
 * One stored entity, defined once: the mongoose field definition is the single
 * source of truth, and the record type (`RecordOf<typeof SiteModel>`) is
 * inferred from it, so the storage shape cannot drift from the type the code
 * uses. The wire shape is the contract's zod schema (libs/contracts), and one
 * typed mapper turns a record into it.
 *
 *   export const SiteModel = defineModel('Site', 'sites', { _id: {...}, ... } as const,
 *     (schema) => schema.index({ keycode: 1 }, { unique: true }));
 *   export type SiteRecord = RecordOf<typeof SiteModel>;
 *
 * Names: `<Entity>Model` is storage (this), `<entity>Schema` is always a zod
 * contract schema, so the two can no longer be confused.
 */
export interface ModelDefinition<Fields> {
  readonly name: string;
  readonly collection: string;
  readonly schema: Schema;
  /** The mongoose model of this entity on a service's own connection. */
  on(connection: Connection): Model<RecordFrom<Fields>>;
  /** Only for type inference (`RecordOf`); never set. */
  readonly __fields?: Fields;
}

/** Fields with a (non-undefined) default: every stored document has them. */
type DefaultedKeys<Fields> = {
  [K in keyof Fields]: Fields[K] extends { default: infer D }
    ? [D] extends [undefined]
      ? never
      : K
    : never;
}[keyof Fields];

type WithDefaults<Fields, Raw> = Omit<Raw, Extract<DefaultedKeys<Fields>, keyof Raw>> & {
  [K in Extract<DefaultedKeys<Fields>, keyof Raw>]-?: Exclude<Raw[K], undefined>;
};

type Flatten<T> = { [K in keyof T]: T[K] };

/**
 * The record a field definition stores: what `lean()` reads back. A field
 * that has a default is always present (`default: null` makes it `T | null`).
 */
export type RecordFrom<Fields> = Flatten<WithDefaults<Fields, InferRawDocType<Fields>>>;

/** The record type of a model (`RecordOf<typeof SiteModel>`). */
export type RecordOf<M> = M extends ModelDefinition<infer Fields> ? RecordFrom<Fields> : never;

export function defineModel<const Fields extends SchemaDefinition>(
  name: string,
  collection: string,
  fields: Fields,
  indexes: (schema: Schema) => void = () => undefined,
): ModelDefinition<Fields> {
  // versionKey: updates are explicit single-document operations, never save() races.
  const schema = new Schema(fields, { versionKey: false, collection });
  indexes(schema);
  return {
    name,
    collection,
    schema,
    on: (connection) =>
      (connection.models[name] ?? connection.model(name, schema)) as unknown as Model<
        RecordFrom<Fields>
      >,
  };
}
