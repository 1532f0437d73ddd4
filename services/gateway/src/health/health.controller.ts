import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HealthService, type SystemHealth } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({
    summary: 'Status of every service and its dependencies',
    description: '200 when everything is up, 503 when any service or dependency is down.',
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<SystemHealth> {
    const health = await this.health.check();
    void reply.status(health.status === 'up' ? 200 : 503);
    return health;
  }

  @Get('live')
  @ApiOperation({ summary: 'The gateway process itself answers (liveness probe)' })
  live(): { status: 'up' } {
    return { status: 'up' };
  }
}
