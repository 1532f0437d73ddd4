import { Inject, Injectable } from '@nestjs/common';
import {
  type AcknowledgeReply,
  type Caller,
  commandEvents,
  type CommandOutcome,
  MAILBOX_EVENT_CHUNK,
} from '@warden/contracts';
import {
  AuditPublisher,
  derivedEventId,
  EventPublisher,
  LOGGER,
  type Logger,
  type PreparedEvent,
} from '@warden/platform';
import { DeactivationVerifier } from '../deactivation/deactivation-verifier';
import { KeycodeMover } from '../deactivation/keycode-mover';
import { CommandRepository, type CommandRecord } from './command.repository';
import { commandNotCancellable, commandNotFound } from './command.errors';
import { toCommand } from './command.view';

const HOUSEKEEPING: Caller = { actor: { type: 'system', id: 'command-expiry' } };
const EXPIRY_BATCH = 500;
/** Ending a command takes milliseconds: one still in its mailbox after this was cut off. */
const REPAIR_AFTER_MS = 10_000;

/**
 * How commands end: acknowledged by their device, cancelled by an
 * administrator, or expired undelivered. Each end is a compare-and-set on
 * the command's state, then the command leaves its device's mailbox, the
 * gateways are told (`mailboxChanged`), and the outcome is audited and
 * announced (`commandCompleted`) under ids derived from the command, so an
 * end finished again after an interruption is stored once.
 */
@Injectable()
export class CommandLifecycle {
  constructor(
    private readonly commands: CommandRepository,
    private readonly events: EventPublisher,
    private readonly audit: AuditPublisher,
    private readonly verifier: DeactivationVerifier,
    private readonly mover: KeycodeMover,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * The device's acknowledgement. Idempotent: a duplicate, or one after the
   * command was cancelled or expired, changes nothing and says why.
   */
  async acknowledge(
    caller: Caller,
    request: { deviceId: string; commandId: string; outcome: CommandOutcome; message: string },
  ): Promise<AcknowledgeReply> {
    const command = await this.commands.findById(request.commandId);
    if (!command || command.deviceId !== request.deviceId) throw commandNotFound(request.commandId);
    if (isFinal(command)) return this.alreadyEnded(caller, command);
    if (command.type === 'change_keycode' && request.outcome === 'succeeded') {
      // Before the compare-and-set: once it is recorded, the move must follow
      // even if this process stops now. The job does nothing until it is.
      await this.mover.schedule(command._id);
    }
    const now = new Date();
    const completion = {
      state: request.outcome,
      completedAt: now,
      resultMessage: request.message === '' ? null : request.message,
    };
    // An ack may overtake the gateway's delivery report (batched each second):
    // then it marks the delivery too. A command read as delivered stays so
    // until it ends, so one compare-and-set then suffices.
    const fromPending = () =>
      this.commands.changeState(command._id, 'pending', { ...completion, deliveredAt: now });
    const fromDelivered = () => this.commands.changeState(command._id, 'delivered', completion);
    const ended =
      command.state === 'pending'
        ? ((await fromPending()) ?? (await fromDelivered()))
        : await fromDelivered();
    if (!ended) {
      const current = await this.commands.findById(command._id);
      if (!current || !isFinal(current)) {
        throw new Error(`command ${command._id} moved without ending`);
      }
      return this.alreadyEnded(caller, current);
    }
    await this.ended(caller, [ended]);
    return {
      commandId: ended._id,
      state: ended.state as CommandOutcome,
      recorded: true,
      reason: null,
    };
  }

  /** Only while pending (COMMAND_NOT_CANCELLABLE once delivered or ended). */
  async cancel(caller: Caller, command: CommandRecord): Promise<CommandRecord> {
    const cancelled = await this.commands.changeState(command._id, 'pending', {
      state: 'cancelled',
      completedAt: new Date(),
      resultMessage: `cancelled by ${caller.actor.type} ${caller.actor.id}`,
    });
    if (!cancelled) {
      const current = await this.commands.findById(command._id);
      if (!current) throw commandNotFound(command._id);
      throw commandNotCancellable(command._id, current.state);
    }
    await this.ended(caller, [cancelled]);
    return cancelled;
  }

  /**
   * Expires undelivered commands past `expiresAt` (called by the housekeeping
   * job). Returns how many expired now. A command delivered or ended in the
   * meantime is left alone by its compare-and-set.
   */
  async expireDue(now: Date): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.commands.dueForExpiry(now, EXPIRY_BATCH);
      const ended: CommandRecord[] = [];
      for (const command of due) {
        // A delivered command never acknowledged expires too: a `deactivate`
        // whose agent died mid-way would otherwise hold its endpoint in
        // `deactivation_pending` (and out of every new command) for good.
        const from = command.state === 'delivered' ? 'delivered' : 'pending';
        const changed = await this.commands.changeState(command._id, from, {
          state: 'expired',
          completedAt: now,
          resultMessage:
            from === 'pending'
              ? 'not delivered before it expired'
              : 'delivered but not acknowledged before it expired',
        });
        if (changed) ended.push(changed);
      }
      await this.ended(HOUSEKEEPING, ended);
      expired += ended.length;
      if (due.length < EXPIRY_BATCH) return expired;
    }
  }

  /** Tells every gateway these devices' mailboxes changed, in chunks the event allows. */
  async mailboxesChanged(deviceIds: readonly string[]): Promise<void> {
    const unique = [...new Set(deviceIds)];
    const chunks: PreparedEvent[] = [];
    for (let i = 0; i < unique.length; i += MAILBOX_EVENT_CHUNK) {
      chunks.push(
        this.events.prepare(commandEvents.mailboxChanged, {
          deviceIds: unique.slice(i, i + MAILBOX_EVENT_CHUNK),
        }),
      );
    }
    if (chunks.length > 0) await this.events.publish(...chunks);
  }

  /**
   * A duplicate or late ack. If the command ended a while ago and is still
   * in its mailbox, whatever ended it was cut off before it finished: finish
   * it (the events go again under the same ids, stored once). A command that
   * ended a moment ago is left to what is ending it.
   */
  private async alreadyEnded(caller: Caller, command: CommandRecord): Promise<AcknowledgeReply> {
    const endedAt = command.completedAt?.getTime() ?? 0;
    if (Date.now() - endedAt > REPAIR_AFTER_MS) {
      const changed = await this.commands.removeFromMailboxes([
        { deviceId: command.deviceId, commandId: command._id },
      ]);
      if (changed.length > 0) await this.ended(caller, [command]);
    }
    const reason =
      command.state === 'cancelled' || command.state === 'expired'
        ? command.state
        : 'already_acknowledged';
    return {
      commandId: command._id,
      state: command.state as AcknowledgeReply['state'],
      recorded: false,
      reason,
    };
  }

  private async ended(caller: Caller, ended: readonly CommandRecord[]): Promise<void> {
    if (ended.length === 0) return;
    const changed = await this.commands.removeFromMailboxes(
      ended.map((command) => ({ deviceId: command.deviceId, commandId: command._id })),
    );
    await this.mailboxesChanged(changed);
    // Facts of their own (an audit entry, a completion per command): no order among them.
    await this.events.publishIndependent(
      ended.flatMap((command) => this.endEvents(caller, command)),
    );
    for (const command of ended) {
      await this.promoteFollowUp(command).catch((error: unknown) =>
        this.logger.warn(
          { commandId: command._id, err: String(error) },
          'follow-up job not promoted; it runs at its time',
        ),
      );
    }
  }

  private endEvents(caller: Caller, command: CommandRecord): PreparedEvent[] {
    const action = `command.${command.state}`;
    return [
      this.audit.prepare({
        caller,
        consoleId: command.consoleId,
        siteId: command.siteId,
        action,
        target: { type: 'command', id: command._id },
        before: null,
        after: {
          type: command.type,
          deviceId: command.deviceId,
          hostname: command.hostname,
          state: command.state,
          resultMessage: command.resultMessage,
        },
        eventId: derivedEventId(`${command._id}:audit:${action}`),
        ...(command.completedAt ? { occurredAt: command.completedAt } : {}),
      }),
      this.events.prepare(
        commandEvents.commandCompleted,
        { command: toCommand(command) },
        { eventId: derivedEventId(`${command._id}:completed`) },
      ),
    ];
  }

  /** What waits on the command's end runs when it is due now, not at its next try. */
  private async promoteFollowUp(command: CommandRecord): Promise<void> {
    if (command.type === 'deactivate') {
      // One that will not happen puts the endpoint back to active at once.
      if (command.state === 'succeeded') {
        await this.verifier.acknowledged(command._id, command.completedAt ?? new Date());
      } else await this.verifier.promote(command._id);
    }
    // The move's first run may have come before the ack was recorded.
    if (command.type === 'change_keycode' && command.state === 'succeeded') {
      await this.mover.promote(command._id);
    }
  }
}

function isFinal(command: CommandRecord): boolean {
  return command.state !== 'pending' && command.state !== 'delivered';
}
