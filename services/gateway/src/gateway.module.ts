import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { type Logger, LOGGER, LoggerModule, RpcClientModule } from '@warden/platform';
import type { Redis } from 'ioredis';
import { AGENT_PROVIDERS, AgentController } from './agent/agent.providers';
import { AccessGuard } from './auth/access.guard';
import { ConsoleSessionGuard } from './auth/console-auth';
import { ConsoleSessionStrategy } from './auth/console-session.strategy';
import { OpsTokenGuard } from './auth/ops-auth';
import { OpsTokenStrategy } from './auth/ops-token.strategy';
import { RouteAccessCheck } from './auth/route-access.check';
import { SessionRevocations } from './auth/session-revocations';
import type { GatewayConfig } from './config';
import { ActivationController } from './console/activation.controller';
import { AdministratorsController } from './console/administrators.controller';
import { AuditTrailController } from './console/audit-trail.controller';
import { CommandsController } from './console/commands.controller';
import { EndpointsController } from './console/endpoints.controller';
import { GroupsController } from './console/groups.controller';
import { IdentityClient } from './console/identity-client';
import { MeController } from './console/me.controller';
import { RecoveryController } from './console/recovery.controller';
import { RefusalReporter } from './console/refusal-reporter';
import { PoliciesController } from './console/policies.controller';
import { SettingsController } from './console/settings.controller';
import { SiteResolvers } from './console/site-resolvers';
import { SignInController } from './console/sign-in.controller';
import { RateLimiter } from './edge/rate-limiter';
import { RouteTable } from './edge/route-table';
import { GATEWAY_CONFIG, GATEWAY_REDIS } from './gateway.tokens';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { AgentBundle } from './installers/agent-bundle';
import { InstallersController } from './installers/installers.controller';
import { RequestShapeGuard } from './http/request-shape.guard';
import { OpsAuditController } from './ops/ops-audit.controller';
import { OpsConsolesController } from './ops/ops-consoles.controller';
import { OpsSitesController } from './ops/ops-sites.controller';

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(GATEWAY_REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    // quit() waits for a connection that may never come; disconnect() also stops reconnecting.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}

/** What the HTTP edge built before Nest (Fastify hooks need them first). */
export interface GatewayEdge {
  redis: Redis;
  limiter: RateLimiter;
  routes: RouteTable;
}

@Module({})
export class GatewayModule {
  static register(config: GatewayConfig, logger: Logger, edge: GatewayEdge): DynamicModule {
    return {
      module: GatewayModule,
      global: true,
      imports: [
        // The routes' declarations are walked once at start (RouteAccessCheck).
        DiscoveryModule,
        LoggerModule.forRoot(logger),
        RpcClientModule.forRoot({
          url: config.natsUrl,
          name: 'warden-gateway',
          timeoutMs: config.rpcTimeoutMs,
        }),
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: GATEWAY_REDIS, useValue: edge.redis },
        { provide: RateLimiter, useValue: edge.limiter },
        { provide: RouteTable, useValue: edge.routes },
        RedisCloser,
        HealthService,
        OpsTokenStrategy,
        OpsTokenGuard,
        ConsoleSessionStrategy,
        ConsoleSessionGuard,
        {
          provide: SessionRevocations,
          useFactory: (redis: Redis, log: Logger) =>
            new SessionRevocations(redis, config.redisKeyPrefix, log),
          inject: [GATEWAY_REDIS, LOGGER],
        },
        IdentityClient,
        RefusalReporter,
        SiteResolvers,
        ...AGENT_PROVIDERS,
        AgentBundle,
        // Deny by default: every route must declare who may call it, or the gateway does not start.
        RouteAccessCheck,
        { provide: APP_GUARD, useClass: AccessGuard },
        // Then refuses, on every route alike, query parameters and bodies it does not declare.
        { provide: APP_GUARD, useClass: RequestShapeGuard },
      ],
      exports: [GATEWAY_CONFIG, RouteTable],
      controllers: [
        HealthController,
        OpsConsolesController,
        OpsSitesController,
        OpsAuditController,
        ActivationController,
        SignInController,
        RecoveryController,
        MeController,
        AdministratorsController,
        SettingsController,
        PoliciesController,
        AuditTrailController,
        EndpointsController,
        GroupsController,
        CommandsController,
        InstallersController,
        AgentController,
      ],
    };
  }
}
