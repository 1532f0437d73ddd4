import { z } from 'zod';

/** Refuses `{}`: a change that changes nothing is the caller's mistake, said so. */
export function somethingToChange<T extends z.AnyZodObject>(schema: T): z.ZodEffects<T> {
  return schema.refine((patch: z.output<T>) => Object.keys(patch).length > 0, {
    message: 'nothing to change',
  });
}

/** The fields of `S`, each optional, nothing else. */
export type PartialStrict<S extends z.ZodRawShape> = z.ZodObject<
  { [K in keyof S]: z.ZodOptional<S[K]> },
  'strict'
>;

/**
 * A change of some fields of `shape` (a PATCH body): any subset of them,
 * nothing unknown (strict: refused by name, never dropped), and not nothing.
 */
export function changesOf<S extends z.ZodRawShape>(shape: S): z.ZodEffects<PartialStrict<S>> {
  return somethingToChange(z.object(shape).partial().strict() as PartialStrict<S>);
}
