import { Param } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { idSchema } from '@warden/contracts';
import { ApiErrorResponses, openApiSchema } from './openapi';
import { ZodValidationPipe } from './zod-validation.pipe';

/**
 * An id as the HTTP API takes it: a UUID in either case (RFC 4122 reads them
 * case-insensitively), passed on in lower case, the case every id is stored
 * and answered in. `?after=` and path ids alike.
 */
export const idInput = idSchema.transform((id) => id.toLowerCase());

/**
 * A path parameter that is an id: validated and lower-cased, and documented
 * from the same schema (`format: uuid`), together with the 414 of a path
 * parameter over the router's length limit.
 */
export function IdParam(name: string): ParameterDecorator {
  const validated = Param(name, new ZodValidationPipe(idInput, name));
  return (target, key, index) => {
    validated(target, key, index);
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key === undefined || descriptor === undefined) return;
    ApiParam({
      name,
      required: true,
      description: 'a UUID, in either case; replies give it in lower case',
      schema: openApiSchema(idInput),
    })(target, key, descriptor);
    ApiErrorResponses(['URI_TOO_LONG'])(target, key, descriptor);
  };
}
