import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Caller,
  endpointDetailSchema,
  endpointPageSchema,
  endpointStatusCountsSchema,
  endpointSummarySchema,
  inventoryRpc,
  moveEndpointsReplySchema,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import type { z } from 'zod';
import { AdminCaller, ConsoleSession, SiteAccess } from '../auth/console-auth';
import { IdParam } from '../http/id-param';
import { ApiErrors, ApiReply, ApiZodBody, ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import {
  listEndpointsQuery,
  type ListEndpointsQuery,
  moveEndpointsBody,
  setEndpointPolicyBody,
} from './endpoints.schemas';
import { policyLanguageQuery } from './console.schemas';

const SiteId = () => IdParam('siteId');
const EndpointId = () => IdParam('endpointId');

/**
 * The endpoints table and what an administrator does to endpoints (DESIGN §3
 * journey 10, issue 11): inventory answers, with the caller's console and
 * site access (an endpoint of a site the caller does not see is
 * ENDPOINT_NOT_FOUND, as one of another console). Statuses are derived when
 * read: `infected`, `not_seen_recently` (the console's threshold), else
 * `protected`; the effective policy is the endpoint's own, else its group's,
 * else the site default it was enrolled with (`policy.source`).
 */
@ApiTags('console: endpoints')
@Controller('api/v1')
export class EndpointsController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Get('endpoints')
  @ConsoleSession()
  @ApiOperation({
    summary: 'The endpoints table: filter, search, sort, page',
    description:
      'Every site the caller may see, or the one `siteId` names (SITE_NOT_FOUND if they may ' +
      'not). `status` is a comma-separated list (any of them); `policyId` the effective ' +
      'policy; `q` a part of the hostname, without regard to case. Sorted by `sort` ' +
      '(hostname when absent) in `order`, ties by id; `limit` 1–200 (50). Pass a reply’s ' +
      '`nextCursor` as `cursor` with the same filters and sort for the next page; a cursor ' +
      'made for other filters or sort, or not from a reply, is CURSOR_INVALID.',
  })
  @ApiZodQuery(listEndpointsQuery)
  @ApiReply(200, endpointPageSchema)
  @ApiErrors('SITE_NOT_FOUND', 'CURSOR_INVALID', 'SERVICE_UNAVAILABLE')
  list(
    @Query(new ZodValidationPipe(listEndpointsQuery, 'query')) query: ListEndpointsQuery,
    @AdminCaller() caller: Caller,
  ) {
    const { siteId, groupId, status, policyId, q, sort, order, cursor, limit, language } = query;
    return this.rpc.request(inventoryRpc.listEndpoints, {
      caller,
      ...(siteId === undefined ? {} : { siteId }),
      filter: {
        ...(groupId === undefined ? {} : { groupId }),
        ...(status === undefined ? {} : { status }),
        ...(policyId === undefined ? {} : { policyId }),
        ...(q === undefined ? {} : { q }),
      },
      ...(sort === undefined ? {} : { sort }),
      ...(order === undefined ? {} : { order }),
      ...(cursor === undefined ? {} : { cursor }),
      ...(limit === undefined ? {} : { limit }),
      language: language ?? 'en',
    });
  }

  @Get('endpoints/:endpointId')
  @ConsoleSession()
  @ApiOperation({
    summary: 'An endpoint: its details, effective policy and where it comes from, detections',
    description: 'The newest 100 detections first. `ownPolicyId` is null when it has none.',
  })
  @ApiZodQuery(policyLanguageQuery)
  @ApiReply(200, endpointDetailSchema)
  @ApiErrors('ENDPOINT_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  get(
    @EndpointId() endpointId: string,
    @Query(new ZodValidationPipe(policyLanguageQuery, 'query'))
    query: z.output<typeof policyLanguageQuery>,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(inventoryRpc.getEndpoint, {
      caller,
      endpointId,
      language: query.language ?? 'en',
    });
  }

  @Get('sites/:siteId/endpoint-counts')
  @SiteAccess('view_only', { param: 'siteId' })
  @ApiOperation({
    summary: 'How many endpoints of a site are in each status',
    description: 'Every status is listed, 0 where none is in it; `total` is their sum.',
  })
  @ApiReply(200, endpointStatusCountsSchema)
  @ApiErrors('SITE_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  counts(@SiteId() siteId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(inventoryRpc.endpointStatusCounts, { caller, siteId });
  }

  @Put('sites/:siteId/endpoints/:endpointId/policy')
  @SiteAccess('admin', { param: 'siteId' })
  @ApiOperation({
    summary: 'Set an endpoint’s own policy, or clear it (null) to follow its group again',
    description:
      'A policy of the console or a built-in (else POLICY_NOT_FOUND). The endpoint receives ' +
      'it on its next check-in. Audited with the policy before and after.',
  })
  @ApiZodBody(setEndpointPolicyBody)
  @ApiReply(200, endpointSummarySchema, 'the endpoint with its effective policy now')
  @ApiErrors('ENDPOINT_NOT_FOUND', 'POLICY_NOT_FOUND', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  setPolicy(
    @SiteId() siteId: string,
    @EndpointId() endpointId: string,
    @Body(new ZodValidationPipe(setEndpointPolicyBody, 'body'))
    body: z.output<typeof setEndpointPolicyBody>,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(inventoryRpc.setEndpointPolicy, {
      caller,
      siteId,
      endpointId,
      policyId: body.policyId,
    });
  }

  @Post('sites/:siteId/endpoints/move')
  @SiteAccess('admin', { param: 'siteId' })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move endpoints to a group: one, a selection, or all matching a filter',
    description:
      '`selection` is `{kind: "ids", endpointIds}` or `{kind: "filter", filter}` (the table’s ' +
      'filters, within this site). The group must be of the same site (GROUP_NOT_FOUND); ' +
      '"Deactivated devices" is not a target (GROUP_SYSTEM_PROTECTED: the deactivation ' +
      'command puts devices there). `moved` counts the endpoints that changed group: ids of ' +
      'no endpoint of the site, and endpoints already in the group, are left alone.',
  })
  @ApiZodBody(moveEndpointsBody)
  @ApiReply(200, moveEndpointsReplySchema)
  @ApiErrors('GROUP_NOT_FOUND', 'GROUP_SYSTEM_PROTECTED', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  move(
    @SiteId() siteId: string,
    @Body(new ZodValidationPipe(moveEndpointsBody, 'body'))
    body: z.output<typeof moveEndpointsBody>,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(inventoryRpc.moveEndpoints, { caller, siteId, ...body });
  }
}
