import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Caller,
  policyDetailSchema,
  policyDiffSchema,
  policyListSchema,
  policyRpc,
  policyUsageSchema,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { AdminCaller, AnySiteAdmin, ConsoleSession } from '../auth/console-auth';
import { IdParam } from '../http/id-param';
import { IdempotencyKey } from '../http/idempotency-key';
import { ETAG_HEADER_DOC, IfMatchVersion, setEntityTag } from '../http/if-match';
import { ApiErrors, ApiNoContent, ApiReply, ApiZodBody, ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import {
  copyPolicyBody,
  deletePolicyQuery,
  policyLanguageQuery,
  updatePolicyBody,
} from './console.schemas';

const PolicyId = () => IdParam('policyId');
/** `?language=ja|en`, the labels' language (English when absent). */
const Language = () => Query(new ZodValidationPipe(policyLanguageQuery, 'query'));
type Labels = z.output<typeof policyLanguageQuery>;

/**
 * The policies of the signed-in administrator's console and the four
 * built-ins (DESIGN §3 journeys 6–7, §8). Any administrator reads them;
 * copying, editing and deleting need a super admin or `admin` access to at
 * least one site (`@AnySiteAdmin()`, ADR 0010). A policy of another console is
 * POLICY_NOT_FOUND, as one that does not exist. A site's default policy is
 * set on the site: `PATCH /api/v1/sites/{siteId}` `{defaultPolicyId}`.
 *
 * A policy's `version` is its ETag (`"7"`): replies that show one policy
 * carry it, and an edit must send it back in `If-Match`.
 */
@ApiTags('console: policies')
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Get()
  @ConsoleSession()
  @ApiOperation({
    summary: 'List policies: the built-ins first, then the console’s by name',
    description:
      'Each with its version and how many endpoints use it; the built-ins’ names and ' +
      'descriptions in `language` (`ja` or `en`, English when absent).',
  })
  @ApiZodQuery(policyLanguageQuery)
  @ApiReply(200, policyListSchema)
  @ApiErrors('SERVICE_UNAVAILABLE')
  list(@Language() query: Labels, @AdminCaller() caller: Caller) {
    return this.rpc.request(policyRpc.listPolicies, { caller, language: query.language ?? 'en' });
  }

  @Get(':policyId')
  @ConsoleSession()
  @ApiOperation({
    summary: 'A policy: its settings, grouped by section and labelled in `language`',
    description: '`language` is `ja` or `en` (English when absent). The ETag is its version.',
  })
  @ApiZodQuery(policyLanguageQuery)
  @ApiReply(200, policyDetailSchema, 'the policy', ETAG_HEADER_DOC)
  @ApiErrors('POLICY_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  async get(
    @PolicyId() policyId: string,
    @Language() query: Labels,
    @AdminCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const policy = await this.rpc.request(policyRpc.getPolicy, {
      caller,
      policyId,
      language: query.language ?? 'en',
    });
    setEntityTag(reply, policy.version);
    return policy;
  }

  @Post()
  @AnySiteAdmin()
  @ApiOperation({
    summary: 'Copy a policy (a built-in or the console’s) under a new name and description',
    description:
      'Names are unique per console without regard to case, the built-ins’ included ' +
      '(POLICY_NAME_TAKEN). The copy starts at version 1.',
  })
  @ApiZodQuery(policyLanguageQuery)
  @ApiZodBody(copyPolicyBody)
  @ApiReply(201, policyDetailSchema, 'the copy', ETAG_HEADER_DOC)
  @ApiErrors(
    'POLICY_NOT_FOUND',
    'POLICY_NAME_TAKEN',
    'IDEMPOTENCY_KEY_REUSED',
    'CONFLICT',
    'SERVICE_UNAVAILABLE',
  )
  async copy(
    @Body(new ZodValidationPipe(copyPolicyBody, 'body')) body: z.output<typeof copyPolicyBody>,
    @IdempotencyKey('make one copy') idempotencyKey: string,
    @Language() query: Labels,
    @AdminCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const policy = await this.rpc.request(policyRpc.copyPolicy, {
      ...body,
      idempotencyKey,
      language: query.language ?? 'en',
      caller,
    });
    setEntityTag(reply, policy.version);
    return policy;
  }

  @Patch(':policyId')
  @AnySiteAdmin()
  @ApiOperation({
    summary: 'Rename, describe or change any settings of a policy of the console',
    description:
      'Partial: the settings given change, the others stay. `If-Match` is required and must ' +
      'be the ETag of the version the change is based on: a change saved since is ' +
      '412 POLICY_VERSION_CONFLICT, never overwritten. An unknown section or setting, or a ' +
      'value it does not take, is VALIDATION_FAILED naming it and what it takes. Built-ins ' +
      'are read-only (POLICY_BUILTIN_READ_ONLY): copy one to change it.',
  })
  @ApiZodQuery(policyLanguageQuery)
  @ApiZodBody(updatePolicyBody)
  @ApiReply(
    200,
    policyDetailSchema,
    'the policy as it is now, with its new version',
    ETAG_HEADER_DOC,
  )
  @ApiErrors(
    'POLICY_NOT_FOUND',
    'POLICY_BUILTIN_READ_ONLY',
    'POLICY_NAME_TAKEN',
    'POLICY_VERSION_CONFLICT',
    'CONFLICT',
    'SERVICE_UNAVAILABLE',
  )
  async update(
    @PolicyId() policyId: string,
    @Body(new ZodValidationPipe(updatePolicyBody, 'body')) patch: z.output<typeof updatePolicyBody>,
    @IfMatchVersion() expectedVersion: number,
    @Language() query: Labels,
    @AdminCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const policy = await this.rpc.request(policyRpc.updatePolicy, {
      caller,
      policyId,
      expectedVersion,
      patch,
      language: query.language ?? 'en',
    });
    setEntityTag(reply, policy.version);
    return policy;
  }

  @Delete(':policyId')
  @AnySiteAdmin()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a policy of the console, moving its users to a replacement first',
    description:
      'A policy in use (a site’s default, a group’s or an endpoint’s) is refused with ' +
      'POLICY_IN_USE saying where, unless `replacementPolicyId` names the policy they move to ' +
      '(the console’s or a built-in). Built-ins cannot be deleted (POLICY_BUILTIN_READ_ONLY).',
  })
  @ApiZodQuery(deletePolicyQuery)
  @ApiNoContent(204, 'deleted (its users, if any, moved to the replacement)')
  @ApiErrors(
    'POLICY_NOT_FOUND',
    'POLICY_BUILTIN_READ_ONLY',
    'POLICY_IN_USE',
    'CONFLICT',
    'SERVICE_UNAVAILABLE',
  )
  async delete(
    @PolicyId() policyId: string,
    @Query(new ZodValidationPipe(deletePolicyQuery, 'query'))
    query: z.output<typeof deletePolicyQuery>,
    @AdminCaller() caller: Caller,
  ): Promise<void> {
    await this.rpc.request(policyRpc.deletePolicy, { caller, policyId, ...query });
  }

  @Get(':policyId/usage')
  @ConsoleSession()
  @ApiOperation({
    summary: 'Where a policy is used: sites whose default it is, groups, endpoints',
  })
  @ApiReply(200, policyUsageSchema)
  @ApiErrors('POLICY_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  usage(@PolicyId() policyId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(policyRpc.policyUsage, { caller, policyId });
  }

  @Get(':policyId/diff/:otherPolicyId')
  @ConsoleSession()
  @ApiOperation({
    summary: 'The settings in which two policies differ, with both values',
    description: '`a` is the value in the first policy, `b` in the other; labels in `language`.',
  })
  @ApiZodQuery(policyLanguageQuery)
  @ApiReply(200, policyDiffSchema)
  @ApiErrors('POLICY_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  diff(
    @PolicyId() policyId: string,
    @IdParam('otherPolicyId') otherPolicyId: string,
    @Language() query: Labels,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(policyRpc.diffPolicies, {
      caller,
      policyId,
      otherPolicyId,
      language: query.language ?? 'en',
    });
  }
}
