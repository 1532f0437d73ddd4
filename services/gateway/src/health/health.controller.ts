import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HealthStatus } from '@warden/contracts';
import type { FastifyReply } from 'fastify';
import { OpsAuthenticated } from '../auth/ops-auth';
import { Public } from '../auth/route-access';
import { ApiErrors, ApiReply } from '../http/openapi';
import {
  downReply,
  type SystemHealthReply,
  systemDownReply,
  systemUpReply,
  upReply,
} from './health.replies';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Whether the whole system is up',
    description: '200 `{status: "up"}` when every service is up, else 503 `{status: "down"}`.',
  })
  @ApiReply(200, upReply, 'every service is up')
  @ApiReply(503, downReply, 'some service is down')
  @ApiErrors()
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: HealthStatus }> {
    const status = await this.health.status();
    void reply.status(status === 'up' ? 200 : 503);
    return { status };
  }

  @Get('details')
  @OpsAuthenticated()
  @ApiOperation({
    summary: 'Status of every service and its dependencies (operator token)',
    description: '200 when everything is up, 503 when any service or dependency is down.',
  })
  @ApiReply(200, systemUpReply, 'every service is up')
  @ApiReply(503, systemDownReply, 'some service is down')
  @ApiErrors()
  async details(@Res({ passthrough: true }) reply: FastifyReply): Promise<SystemHealthReply> {
    const health = await this.health.check();
    void reply.status(health.status === 'up' ? 200 : 503);
    return health;
  }

  @Get('live')
  // A probe that does no work: never rate-limited, so a kubelet is never refused.
  @Public({ rateLimit: false })
  @ApiOperation({ summary: 'The gateway process itself answers (liveness probe)' })
  @ApiReply(200, upReply, 'the gateway process answers')
  @ApiErrors()
  live(): { status: 'up' } {
    return { status: 'up' };
  }
}
