import { type PipeTransform } from '@nestjs/common';
import { validationError } from '@warden/platform';
import type { z } from 'zod';

/** Validates a body, query or param against a contract schema; failures are VALIDATION_FAILED. */
export class ZodValidationPipe<S extends z.ZodTypeAny> implements PipeTransform<
  unknown,
  z.output<S>
> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request',
  ) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (!result.success) throw validationError(result.error, this.what);
    return result.data as z.output<S>;
  }
}
