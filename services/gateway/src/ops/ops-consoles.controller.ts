import {
  Body,
  Controller,
  createParamDecorator,
  type ExecutionContext,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditContext, idSchema, licensingRpc } from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { OperatorAudit, OpsAuthenticated } from '../auth/ops-auth';
import { ApiZodBody, ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import {
  createConsoleBody,
  createSiteBody,
  extendTrialBody,
  idempotencyKeyHeader,
  listConsolesQuery,
} from './ops.schemas';

const idempotencyKeyPipe = new ZodValidationPipe(idempotencyKeyHeader, 'Idempotency-Key header');
/** The caller's Idempotency-Key, or a fresh one: without a key, a retry creates again. */
const IdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    idempotencyKeyPipe.transform(
      context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'],
    ) ?? randomUUID(),
);

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'retries with the same key create it once',
};

const ConsoleId = () => Param('consoleId', new ZodValidationPipe(idSchema, 'consoleId'));

/** The provider's view of consoles (tenants): open, list, suspend, resume, convert. */
@ApiTags('ops: consoles')
@OpsAuthenticated()
@Controller('ops/v1/consoles')
export class OpsConsolesController {
  constructor(private readonly rpc: NatsRpcClient) {}

  @Post()
  @ApiOperation({ summary: 'Open a console with its first site (keycode and seats)' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiZodBody(createConsoleBody)
  create(
    @Body(new ZodValidationPipe(createConsoleBody, 'body'))
    body: z.output<typeof createConsoleBody>,
    @IdempotencyKey() idempotencyKey: string,
    @OperatorAudit() audit: AuditContext,
  ) {
    return this.rpc.request(licensingRpc.createConsole, {
      ...body,
      audit,
      idempotencyKey,
    });
  }

  @Get()
  @ApiOperation({ summary: 'List consoles, oldest first, by pages' })
  @ApiZodQuery(listConsolesQuery)
  list(
    @Query(new ZodValidationPipe(listConsolesQuery, 'query'))
    query: z.output<typeof listConsolesQuery>,
  ) {
    return this.rpc.request(licensingRpc.listConsoles, query);
  }

  @Get(':consoleId')
  @ApiOperation({ summary: 'A console with its sites and seat usage' })
  get(@ConsoleId() consoleId: string) {
    return this.rpc.request(licensingRpc.getConsole, { consoleId });
  }

  @Get(':consoleId/usage')
  @ApiOperation({ summary: 'Seats, used, free and overage, per site and in total' })
  async usage(@ConsoleId() consoleId: string) {
    const detail = await this.rpc.request(licensingRpc.getConsole, { consoleId });
    return {
      consoleId,
      usage: detail.usage,
      sites: detail.sites.map((site) => ({ siteId: site.id, name: site.name, usage: site.usage })),
    };
  }

  @Post(':consoleId/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend: agents can no longer enrol' })
  suspend(@ConsoleId() consoleId: string, @OperatorAudit() audit: AuditContext) {
    return this.rpc.request(licensingRpc.suspendConsole, { consoleId, audit });
  }

  @Post(':consoleId/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a suspended console' })
  resume(@ConsoleId() consoleId: string, @OperatorAudit() audit: AuditContext) {
    return this.rpc.request(licensingRpc.resumeConsole, { consoleId, audit });
  }

  @Post(':consoleId/convert')
  @HttpCode(200)
  @ApiOperation({ summary: 'Convert a trial console to production' })
  convert(@ConsoleId() consoleId: string, @OperatorAudit() audit: AuditContext) {
    return this.rpc.request(licensingRpc.convertConsole, { consoleId, audit });
  }

  @Post(':consoleId/trial/extend')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Extend a trial by some days, from its end or from now if it has ended',
  })
  @ApiHeader({ ...IDEMPOTENCY_HEADER, description: 'retries with the same key extend it once' })
  @ApiZodBody(extendTrialBody)
  extendTrial(
    @ConsoleId() consoleId: string,
    @Body(new ZodValidationPipe(extendTrialBody, 'body')) body: z.output<typeof extendTrialBody>,
    @IdempotencyKey() idempotencyKey: string,
    @OperatorAudit() audit: AuditContext,
  ) {
    return this.rpc.request(licensingRpc.extendTrial, {
      ...body,
      consoleId,
      audit,
      idempotencyKey,
    });
  }

  @Post(':consoleId/sites')
  @ApiOperation({ summary: 'Add a site (with its own keycode and seats) to a console' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiZodBody(createSiteBody)
  addSite(
    @ConsoleId() consoleId: string,
    @Body(new ZodValidationPipe(createSiteBody, 'body')) body: z.output<typeof createSiteBody>,
    @IdempotencyKey() idempotencyKey: string,
    @OperatorAudit() audit: AuditContext,
  ) {
    return this.rpc.request(licensingRpc.createSite, {
      ...body,
      consoleId,
      audit,
      idempotencyKey,
    });
  }
}
