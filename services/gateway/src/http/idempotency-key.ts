import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { idempotencyKeySchema } from '@warden/contracts';
import { DomainError } from '@warden/platform';
import type { FastifyRequest } from 'fastify';
import { openApiSchema } from './openapi';
import { ZodValidationPipe } from './zod-validation.pipe';

const idempotencyKeyPipe = new ZodValidationPipe(idempotencyKeySchema, 'Idempotency-Key header');

/**
 * The caller's Idempotency-Key, required: a request whose answer is lost
 * (a timeout, OUTCOME_UNKNOWN) can only be retried safely with its key.
 */
const idempotencyKeyOf = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const key = context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
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
});

/**
 * The route's Idempotency-Key header, read and documented in one place, so the
 * documented limits are the ones the server checks. `effect` ends the
 * sentence "retries with the same key …".
 */
export function IdempotencyKey(effect: string): ParameterDecorator {
  const read = idempotencyKeyOf();
  return (target, key, index) => {
    read(target, key, index);
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key === undefined || descriptor === undefined) return;
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description: `retries with the same key ${effect}`,
      schema: openApiSchema(idempotencyKeySchema),
    })(target, key, descriptor);
  };
}
