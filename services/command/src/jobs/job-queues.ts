import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { QueueName } from '@warden/contracts';
import { LOGGER, type Logger } from '@warden/platform';
import { type Processor, Queue, Worker, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { CommandConfig } from '../config';
import { COMMAND_CONFIG } from '../command.tokens';

/**
 * The name the command service's job connections give themselves in Redis
 * (`CLIENT LIST`): which connections are whose, for ops and for the test that
 * cuts them.
 */
export function jobConnectionName(queuePrefix: string): string {
  return `warden-command-jobs-${queuePrefix}`;
}

/** A worker's processor and options, registered before the application starts. */
interface WorkerSpec {
  name: QueueName;
  processor: Processor;
  options: Omit<WorkerOptions, 'connection' | 'prefix'>;
}

/**
 * The command service's BullMQ queues and workers (DESIGN §4), on one Redis:
 * producers share one fail-fast connection; every worker has its own
 * blocking one, as BullMQ requires. Workers registered with `work()` start
 * once the application is up and stop, letting the jobs they run finish, when
 * it shuts down; a job cut off by a crash is handed out again by BullMQ's
 * stalled-job check. A Redis connection that drops is reconnected by ioredis;
 * jobs wait in Redis meanwhile.
 */
@Injectable()
export class JobQueues implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly producer: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly specs: WorkerSpec[] = [];
  private readonly workers: { worker: Worker; connection: Redis }[] = [];

  constructor(
    @Inject(COMMAND_CONFIG) private readonly config: CommandConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.producer = new Redis(config.redisUrl, {
      maxRetriesPerRequest: 3,
      connectionName: jobConnectionName(config.jobs.queuePrefix),
    });
    this.producer.on('error', (error) =>
      this.logger.warn({ err: error.message }, 'job queues: Redis error'),
    );
  }

  /** The queue to add jobs to (one instance per name). */
  queue<Data = unknown>(name: QueueName): Queue<Data> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.producer, prefix: this.config.jobs.queuePrefix });
      queue.on('error', (error) =>
        this.logger.warn({ queue: name, err: error.message }, 'job queue: Redis error'),
      );
      this.queues.set(name, queue);
    }
    return queue as Queue<Data>;
  }

  /** Registers a worker; call from a constructor or `onModuleInit` (workers start at bootstrap). */
  work<Data>(
    name: QueueName,
    processor: Processor<Data>,
    options: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
  ): void {
    this.specs.push({ name, processor: processor as Processor, options });
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const spec of this.specs) {
      // Workers block on Redis: BullMQ requires maxRetriesPerRequest: null.
      const connection = new Redis(this.config.redisUrl, {
        maxRetriesPerRequest: null,
        connectionName: jobConnectionName(this.config.jobs.queuePrefix),
      });
      const worker = new Worker(spec.name, spec.processor, {
        ...spec.options,
        connection,
        prefix: this.config.jobs.queuePrefix,
      });
      worker.on('error', (error) =>
        this.logger.warn({ queue: spec.name, err: error.message }, 'job worker: Redis error'),
      );
      worker.on('failed', (job, error) =>
        this.logger.warn(
          { queue: spec.name, jobId: job?.id, attempts: job?.attemptsMade, err: error.message },
          'job attempt failed',
        ),
      );
      this.workers.push({ worker, connection });
    }
    await Promise.all(this.workers.map(({ worker }) => worker.waitUntilReady()));
  }

  async onApplicationShutdown(): Promise<void> {
    const grace = this.config.shutdownGraceMs;
    await Promise.all(
      this.workers.splice(0).map(async ({ worker, connection }) => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((done) => {
          timer = setTimeout(() => done('late'), grace);
        });
        const outcome = await Promise.race([worker.close(), late]);
        clearTimeout(timer);
        if (outcome === 'late') {
          this.logger.warn(
            { queue: worker.name },
            'jobs still running at shutdown; BullMQ hands them out again',
          );
        }
        connection.disconnect();
      }),
    );
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
    await this.producer.quit().catch(() => this.producer.disconnect());
  }
}
