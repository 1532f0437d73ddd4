import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  auditChainReportSchema,
  auditEventPageSchema,
  auditTrailRpc,
  type Caller,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { exportAuditEventsQuery, listAuditEventsQuery } from '../audit/audit-trail.schemas';
import { ApiCsvExport, sendCsvExport } from '../audit/csv-export';
import { AdminCaller, SuperAdmin } from '../auth/console-auth';
import { ApiErrors, ApiReply, ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';

/**
 * The audit trail of the signed-in super admin's console: every change any
 * service made in it, by whom, from where, and whether it was refused.
 */
@ApiTags('console: audit trail')
@SuperAdmin()
@Controller('api/v1/audit-events')
export class AuditTrailController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Get()
  @ApiOperation({
    summary: 'Audit events of my console, newest recorded first, filtered, by pages',
    description: 'A `from` after `to` is VALIDATION_FAILED; so is a cursor not from a reply.',
  })
  @ApiZodQuery(listAuditEventsQuery)
  @ApiReply(200, auditEventPageSchema, 'a page; `nextCursor` is the `cursor` of the next one')
  @ApiErrors('SERVICE_UNAVAILABLE')
  list(
    @Query(new ZodValidationPipe(listAuditEventsQuery, 'query'))
    query: z.output<typeof listAuditEventsQuery>,
    @AdminCaller() caller: Caller,
  ) {
    return this.rpc.request(auditTrailRpc.listAuditEvents, { ...query, caller });
  }

  @Get('export')
  @ApiOperation({
    summary: 'The same events as CSV, for a spreadsheet or an archive',
    description: 'At most 10 000 rows: `X-Truncated: true` says more matched.',
  })
  @ApiZodQuery(exportAuditEventsQuery)
  @ApiCsvExport()
  @ApiErrors('SERVICE_UNAVAILABLE')
  async export(
    @Query(new ZodValidationPipe(exportAuditEventsQuery, 'query'))
    query: z.output<typeof exportAuditEventsQuery>,
    @AdminCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const exported = await this.rpc.request(auditTrailRpc.exportAuditEvents, { ...query, caller });
    return sendCsvExport(reply, exported);
  }

  @Get('verify')
  @ApiOperation({
    summary: 'Check my console’s hash chain: intact, or the first event that breaks it',
  })
  @ApiReply(200, auditChainReportSchema)
  @ApiErrors('SERVICE_UNAVAILABLE')
  verify(@AdminCaller() caller: Caller) {
    return this.rpc.request(auditTrailRpc.verifyAuditChain, { caller });
  }
}
