import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  auditChainReportSchema,
  auditEventPageSchema,
  auditTrailRpc,
  type Caller,
  licensingRpc,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { opsExportAuditEventsQuery, opsListAuditEventsQuery } from '../audit/audit-trail.schemas';
import { ApiCsvExport, sendCsvExport } from '../audit/csv-export';
import { OperatorCaller, OpsAuthenticated } from '../auth/ops-auth';
import { IdParam } from '../http/id-param';
import { ApiErrors, ApiReply, ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';

/** The provider's view of the audit trail: one console's, or every console's and the platform's. */
@ApiTags('ops: audit trail')
@OpsAuthenticated()
@Controller('ops/v1')
export class OpsAuditController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Get('audit-events')
  @ApiOperation({
    summary: 'Audit events, newest recorded first, filtered, by pages',
    description:
      'Of one console (`consoleId`), or of every console and the platform’s own when absent.',
  })
  @ApiZodQuery(opsListAuditEventsQuery)
  @ApiReply(200, auditEventPageSchema, 'a page; `nextCursor` is the `cursor` of the next one')
  @ApiErrors('SERVICE_UNAVAILABLE')
  list(
    @Query(new ZodValidationPipe(opsListAuditEventsQuery, 'query'))
    query: z.output<typeof opsListAuditEventsQuery>,
    @OperatorCaller() caller: Caller,
  ) {
    return this.rpc.request(auditTrailRpc.listAuditEvents, { ...query, caller });
  }

  @Get('audit-events/export')
  @ApiOperation({
    summary: 'The same events as CSV',
    description: 'At most 10 000 rows: `X-Truncated: true` says more matched.',
  })
  @ApiZodQuery(opsExportAuditEventsQuery)
  @ApiCsvExport()
  @ApiErrors('SERVICE_UNAVAILABLE')
  async export(
    @Query(new ZodValidationPipe(opsExportAuditEventsQuery, 'query'))
    query: z.output<typeof opsExportAuditEventsQuery>,
    @OperatorCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const exported = await this.rpc.request(auditTrailRpc.exportAuditEvents, { ...query, caller });
    return sendCsvExport(reply, exported);
  }

  @Get('consoles/:consoleId/audit-events/verify')
  @ApiOperation({
    summary: 'Check a console’s hash chain: intact, or the first event that breaks it',
  })
  @ApiReply(200, auditChainReportSchema)
  @ApiErrors('CONSOLE_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  async verify(@IdParam('consoleId') consoleId: string, @OperatorCaller() caller: Caller) {
    // Licensing knows which consoles exist: an unknown id is 404, not an empty chain.
    const [, report] = await Promise.all([
      this.rpc.request(licensingRpc.getConsole, { consoleId, caller }),
      this.rpc.request(auditTrailRpc.verifyAuditChain, { consoleId, caller }),
    ]);
    return report;
  }
}
