import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { DomainError } from '@warden/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Versions as HTTP entity tags: a policy's `version` is its ETag, `"7"`
 * (strong, quoted, RFC 9110 §8.8.3). Editors send back the ETag they read in
 * `If-Match`; the service refuses the change if another writer came first.
 */
export const ENTITY_TAG_PATTERN = '^"[1-9][0-9]{0,9}"$';
const ENTITY_TAG = new RegExp(ENTITY_TAG_PATTERN);

/** The `ETag` header of a reply that is one version of something. */
export const ETAG_HEADER_DOC = {
  ETag: {
    description:
      'The version of what the reply shows, quoted: send it back in `If-Match` to change it.',
    schema: { type: 'string', pattern: ENTITY_TAG_PATTERN },
  },
};

/** Sets `ETag: "<version>"` on the reply. */
export function setEntityTag(reply: FastifyReply, version: number): void {
  void reply.header('ETag', `"${version}"`);
}

function refused(rule: 'required' | 'format', message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, {
    issues: [{ path: 'If-Match', message, rule }],
    fields: { 'If-Match': [rule] },
  });
}

/**
 * The version of `If-Match: "<version>"`, required. Without it the change
 * could overwrite an edit the caller never saw, so a missing header is
 * refused (400 VALIDATION_FAILED naming `If-Match`, as a missing
 * Idempotency-Key is; not 428, which would need an error code of its own).
 * One strong tag only: `*`, weak tags (`W/"7"`) and lists are refused too.
 */
const ifMatchVersionOf = createParamDecorator((_: unknown, context: ExecutionContext): number => {
  const value = context.switchToHttp().getRequest<FastifyRequest>().headers['if-match'];
  if (value === undefined) {
    throw refused(
      'required',
      'an If-Match header is required: the ETag of the version you read, e.g. If-Match: "3"',
    );
  }
  const text = Array.isArray(value) ? value.join(',') : value;
  if (!ENTITY_TAG.test(text)) {
    throw refused('format', 'If-Match must be one ETag as the API gave it, e.g. "3"');
  }
  return Number(text.slice(1, -1));
});

/** The route's required If-Match header, read and documented in one place. */
export function IfMatchVersion(): ParameterDecorator {
  const read = ifMatchVersionOf();
  return (target, key, index) => {
    read(target, key, index);
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key === undefined || descriptor === undefined) return;
    ApiHeader({
      name: 'If-Match',
      required: true,
      description:
        'the ETag of the version the change is based on; another change since → 412 POLICY_VERSION_CONFLICT',
      schema: { type: 'string', pattern: ENTITY_TAG_PATTERN },
    })(target, key, descriptor);
  };
}
