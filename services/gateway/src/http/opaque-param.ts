import { Param } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { activationTokenRequestSchema } from '@warden/contracts';
import { ApiErrorResponses, openApiSchema } from './openapi';
import { ZodValidationPipe } from './zod-validation.pipe';

/**
 * An opaque value of identity's (a link's token, a login, recovery or 2FA
 * setup id): 16–128 characters of base64url, compared exactly (case matters).
 */
export const opaqueParam = activationTokenRequestSchema.shape.token;

/**
 * A path parameter that is an opaque value: validated (VALIDATION_FAILED when
 * malformed) and documented from the same schema, together with the 414 of a
 * path parameter over the router's limit of 100 characters.
 */
export function OpaqueParam(name: string, description: string): ParameterDecorator {
  const validated = Param(name, new ZodValidationPipe(opaqueParam, name));
  return (target, key, index) => {
    validated(target, key, index);
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key === undefined || descriptor === undefined) return;
    ApiParam({
      name,
      required: true,
      description: `${description}: base64url, case-sensitive (over 100 characters: 414)`,
      schema: openApiSchema(opaqueParam),
    })(target, key, descriptor);
    ApiErrorResponses(['URI_TOO_LONG'])(target, key, descriptor);
  };
}
