import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { idempotencyKeySchema } from '@warden/contracts';
import { DomainError } from '@warden/platform';
import type { FastifyRequest } from 'fastify';
import { openApiSchema } from './openapi';
import { ZodValidationPipe } from './zod-validation.pipe';

const idempotencyKeyPipe = new ZodValidationPipe(idempotencyKeySchema, 'Idempotency-Key header');

/**
 * The caller's Idempotency-Key, required unless the route says optional: a
 * request whose answer is lost (a timeout, OUTCOME_UNKNOWN) can only be
 * retried safely with its key.
 */
const idempotencyKeyOf = createParamDecorator(
  (optional: boolean, context: ExecutionContext): string | undefined => {
    const key = context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
    if (key === undefined && optional) return undefined;
    return requiredKey(key);
  },
);

function requiredKey(key: string | string[] | undefined): string {
  if (key === undefined) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'an Idempotency-Key header is required: retrying with the same key is what makes a retry safe',
      {
        issues: [{ path: 'Idempotency-Key', message: 'Required', rule: 'required' }],
        fields: { 'Idempotency-Key': ['required'] },
      },
    );
  }
  return idempotencyKeyPipe.transform(key);
}

/**
 * The route's Idempotency-Key header, read and documented in one place, so the
 * documented limits are the ones the server checks. `effect` ends the
 * sentence "retries with the same key …". Optional: a request without one is
 * taken as a new one each time (the parameter is undefined).
 */
export function IdempotencyKey(
  effect: string,
  { optional = false }: { optional?: boolean } = {},
): ParameterDecorator {
  const read = idempotencyKeyOf(optional);
  return (target, key, index) => {
    read(target, key, index);
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key === undefined || descriptor === undefined) return;
    ApiHeader({
      name: 'Idempotency-Key',
      required: !optional,
      description: `retries with the same key ${effect}`,
      schema: openApiSchema(idempotencyKeySchema),
    })(target, key, descriptor);
  };
}
