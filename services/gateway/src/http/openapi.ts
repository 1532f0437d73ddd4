import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { z } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';

type JsonSchema = Record<string, unknown>;

/** The OpenAPI schema of a zod schema: the same one the route validates with. */
export function openApiSchema(schema: z.ZodTypeAny): JsonSchema {
  // The library's generic types recurse too deeply for our schemas; its output is plain JSON.
  const convert = zodToJsonSchema as unknown as (s: unknown, o: { target: string }) => JsonSchema;
  const jsonSchema = convert(schema, { target: 'openApi3' });
  delete jsonSchema['$schema'];
  return jsonSchema;
}

export function ApiZodBody(schema: z.ZodTypeAny): MethodDecorator {
  return ApiBody({ schema: openApiSchema(schema) });
}

/** One `ApiQuery` per field of an object schema. */
export function ApiZodQuery(schema: z.AnyZodObject): MethodDecorator {
  const properties = (openApiSchema(schema)['properties'] ?? {}) as Record<string, JsonSchema>;
  return applyDecorators(
    ...Object.entries(properties).map(([name, property]) =>
      ApiQuery({ name, required: false, schema: property }),
    ),
  );
}
