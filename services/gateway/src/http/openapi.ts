import { applyDecorators, SetMetadata } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ApiBody, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from '@warden/contracts';
import { z } from 'zod';
import { ignoreOverride, parseDef, type Refs, zodToJsonSchema } from 'zod-to-json-schema';
import { HTTP_STATUS_BY_CODE } from '../errors/http-status.table';

export type JsonSchema = Record<string, unknown>;

/**
 * Which side of the wire a schema describes. Requests are documented as the
 * client may send them (ids in either case), replies as the gateway answers
 * them (ids in lower case, no property beyond the documented ones).
 */
export type SchemaDirection = 'request' | 'reply';

/** What `format: uuid` alone does not say: no `urn:uuid:` prefix (some validators accept one). */
const UUID_EITHER_CASE =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID_LOWER_CASE = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** Keywords a zod schema checks in code (a refinement) that JSON Schema must be told. */
const documentedExtras = new WeakMap<z.ZodTypeDef, JsonSchema>();

/** Adds JSON Schema keywords for what `schema` checks in a refinement, e.g. `{ minProperties: 1 }`. */
export function documentAs<S extends z.ZodTypeAny>(schema: S, extras: JsonSchema): S {
  documentedExtras.set(schema._def as z.ZodTypeDef, extras);
  return schema;
}

type ZodDef = z.ZodTypeDef & {
  typeName?: string;
  in?: z.ZodTypeAny;
  out?: z.ZodTypeAny;
  schema?: z.ZodTypeAny;
  checks?: { kind: string }[];
};

/** The type a value enters as, under any transforms and refinements. */
function enteringType(def: ZodDef | undefined): string | undefined {
  return def?.typeName === 'ZodEffects' ? enteringType(def.schema?._def as ZodDef) : def?.typeName;
}

/**
 * A number written in a query string (`queryInt`) is a string piped into a
 * number; on the wire it is the number, so that is what is documented (an
 * `allOf` of a string and an integer could match nothing).
 */
function overrideFor(direction: SchemaDirection) {
  return (def: z.ZodTypeDef, refs: Refs) => {
    const pipe = def as ZodDef;
    if (
      direction === 'request' &&
      pipe.typeName === 'ZodPipeline' &&
      enteringType(pipe.in?._def as ZodDef | undefined) === 'ZodString' &&
      enteringType(pipe.out?._def as ZodDef | undefined) === 'ZodNumber'
    ) {
      return parseDef(pipe.out!._def as z.ZodTypeDef, refs);
    }
    return ignoreOverride;
  };
}

function postProcessFor(direction: SchemaDirection) {
  return (jsonSchema: object | undefined, def: z.ZodTypeDef): object | undefined => {
    if (!jsonSchema) return jsonSchema;
    let result = jsonSchema as JsonSchema;
    const checks = (def as ZodDef).checks;
    if ((def as ZodDef).typeName === 'ZodString' && checks?.some((c) => c.kind === 'uuid')) {
      result = {
        ...result,
        pattern: direction === 'request' ? UUID_EITHER_CASE : UUID_LOWER_CASE,
      };
    }
    if (Array.isArray(result['items'])) result = { ...result, items: tupleItems(result['items']) };
    if (result['type'] === 'integer') result = inclusiveBounds(result);
    // OpenAPI 3.0's `nullable` does not extend an `enum`: null must be one of its values.
    const values = result['enum'];
    if (result['nullable'] === true && Array.isArray(values) && !values.includes(null)) {
      result = { ...result, enum: [...(values as unknown[]), null] };
    }
    const extras = documentedExtras.get(def);
    return extras ? { ...result, ...extras } : result;
  };
}

/**
 * A whole number above 0 (`.positive()`) comes out as OpenAPI 3.0's boolean
 * `exclusiveMinimum: true, minimum: 0`, which JSON Schema validators of later
 * drafts (where it is a number) misread. For integers `minimum: 1` says the
 * same in every draft.
 */
function inclusiveBounds(schema: JsonSchema): JsonSchema {
  const result = { ...schema };
  const { minimum, maximum } = schema;
  if (result['exclusiveMinimum'] === true && typeof minimum === 'number') {
    result['minimum'] = Math.floor(minimum) + 1;
    delete result['exclusiveMinimum'];
  }
  if (result['exclusiveMaximum'] === true && typeof maximum === 'number') {
    result['maximum'] = Math.ceil(maximum) - 1;
    delete result['exclusiveMaximum'];
  }
  return result;
}

/**
 * A zod tuple comes out as `items: [a, b]`, which OpenAPI 3.0 does not have:
 * one schema of every item (the tuple's length stays in minItems/maxItems),
 * or `anyOf` them where they differ.
 */
function tupleItems(items: unknown[]): JsonSchema {
  const [first] = items;
  const same = items.every((item) => JSON.stringify(item) === JSON.stringify(first));
  return same && isPlainObject(first) ? first : { anyOf: items };
}

/**
 * The OpenAPI schema of a zod schema: the same one the route validates with
 * (requests) or the contract replies are checked against (replies). Inlined
 * whole (`$refStrategy: 'none'`): a reused zod schema would otherwise become a
 * `$ref` relative to a document that does not exist.
 */
export function openApiSchema(
  schema: z.ZodTypeAny,
  direction: SchemaDirection = 'request',
): JsonSchema {
  // The library's generic types recurse too deeply for our schemas; its output is plain JSON.
  const convert = zodToJsonSchema as unknown as (s: unknown, o: object) => JsonSchema;
  const jsonSchema = convert(schema, {
    target: 'openApi3',
    $refStrategy: 'none',
    // A request object refuses unknown properties only if its zod schema is strict;
    // a reply holds only what the contract's schema kept.
    removeAdditionalStrategy: direction === 'request' ? 'strict' : 'passthrough',
    pipeStrategy: direction === 'request' ? 'all' : 'output',
    override: overrideFor(direction),
    postProcess: postProcessFor(direction),
  });
  delete jsonSchema['$schema'];
  return mergeAllOf(jsonSchema) as JsonSchema;
}

/**
 * A zod pipe (`nameText`: string, then its length) comes out as an `allOf` of
 * both sides; where they do not contradict each other, one schema says the
 * same and reads (and generates clients) far better.
 */
function mergeAllOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(mergeAllOf);
  if (!isPlainObject(node)) return node;
  const walked = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, mergeAllOf(value)]),
  );
  const parts = walked['allOf'];
  if (!Array.isArray(parts) || !parts.every(isPlainObject)) return walked;
  const rest = { ...walked };
  delete rest['allOf'];
  const merged = [rest, ...parts].reduce<JsonSchema | undefined>(
    (acc, part) => (acc === undefined ? undefined : mergeSchemas(acc, part)),
    {},
  );
  return merged ?? walked;
}

/** Both schemas at once, or undefined where they disagree. */
function mergeSchemas(a: JsonSchema, b: JsonSchema): JsonSchema | undefined {
  const result: JsonSchema = { ...a };
  for (const [key, value] of Object.entries(b)) {
    if (!(key in result)) {
      result[key] = value;
    } else if (isPlainObject(result[key]) && isPlainObject(value) && key !== 'properties') {
      const inner = mergeSchemas(result[key], value);
      if (inner === undefined) return undefined;
      result[key] = inner;
    } else if (JSON.stringify(result[key]) !== JSON.stringify(value)) {
      return undefined;
    }
  }
  return result;
}

function isPlainObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Metadata the gateway reads to refuse what a route does not declare (request-shape.guard.ts). */
export const BODY_SCHEMA = 'warden:body-schema';
export const QUERY_SCHEMA = 'warden:query-schema';

/** The route's JSON body: validated with `schema` by its pipe, documented from the same schema. */
export function ApiZodBody(schema: z.ZodTypeAny): MethodDecorator {
  return applyDecorators(
    SetMetadata(BODY_SCHEMA, schema),
    ApiBody({ required: true, schema: openApiSchema(schema) }),
    ApiErrorResponses(['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']),
  );
}

/** The route's query parameters, one per field of a strict object schema; any other is refused. */
export function ApiZodQuery(schema: z.AnyZodObject): MethodDecorator {
  const jsonSchema = openApiSchema(schema);
  const properties = (jsonSchema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((jsonSchema['required'] ?? []) as string[]);
  return applyDecorators(
    SetMetadata(QUERY_SCHEMA, schema),
    ...Object.entries(properties).map(([name, property]) =>
      ApiQuery({ name, required: required.has(name), schema: property }),
    ),
  );
}

export const REQUEST_ID_HEADER_DOC = {
  'X-Request-Id': {
    description: 'The id of this request, also in every log line written for it.',
    schema: { type: 'string' },
  },
};

/** A successful reply of `status`, documented from the zod schema of what the route returns. */
export function ApiReply(
  status: number,
  schema: z.ZodTypeAny,
  description = '',
  /** Headers this reply always has besides X-Request-Id (an ETag). */
  headers: Record<string, { description: string; schema: Record<string, unknown> }> = {},
): MethodDecorator & ClassDecorator {
  return ApiResponse({
    status,
    description,
    schema: openApiSchema(schema, 'reply'),
    headers: { ...REQUEST_ID_HEADER_DOC, ...headers },
  });
}

/** A successful reply of `status` (204, or a 202 that says nothing more) without a body. */
export function ApiNoContent(status: 202 | 204, description = ''): MethodDecorator {
  return ApiResponse({ status, description, headers: REQUEST_ID_HEADER_DOC });
}

/** `{ error: { code, message, details?, requestId } }` with `code` one of `codes`. */
export function errorEnvelopeSchema(codes: readonly [ErrorCode, ...ErrorCode[]]) {
  return z.object({
    error: z.object({
      code: z.enum(codes),
      message: z.string(),
      /**
       * VALIDATION_FAILED: `{ issues: [{ path, message, rule }], fields: { path: [rule] } }`,
       * one issue per refused field and rule.
       */
      details: z.record(z.unknown()).optional(),
      requestId: z.string(),
    }),
  });
}

/** Codes every route can answer: an unknown query parameter, a bad URL, oversized headers, a bug. */
export const EVERY_ROUTE_ERRORS = [
  'VALIDATION_FAILED',
  'MALFORMED_REQUEST',
  'HEADERS_TOO_LARGE',
  'INTERNAL',
] as const satisfies readonly ErrorCode[];

const ERROR_HEADERS: Partial<Record<number, Record<string, unknown>>> = {
  401: {
    'WWW-Authenticate': {
      description:
        'Always `Bearer realm="warden"`; with `, error="invalid_token"` when a token was presented.',
      schema: { type: 'string' },
    },
  },
  429: {
    'Retry-After': {
      description: 'Seconds to wait before trying again.',
      schema: { type: 'integer', minimum: 1 },
    },
  },
  503: {
    'Retry-After': {
      description: 'Seconds to wait before trying again (jittered).',
      schema: { type: 'integer', minimum: 1 },
    },
  },
};

/** Where a route's (or controller's) documented error codes are kept, to merge per status. */
const DOCUMENTED_ERROR_CODES = 'warden:documented-error-codes';

/**
 * Documents exactly these error codes, one response per HTTP status with an
 * envelope whose `code` is one of that status' codes. The status comes from
 * HTTP_STATUS_BY_CODE, the table the error filter answers with, so the
 * document cannot disagree with it. Several uses on one route (the access
 * declaration, the path parameters, the body, the route itself) add up.
 *
 * On a controller, the codes go on each of its routes (a class decorator runs
 * after its methods' decorators, so every route is there): Swagger would let a
 * route's response of a status replace the controller's, so a controller's 403
 * FORBIDDEN would vanish from a route that also documents a 403 of its own.
 */
export function ApiErrorResponses(codes: readonly ErrorCode[]): MethodDecorator & ClassDecorator {
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (key === undefined) {
      const prototype = (target as { prototype: object }).prototype;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const method = Object.getOwnPropertyDescriptor(prototype, name);
        const isRoute =
          typeof method?.value === 'function' &&
          Reflect.getMetadata(PATH_METADATA, method.value as object) !== undefined;
        if (isRoute) documentErrors(codes, prototype, name, method);
      }
      return;
    }
    documentErrors(codes, target, key, descriptor!);
  };
}

function documentErrors(
  codes: readonly ErrorCode[],
  target: object,
  key: string | symbol,
  descriptor: PropertyDescriptor,
): void {
  const holder = descriptor.value as object;
  const known = (Reflect.getMetadata(DOCUMENTED_ERROR_CODES, holder) ?? []) as ErrorCode[];
  const all = ERROR_CODES.filter((code) => known.includes(code) || codes.includes(code));
  Reflect.defineMetadata(DOCUMENTED_ERROR_CODES, all, holder);
  const added = all.filter((code) => !known.includes(code));
  const changed = new Set(added.map((code) => HTTP_STATUS_BY_CODE[code]));
  for (const [status, statusCodes] of byStatus(all)) {
    if (!changed.has(status)) continue;
    // @nestjs/swagger keeps one entry per status, joining descriptions: a
    // status documented again (more codes) has its old entry replaced here.
    forgetResponse(holder, status);
    ApiResponse({
      status,
      description: statusCodes.join(', '),
      schema: openApiSchema(errorEnvelopeSchema(statusCodes), 'reply'),
      headers: { ...REQUEST_ID_HEADER_DOC, ...ERROR_HEADERS[status] },
    })(target, key, descriptor);
  }
}

/** A route's own error codes, plus those every route can answer (EVERY_ROUTE_ERRORS). */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator {
  return ApiErrorResponses([...EVERY_ROUTE_ERRORS, ...codes]);
}

/** @nestjs/swagger's metadata key of the responses of a method or controller (not exported by it). */
export const SWAGGER_RESPONSES = 'swagger/apiResponse';

function forgetResponse(holder: object, status: number): void {
  const responses = Reflect.getMetadata(SWAGGER_RESPONSES, holder) as
    Record<string, unknown> | undefined;
  if (responses && String(status) in responses) {
    const rest = { ...responses };
    delete rest[String(status)];
    Reflect.defineMetadata(SWAGGER_RESPONSES, rest, holder);
  }
}

function byStatus(codes: readonly ErrorCode[]): Map<number, [ErrorCode, ...ErrorCode[]]> {
  const groups = new Map<number, [ErrorCode, ...ErrorCode[]]>();
  for (const code of codes) {
    const status = HTTP_STATUS_BY_CODE[code];
    const group = groups.get(status);
    if (group) group.push(code);
    else groups.set(status, [code]);
  }
  return groups;
}
