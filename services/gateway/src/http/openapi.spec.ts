import { Get } from '@nestjs/common';
import { idSchema, nameText, queryInt } from '@warden/contracts';
import { DomainError } from '@warden/platform';
import { z } from 'zod';
import { HTTP_STATUS_BY_CODE } from '../errors/http-status.table';
import { ApiErrorResponses, documentAs, openApiSchema, SWAGGER_RESPONSES } from './openapi';
import { unknownNamesError, ZodValidationPipe } from './zod-validation.pipe';

describe('openApiSchema', () => {
  it('inlines a schema used twice instead of a $ref into a document that does not exist', () => {
    const name = nameText(200);

    const sut = openApiSchema(z.object({ name, site: z.object({ name }) }));

    expect(JSON.stringify(sut)).not.toContain('$ref');
    expect(sut).toMatchObject({
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 200 },
        site: { properties: { name: { type: 'string', minLength: 1, maxLength: 200 } } },
      },
    });
  });

  it('documents a number read from a query string as the integer it is', () => {
    expect(openApiSchema(queryInt(1, 200))).toEqual({ type: 'integer', minimum: 1, maximum: 200 });
  });

  it('documents a positive whole number as at least 1, which every JSON Schema draft reads alike', () => {
    expect(openApiSchema(z.number().int().positive())).toEqual({ type: 'integer', minimum: 1 });
    expect(openApiSchema(z.number().int().lt(10))).toEqual({ type: 'integer', maximum: 9 });
  });

  it('lists null among the values of a nullable enum, as OpenAPI 3.0 validators require', () => {
    const sut = openApiSchema(z.object({ system: z.enum(['default', 'deactivated']).nullable() }));

    expect(sut).toMatchObject({
      properties: { system: { enum: ['default', 'deactivated', null], nullable: true } },
    });
  });

  it('takes ids in either case and answers them in lower case', () => {
    expect(openApiSchema(idSchema)).toMatchObject({
      format: 'uuid',
      pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
    });
    expect(openApiSchema(idSchema, 'reply')).toMatchObject({
      format: 'uuid',
      pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    });
  });

  it('shows a request object as closed only when its zod schema is strict', () => {
    expect(openApiSchema(z.object({ a: z.string() }).strict())).toMatchObject({
      additionalProperties: false,
    });
    expect(openApiSchema(z.object({ a: z.string() }))).toMatchObject({
      additionalProperties: true,
    });
  });

  it('adds what a refinement checks in code', () => {
    const patch = documentAs(
      z
        .object({ a: z.string() })
        .partial()
        .strict()
        .refine((p) => Object.keys(p).length > 0),
      { minProperties: 1 },
    );

    expect(openApiSchema(patch)).toMatchObject({ minProperties: 1, additionalProperties: false });
  });
});

describe('openApiSchema of a tuple', () => {
  it('documents it with one schema of its items, as OpenAPI 3.0 has no tuples', () => {
    const positions = z.tuple([z.number().int().min(1), z.number().int().min(1)]);

    expect(openApiSchema(positions, 'reply')).toEqual({
      type: 'array',
      minItems: 2,
      maxItems: 2,
      items: { type: 'integer', minimum: 1 },
    });
  });

  it('documents items that differ as any of them', () => {
    const pair = z.tuple([z.string(), z.number()]);

    expect(openApiSchema(pair, 'reply')['items']).toEqual({
      anyOf: [{ type: 'string' }, { type: 'number' }],
    });
  });
});

describe('ApiErrorResponses', () => {
  class Routes {
    get(): void {}
  }
  const responsesOf = () =>
    Reflect.getMetadata(SWAGGER_RESPONSES, Routes.prototype.get) as Record<
      string,
      { description: string; schema: { properties: { error: { properties: object } } } }
    >;

  it('documents each code under its status from the status table, codes of one status together', () => {
    const descriptor = Object.getOwnPropertyDescriptor(Routes.prototype, 'get')!;

    ApiErrorResponses(['CONSOLE_NOT_FOUND', 'CONFLICT'])(Routes.prototype, 'get', descriptor);
    ApiErrorResponses(['CONSOLE_NOT_TRIAL', 'SERVICE_UNAVAILABLE'])(
      Routes.prototype,
      'get',
      descriptor,
    );

    const responses = responsesOf();
    expect(HTTP_STATUS_BY_CODE.CONFLICT).toBe(409);
    expect(responses['409']?.description).toBe('CONFLICT, CONSOLE_NOT_TRIAL');
    expect(responses['409']?.schema.properties.error.properties).toMatchObject({
      code: { enum: ['CONFLICT', 'CONSOLE_NOT_TRIAL'] },
    });
    expect(responses['404']?.description).toBe('CONSOLE_NOT_FOUND');
    expect(responses['503']?.description).toBe('SERVICE_UNAVAILABLE');
  });
});

describe('ApiErrorResponses on a controller', () => {
  it('adds its codes to each route’s own, also under a status the route documents too', () => {
    @ApiErrorResponses(['FORBIDDEN'])
    class Guarded {
      @Get('a')
      @ApiErrorResponses(['PROVIDER_SUPPORT_PROTECTED'])
      changes(): void {}

      @Get('b')
      reads(): void {}

      helper(): void {}
    }
    const descriptionOf = (method: () => void, status: number) =>
      (
        Reflect.getMetadata(SWAGGER_RESPONSES, method) as
          Record<string, { description: string }> | undefined
      )?.[String(status)]?.description;

    expect(descriptionOf(Guarded.prototype.changes, 403)).toBe(
      'FORBIDDEN, PROVIDER_SUPPORT_PROTECTED',
    );
    expect(descriptionOf(Guarded.prototype.reads, 403)).toBe('FORBIDDEN');
    expect(descriptionOf(Guarded.prototype.helper, 403)).toBeUndefined();
    expect(Reflect.getMetadata(SWAGGER_RESPONSES, Guarded)).toBeUndefined();
  });
});

describe('ZodValidationPipe', () => {
  it('names each unknown property, at its depth, as it names any other refused field', () => {
    const sut = new ZodValidationPipe(
      z.object({ name: z.string(), site: z.object({ seats: z.number() }).strict() }).strict(),
      'body',
    );

    const refused = (() => {
      try {
        sut.transform({ name: 'x', site: { seats: 1, colour: 'red' }, sitee: {} });
      } catch (error) {
        return error;
      }
    })();

    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).toBody().details).toEqual({
      issues: [
        { path: 'site.colour', message: 'unknown property', rule: 'unknown' },
        { path: 'sitee', message: 'unknown property', rule: 'unknown' },
      ],
      fields: { 'site.colour': ['unknown'], sitee: ['unknown'] },
    });
  });

  it('names an unknown query parameter the same way, where no schema is declared', () => {
    expect(unknownNamesError(['stauts'], 'query').toBody().details).toEqual({
      issues: [{ path: 'stauts', message: 'unknown query parameter', rule: 'unknown' }],
      fields: { stauts: ['unknown'] },
    });
  });
});
