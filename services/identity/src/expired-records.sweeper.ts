import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { LOGGER, type Logger } from '@warden/platform';
import { RecoveryRepository } from './recovery/recovery.repository';
import { LoginAttemptRepository } from './sign-in/login-attempt.repository';
import { TwoFactorSetupRepository } from './two-factor/two-factor-setup.repository';

const SWEEP_EVERY_MS = 10 * 60_000;
/** Kept a while past their end, so a late request still gets "expired" rather than "unknown". */
const KEEP_AFTER_EXPIRY_MS = 24 * 3_600_000;

/**
 * Deletes sign-in records past their life. There is no TTL index (DESIGN §9);
 * expiry is enforced by every read, this only keeps the collections small.
 * Each copy of identity sweeps; deleting twice is harmless.
 */
@Injectable()
export class ExpiredRecordsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly logins: LoginAttemptRepository,
    private readonly setups: TwoFactorSetupRepository,
    private readonly recoveries: RecoveryRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    const before = new Date(Date.now() - KEEP_AFTER_EXPIRY_MS);
    try {
      const counts = await Promise.all([
        this.logins.deleteExpired(before),
        this.setups.deleteExpired(before),
        this.recoveries.deleteExpired(before),
      ]);
      const deleted = counts.reduce((a, b) => a + b, 0);
      if (deleted > 0) this.logger.info({ deleted }, 'expired sign-in records deleted');
    } catch (error) {
      this.logger.warn(
        { reason: (error as Error).message },
        'sweeping expired records failed; next time',
      );
    }
  }
}
