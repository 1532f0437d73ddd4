import { Inject, Injectable } from '@nestjs/common';
import {
  type Caller,
  type CommandState,
  type DeviceFacts,
  identityRpc,
  licensingRpc,
  QUEUES,
} from '@warden/contracts';
import {
  AuditPublisher,
  derivedEventId,
  EventPublisher,
  LOGGER,
  type Logger,
  MailQueue,
  NatsRpcClient,
} from '@warden/platform';
import type { Job } from 'bullmq';
import { COMMAND_CONFIG } from '../command.tokens';
import { verificationJobId } from '../commands/command-ids';
import { CommandRepository, type CommandRecord } from '../commands/command.repository';
import type { CommandConfig } from '../config';
import { JobQueues } from '../jobs/job-queues';
import {
  type CommandJob,
  commandJobOptions,
  commandStepAudit,
  deviceFactsOrNull,
  runAgainAt,
  setLifecycle,
  systemCaller,
} from './command-jobs';
import { type MailLanguage, removalUnverifiedMail } from './removal-unverified-mail';

const JOB = 'deactivation-verify';

export interface VerificationResult {
  outcome: string;
  dueAt: string | null;
  startedAt: string;
}
const JOBS_PER_ADD = 1_000;
const DEVICES_PER_LIFECYCLE_CHANGE = 5_000;
/** At most this many addresses on one alert e-mail (the mail contract's limit). */
const RECIPIENTS_PER_MAIL = 20;

/**
 * Verified deactivation (DESIGN §6, journey 11). Issuing `deactivate` moves
 * the endpoint to `deactivation_pending` and adds a delayed job, one per
 * command (its id is derived from the command's). The job frees the seat
 * only when the device acknowledged and has not checked in for the grace
 * period since: first the endpoint becomes `deactivated` (into "Deactivated
 * devices", its token revoked), then the seat is released, so the
 * reconciliation never sees a live endpoint without a lease. Each step is
 * idempotent and the job starts from what it reads, so a run cut off at any
 * point and run again has the effect once.
 */
@Injectable()
export class DeactivationVerifier {
  constructor(
    private readonly jobs: JobQueues,
    private readonly commands: CommandRepository,
    private readonly rpc: NatsRpcClient,
    private readonly events: EventPublisher,
    private readonly audit: AuditPublisher,
    private readonly mail: MailQueue,
    @Inject(COMMAND_CONFIG) private readonly config: CommandConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // A run mostly waits for other services' answers: many at once, so jobs
    // coming due together (a bulk's acks) start on time rather than queue
    // behind each other here (bench: 64 at once, 300 due within a second
    // under check-in load, started p50 545 ms / p99 874 ms late).
    jobs.work<CommandJob>(QUEUES.deactivationVerify, (job, token) => this.verify(job, token), {
      concurrency: 256,
    });
  }

  private get graceMs(): number {
    return this.config.jobs.deactivationGraceMs;
  }

  /** After the commands are written: the endpoints are being deactivated, and each is checked later. */
  async issued(caller: Caller, commands: readonly CommandRecord[]): Promise<void> {
    if (commands.length === 0) return;
    // In chunks: a NATS message is at most 1 MiB.
    for (let i = 0; i < commands.length; i += DEVICES_PER_LIFECYCLE_CHANGE) {
      await setLifecycle(this.rpc, caller, {
        deviceIds: commands
          .slice(i, i + DEVICES_PER_LIFECYCLE_CHANGE)
          .map((command) => command.deviceId),
        from: ['active', 'removal_unverified'],
        to: 'deactivation_pending',
        ...(commands.length === 1 ? { commandId: commands[0]!._id } : {}),
      });
    }
    const queue = this.jobs.queue<CommandJob>(QUEUES.deactivationVerify);
    for (let i = 0; i < commands.length; i += JOBS_PER_ADD) {
      await queue.addBulk(
        commands.slice(i, i + JOBS_PER_ADD).map((command) => ({
          name: JOB,
          data: { commandId: command._id },
          opts: commandJobOptions(verificationJobId(command._id), this.graceMs),
        })),
      );
    }
  }

  /**
   * The device acknowledged: the verification is due a grace period from
   * the ack, not from the issue (its run then would only put it off again, at
   * about the time the others come due).
   */
  async acknowledged(commandId: string, acknowledgedAt: Date): Promise<void> {
    const job = await this.verificationJob(commandId);
    if (job && (await job.isDelayed())) {
      // From the ack's time, not from now: what ran between them is not added to the wait.
      await job.changeDelay(Math.max(0, acknowledgedAt.getTime() + this.graceMs - Date.now()));
    }
  }

  /** Runs the command's verification now (it was cancelled, expired or failed). */
  async promote(commandId: string): Promise<void> {
    const job = await this.verificationJob(commandId);
    if (job && (await job.isDelayed())) await job.promote();
  }

  private verificationJob(commandId: string) {
    return this.jobs.queue(QUEUES.deactivationVerify).getJob(verificationJobId(commandId));
  }

  /**
   * The run's outcome, when the verification was due (the ack plus the grace
   * period; null when there was none to make) and when this run started:
   * the bench reads the lateness from the finished job.
   */
  private async verify(
    job: Job<CommandJob>,
    token: string | undefined,
  ): Promise<VerificationResult> {
    const startedAt = new Date().toISOString();
    const command = await this.commands.findById(job.data.commandId);
    if (!command) return { outcome: 'no such command', dueAt: null, startedAt };
    const caller = systemCaller(JOB, command);
    const state = command.state as CommandState;
    switch (state) {
      case 'pending':
      case 'delivered':
        // Still waiting for the device; expiry (housekeeping) ends an undelivered one.
        return runAgainAt(job, token, Date.now() + this.graceMs);
      case 'succeeded': {
        const acknowledgedAt = command.completedAt ?? command.createdAt;
        const due = acknowledgedAt.getTime() + this.graceMs;
        if (Date.now() < due) return runAgainAt(job, token, due);
        const outcome = await this.afterAcknowledgement(caller, command, acknowledgedAt);
        return { outcome, dueAt: new Date(due).toISOString(), startedAt };
      }
      case 'failed':
      case 'cancelled':
      case 'expired':
        await setLifecycle(this.rpc, caller, {
          deviceIds: [command.deviceId],
          from: ['deactivation_pending'],
          to: 'active',
          commandId: command._id,
        });
        return { outcome: `command ${state}: endpoint active again`, dueAt: null, startedAt };
    }
  }

  private async afterAcknowledgement(
    caller: Caller,
    command: CommandRecord,
    acknowledgedAt: Date,
  ): Promise<string> {
    const facts = await deviceFactsOrNull(this.rpc, caller, command.deviceId);
    if (!facts) return 'endpoint gone';
    // Deactivated by an earlier run cut off before it released the seat.
    if (facts.lifecycle === 'deactivated') return this.releaseSeat(caller, command, facts);
    if (new Date(facts.lastSeenAt) > acknowledgedAt) {
      await this.removalUnverified(caller, command, facts, acknowledgedAt);
      return 'removal unverified';
    }
    const changed = await setLifecycle(this.rpc, caller, {
      deviceIds: [command.deviceId],
      from: ['deactivation_pending', 'removal_unverified'],
      to: 'deactivated',
      commandId: command._id,
    });
    if (changed === 0) {
      const current = await deviceFactsOrNull(this.rpc, caller, command.deviceId);
      if (current?.lifecycle !== 'deactivated') {
        this.logger.warn(
          { commandId: command._id, lifecycle: current?.lifecycle ?? null },
          'deactivation not verified: the endpoint is no longer being deactivated; seat kept',
        );
        return 'endpoint not being deactivated: seat kept';
      }
    }
    return this.releaseSeat(caller, command, facts);
  }

  private async releaseSeat(
    caller: Caller,
    command: CommandRecord,
    facts: DeviceFacts,
  ): Promise<string> {
    const { released } = await this.rpc.request(licensingRpc.releaseSeat, {
      caller,
      siteId: facts.siteId,
      hardwareKey: facts.hardwareKey,
    });
    await this.events.publish(
      commandStepAudit(this.audit, caller, command, {
        action: 'endpoint.deactivation-verified',
        siteId: facts.siteId,
        after: { hostname: facts.hostname, seatReleased: true },
      }),
    );
    return released ? 'seat released' : 'seat already released';
  }

  private async removalUnverified(
    caller: Caller,
    command: CommandRecord,
    facts: DeviceFacts,
    acknowledgedAt: Date,
  ): Promise<void> {
    await setLifecycle(this.rpc, caller, {
      deviceIds: [command.deviceId],
      from: ['deactivation_pending'],
      to: 'removal_unverified',
      commandId: command._id,
    });
    await this.events.publish(
      commandStepAudit(this.audit, caller, command, {
        action: 'endpoint.removal-unverified',
        siteId: facts.siteId,
        after: {
          hostname: facts.hostname,
          acknowledgedAt: acknowledgedAt.toISOString(),
          lastSeenAt: facts.lastSeenAt,
        },
      }),
    );
    await this.alert(caller, command, facts, acknowledgedAt);
  }

  /** One e-mail per language (and per 20 addresses), each with an id derived from the command. */
  private async alert(
    caller: Caller,
    command: CommandRecord,
    facts: DeviceFacts,
    acknowledgedAt: Date,
  ): Promise<void> {
    const { recipients } = await this.rpc.request(identityRpc.alertRecipients, {
      caller,
      consoleId: command.consoleId,
      siteId: facts.siteId,
    });
    const byLanguage = new Map<MailLanguage, string[]>();
    for (const { email, language } of recipients) {
      byLanguage.set(language, [...(byLanguage.get(language) ?? []), email]);
    }
    for (const [language, addresses] of byLanguage) {
      const rendered = removalUnverifiedMail(language, {
        hostname: facts.hostname,
        acknowledgedAt,
        lastSeenAt: new Date(facts.lastSeenAt),
      });
      for (let i = 0; i < addresses.length; i += RECIPIENTS_PER_MAIL) {
        await this.mail.enqueue({
          messageId: derivedEventId(`mail:removal-unverified:${command._id}:${language}:${i}`),
          to: addresses.slice(i, i + RECIPIENTS_PER_MAIL),
          language,
          template: 'removal-unverified',
          ...rendered,
        });
      }
    }
    if (recipients.length === 0) {
      this.logger.warn(
        { commandId: command._id, siteId: facts.siteId },
        'removal unverified and nobody to alert',
      );
    }
  }
}
