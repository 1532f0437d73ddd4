import type { Logger } from '@warden/platform';

// One line per this long while a dependency is unreachable, not one per request.
const OUTAGE_LOG_EVERY_MS = 10_000;

/**
 * The error log of a dependency the gateway goes on without (Redis: rate
 * limits, session revocations): at most one line per 10 s, however many
 * requests meet the outage.
 */
export class OutageLog {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
  ) {}

  report(error: unknown, context: Record<string, unknown> = {}): void {
    const now = Date.now();
    if (now - this.last < OUTAGE_LOG_EVERY_MS) return;
    this.last = now;
    this.logger.error(
      { ...context, reason: error instanceof Error ? error.message : String(error) },
      this.message,
    );
  }
}
