import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { inventoryRpc, QUEUES } from '@warden/contracts';
import { LOGGER, type Logger, NatsRpcClient, newId } from '@warden/platform';
import type { Job, JobSchedulerTemplateOptions, RepeatOptions } from 'bullmq';
import { COMMAND_CONFIG } from '../command.tokens';
import { CommandLifecycle } from '../commands/command-lifecycle';
import type { CommandConfig } from '../config';
import { JobQueues } from '../jobs/job-queues';
import { SiteReporter } from '../reports/site-reporter';
import { housekeepingCaller } from './all-sites';
import { SeatReconciler } from './seat-reconciler';

/** The housekeeping's queues, one routine each. */
export const HOUSEKEEPING_QUEUES = [
  QUEUES.commandExpiry,
  QUEUES.staleEndpoints,
  QUEUES.leaseReconciliation,
  QUEUES.reports,
] as const;
export type HousekeepingQueue = (typeof HOUSEKEEPING_QUEUES)[number];

/** A run added by `runNow` says which tick it stands for; a scheduled one has it in its id. */
export interface HousekeepingJobData {
  scheduledAt?: string;
}

interface Routine {
  repeat: Omit<RepeatOptions, 'key'>;
  options: JobSchedulerTemplateOptions;
  run(tick: Date): Promise<unknown>;
}

/** Runs that failed stay a while for ops to look at; a routine runs often, so only the latest. */
const KEPT_RUNS = { removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } } as const;

/**
 * The time a run stands for: BullMQ names a scheduler's jobs
 * `repeat:<schedulerId>:<scheduled millis>`, the same for whichever copy of
 * the service added or took it; a run added by `runNow` carries its own.
 */
export function scheduledTimeOf(
  job: Pick<Job<HousekeepingJobData>, 'id' | 'data' | 'timestamp'>,
): Date {
  const millis = /^repeat:.+:(\d+)$/.exec(job.id ?? '')?.[1];
  if (millis !== undefined) return new Date(Number(millis));
  if (job.data.scheduledAt !== undefined) return new Date(job.data.scheduledAt);
  return new Date(job.timestamp);
}

/**
 * Repeatable housekeeping (issue 12, DESIGN §4): command expiry and
 * stale-endpoint marking every `housekeepingEveryMs`, seat-lease
 * reconciliation every `reconcileEveryMs`, report e-mails on `reportCron`
 * (UTC). Each routine has one job scheduler under a fixed id, so every copy
 * of the service upserts the same scheduler, each tick is one job, and one
 * worker of one copy runs it.
 */
@Injectable()
export class HousekeepingScheduler implements OnModuleInit, OnApplicationBootstrap {
  private readonly routines: Record<HousekeepingQueue, Routine>;

  constructor(
    private readonly jobs: JobQueues,
    lifecycle: CommandLifecycle,
    reconciler: SeatReconciler,
    reporter: SiteReporter,
    rpc: NatsRpcClient,
    @Inject(COMMAND_CONFIG) config: CommandConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const timing = config.jobs;
    // A missed expiry, marking or reconciliation is made up by the next tick; a
    // report is once a day, so its run is retried (sites already reported skip).
    const everyTick = { ...KEPT_RUNS, attempts: 1 };
    this.routines = {
      [QUEUES.commandExpiry]: {
        repeat: { every: timing.housekeepingEveryMs },
        options: everyTick,
        run: async () => ({ expired: await lifecycle.expireDue(new Date()) }),
      },
      [QUEUES.staleEndpoints]: {
        repeat: { every: timing.housekeepingEveryMs },
        options: everyTick,
        run: () =>
          rpc.request(inventoryRpc.markStale, { caller: housekeepingCaller('stale-endpoints') }),
      },
      [QUEUES.leaseReconciliation]: {
        repeat: { every: timing.reconcileEveryMs },
        options: everyTick,
        run: (tick) => reconciler.reconcileAll(tick),
      },
      [QUEUES.reports]: {
        repeat: { pattern: timing.reportCron, tz: 'UTC' },
        options: { ...KEPT_RUNS, attempts: 6, backoff: { type: 'exponential', delay: 60_000 } },
        run: (tick) => reporter.reportAll(tick),
      },
    };
  }

  onModuleInit(): void {
    for (const queue of HOUSEKEEPING_QUEUES) {
      this.jobs.work<HousekeepingJobData>(queue, (job) => this.process(queue, job));
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(HOUSEKEEPING_QUEUES.map((queue) => this.schedule(queue)));
  }

  /**
   * One run now, outside the schedule (tests, ops): a job on the same queue,
   * so it is still one worker's. `scheduledAt` is the tick it stands for.
   */
  runNow(queue: HousekeepingQueue, scheduledAt: Date = new Date()): Promise<Job> {
    const { options } = this.routines[queue];
    return this.jobs
      .queue<HousekeepingJobData>(queue)
      .add(
        queue,
        { scheduledAt: scheduledAt.toISOString() },
        { ...options, jobId: `now-${newId()}` },
      );
  }

  private async schedule(queue: HousekeepingQueue): Promise<void> {
    const { repeat, options } = this.routines[queue];
    const schedulerId = `housekeeping-${queue}`;
    const jobs = this.jobs.queue<HousekeepingJobData>(queue);
    try {
      await jobs.upsertJobScheduler(schedulerId, repeat, { name: queue, data: {}, opts: options });
    } catch (error) {
      // Another copy's upsert of the same scheduler can collide with a run in
      // progress; the scheduler is there, which is all this needs.
      if (!(await jobs.getJobScheduler(schedulerId))) throw error;
      this.logger.debug({ queue, err: String(error) }, 'housekeeping scheduler already in place');
    }
  }

  private async process(queue: HousekeepingQueue, job: Job<HousekeepingJobData>): Promise<unknown> {
    const tick = scheduledTimeOf(job);
    const result = await this.routines[queue].run(tick);
    this.logger.info(
      { queue, jobId: job.id, tick: tick.toISOString(), result },
      'housekeeping run',
    );
    return result;
  }
}
