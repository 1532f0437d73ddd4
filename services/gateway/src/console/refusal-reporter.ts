import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { identityRpc } from '@warden/contracts';
import { LOGGER, type Logger, NatsRpcClient } from '@warden/platform';
import { anonymousCaller } from '../auth/console-auth';
import { type FirstRefusal, RateLimiter } from '../edge/rate-limiter';

/**
 * Tells identity when an address first goes over the sign-in limit or the
 * limit of failed authentications in a window, so that it is audited (DESIGN
 * §3: each lockout is audited). Fire and forget: a report that fails is
 * logged and never fails, nor delays, the request that was refused.
 */
@Injectable()
export class RefusalReporter implements OnModuleInit {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly rpc: NatsRpcClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.limiter.onFirstRefusal((refusal) => void this.report(refusal));
  }

  async report({ bucket, ip, windowSeconds }: FirstRefusal): Promise<void> {
    try {
      await this.rpc.request(identityRpc.reportRateLimited, {
        caller: anonymousCaller(ip),
        bucket,
        windowSeconds,
      });
    } catch (error) {
      this.logger.error(
        { bucket, ip, reason: error instanceof Error ? error.message : String(error) },
        'could not report a rate-limited address to identity; it is not audited',
      );
    }
  }
}
