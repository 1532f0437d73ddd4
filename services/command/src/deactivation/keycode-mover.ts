import { Injectable } from '@nestjs/common';
import {
  type Caller,
  type CommandState,
  inventoryRpc,
  licensingRpc,
  QUEUES,
} from '@warden/contracts';
import { AuditPublisher, EventPublisher, NatsRpcClient } from '@warden/platform';
import type { Job } from 'bullmq';
import { keycodeMoveJobId } from '../commands/command-ids';
import { CommandRepository, type CommandRecord } from '../commands/command.repository';
import { JobQueues } from '../jobs/job-queues';
import {
  type CommandJob,
  commandJobOptions,
  commandStepAudit,
  deviceFactsOrNull,
  endpointOrNull,
  systemCaller,
} from './command-jobs';

const JOB = 'keycode-move';

/** The source device's hardware key is added once the move has begun (see moveSucceeded). */
interface MoveJob extends CommandJob {
  hardwareKey?: string;
}

/**
 * The end of a change of keycode (journey 13). The agent enrolled into the
 * target site itself (its seat there claimed first) and acknowledged; this
 * job then finds the device's new endpoint there, retires the source
 * endpoint and releases its seat. Without a new endpoint the move is
 * recorded as failed and the source is left as it is: the device is still
 * protected where it was.
 */
@Injectable()
export class KeycodeMover {
  constructor(
    private readonly jobs: JobQueues,
    private readonly commands: CommandRepository,
    private readonly rpc: NatsRpcClient,
    private readonly events: EventPublisher,
    private readonly audit: AuditPublisher,
  ) {
    jobs.work<MoveJob>(QUEUES.keycodeMove, (job) => this.move(job), { concurrency: 8 });
  }

  /** Called before the acknowledgement is recorded; the job waits for it. */
  async schedule(commandId: string): Promise<void> {
    await this.jobs
      .queue<CommandJob>(QUEUES.keycodeMove)
      .add(JOB, { commandId }, commandJobOptions(keycodeMoveJobId(commandId)));
  }

  /** Runs the move now if it waits for a retry (its first run came before the ack was recorded). */
  async promote(commandId: string): Promise<void> {
    const job = await this.jobs.queue(QUEUES.keycodeMove).getJob(keycodeMoveJobId(commandId));
    if (job && (await job.isDelayed())) await job.promote();
  }

  private async move(job: Job<MoveJob>): Promise<string> {
    const command = await this.commands.findById(job.data.commandId);
    if (!command) return 'no such command';
    const state = command.state as CommandState;
    switch (state) {
      case 'pending':
      case 'delivered':
        // The ack that added this job has not recorded its outcome yet: retry.
        throw new Error('the acknowledgement is not recorded yet');
      case 'failed':
      case 'cancelled':
      case 'expired':
        return `command ${state}: nothing to move`;
      case 'succeeded':
        return this.moveSucceeded(job, systemCaller(JOB, command), command);
    }
  }

  private async moveSucceeded(
    job: Job<MoveJob>,
    caller: Caller,
    command: CommandRecord,
  ): Promise<string> {
    const source = await deviceFactsOrNull(this.rpc, caller, command.deviceId);
    if (!source) {
      // Retired by an earlier run that stopped before the release: finish it.
      const hardwareKey = job.data.hardwareKey;
      if (hardwareKey === undefined) return 'source endpoint already retired';
      await this.releaseSource(caller, command.siteId, hardwareKey);
      return 'moved (source seat released on a retry)';
    }
    const keycode = String(command.parameters['keycode']);
    const target = await this.rpc.request(licensingRpc.resolveKeycode, { caller, keycode });
    // The target site may be another console's: asked without the source console.
    const moved = await this.newEndpoint(
      { actor: caller.actor },
      target.siteId,
      source.hardwareKey,
    );
    if (!moved) {
      await this.audited(caller, command, 'endpoint.move-failed', 'failure', {
        toSiteId: target.siteId,
        reason: 'the device has no endpoint in the target site',
      });
      return 'no endpoint in the target site: source kept';
    }
    // The endpoint goes first, then its seat (as a verified deactivation does):
    // the seat reconciliation never sees a live endpoint without a lease. The
    // hardware key is kept with the job, so a run cut off between the two
    // still releases the seat when it runs again.
    await job.updateData({ ...job.data, hardwareKey: source.hardwareKey });
    await this.rpc.request(inventoryRpc.retireEndpoint, {
      caller,
      deviceId: command.deviceId,
      movedTo: { siteId: moved.siteId, deviceId: moved.deviceId },
      commandId: command._id,
    });
    await this.releaseSource(caller, source.siteId, source.hardwareKey);
    await this.audited(caller, command, 'endpoint.moved', 'success', {
      toSiteId: moved.siteId,
      toConsoleId: moved.consoleId,
      toDeviceId: moved.deviceId,
      seatReleased: true,
    });
    return 'moved';
  }

  private async releaseSource(caller: Caller, siteId: string, hardwareKey: string): Promise<void> {
    await this.rpc.request(licensingRpc.releaseSeat, { caller, siteId, hardwareKey });
  }

  private newEndpoint(caller: Caller, siteId: string, hardwareKey: string) {
    return endpointOrNull(
      this.rpc.request(inventoryRpc.deviceByHardwareKey, { caller, siteId, hardwareKey }),
    );
  }

  private async audited(
    caller: Caller,
    command: CommandRecord,
    action: string,
    outcome: 'success' | 'failure',
    after: Record<string, unknown>,
  ): Promise<void> {
    await this.events.publish(
      commandStepAudit(this.audit, caller, command, {
        action,
        outcome,
        after: { hostname: command.hostname, ...after },
      }),
    );
  }
}
