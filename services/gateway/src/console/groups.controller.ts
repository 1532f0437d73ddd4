import { Body, Controller, Delete, Get, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Caller,
  deleteGroupReplySchema,
  groupListSchema,
  groupSchema,
  inventoryRpc,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import type { z } from 'zod';
import { AdminCaller, SiteAccess } from '../auth/console-auth';
import { IdParam } from '../http/id-param';
import { ApiErrors, ApiReply, ApiZodBody } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { createGroupBody, updateGroupBody } from './endpoints.schemas';

const SiteId = () => IdParam('siteId');
const GroupId = () => IdParam('groupId');

/**
 * A site's groups of endpoints (DESIGN §3 journey 10). Every site has its
 * default group (new endpoints join it; renamable, not deletable) and
 * "Deactivated devices" (neither): both are `system` groups. Names are unique
 * per site without regard to case. A group's policy applies to its endpoints
 * that have none of their own.
 */
@ApiTags('console: groups')
@Controller('api/v1/sites/:siteId/groups')
export class GroupsController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Get()
  @SiteAccess('view_only', { param: 'siteId' })
  @ApiOperation({
    summary: 'A site’s groups, with their policies and how many endpoints each has',
    description: 'The default group first, then the others by name, "Deactivated devices" last.',
  })
  @ApiReply(200, groupListSchema)
  @ApiErrors('SERVICE_UNAVAILABLE')
  list(@SiteId() siteId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(inventoryRpc.listGroups, { caller, siteId });
  }

  @Post()
  @SiteAccess('admin', { param: 'siteId' })
  @ApiOperation({
    summary: 'Create a group, optionally with its policy',
    description:
      'A name another group of the site has, in any case, is GROUP_NAME_TAKEN. `policyId` is ' +
      'a policy of the console or a built-in (else POLICY_NOT_FOUND).',
  })
  @ApiZodBody(createGroupBody)
  @ApiReply(201, groupSchema, 'the new group')
  @ApiErrors('GROUP_NAME_TAKEN', 'POLICY_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  create(
    @SiteId() siteId: string,
    @Body(new ZodValidationPipe(createGroupBody, 'body')) body: z.output<typeof createGroupBody>,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(inventoryRpc.createGroup, {
      caller,
      siteId,
      name: body.name,
      policyId: body.policyId ?? null,
    });
  }

  @Patch(':groupId')
  @SiteAccess('admin', { param: 'siteId' })
  @ApiOperation({
    summary: 'Rename a group or set its policy (null: its endpoints follow the site’s default)',
    description:
      '"Deactivated devices" cannot be renamed (GROUP_SYSTEM_PROTECTED). Endpoints of the group ' +
      'without a policy of their own receive the new policy on their next check-in. Audited ' +
      'with before and after.',
  })
  @ApiZodBody(updateGroupBody)
  @ApiReply(200, groupSchema, 'the group as it is now')
  @ApiErrors(
    'GROUP_NOT_FOUND',
    'GROUP_NAME_TAKEN',
    'GROUP_SYSTEM_PROTECTED',
    'POLICY_NOT_FOUND',
    'CONFLICT',
    'SERVICE_UNAVAILABLE',
  )
  update(
    @SiteId() siteId: string,
    @GroupId() groupId: string,
    @Body(new ZodValidationPipe(updateGroupBody, 'body')) changes: z.output<typeof updateGroupBody>,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(inventoryRpc.updateGroup, { caller, siteId, groupId, changes });
  }

  @Delete(':groupId')
  @SiteAccess('admin', { param: 'siteId' })
  @ApiOperation({
    summary: 'Delete a group; its endpoints go back to the site’s default group',
    description: 'System groups cannot be deleted (GROUP_SYSTEM_PROTECTED).',
  })
  @ApiReply(200, deleteGroupReplySchema)
  @ApiErrors('GROUP_NOT_FOUND', 'GROUP_SYSTEM_PROTECTED', 'CONFLICT', 'SERVICE_UNAVAILABLE')
  delete(@SiteId() siteId: string, @GroupId() groupId: string, @AdminCaller() caller: Caller) {
    return this.rpc.request(inventoryRpc.deleteGroup, { caller, siteId, groupId });
  }
}
