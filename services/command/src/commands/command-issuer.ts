import { Inject, Injectable } from '@nestjs/common';
import type { Caller, CommandType } from '@warden/contracts';
import { AuditPublisher, derivedEventId, EventPublisher } from '@warden/platform';
import { COMMAND_CONFIG } from '../command.tokens';
import type { CommandConfig } from '../config';
import { DeactivationVerifier } from '../deactivation/deactivation-verifier';
import { commandIdFor } from './command-ids';
import { CommandLifecycle } from './command-lifecycle';
import {
  type BulkRecord,
  type CommandRecord,
  CommandRepository,
  mailboxEntry,
} from './command.repository';
import { devicesPerSite } from './command.view';

/** Commands per insert (and mailboxes per bulk write) of a bulk's issue. */
const WRITE_CHUNK = 2_000;

function mailboxEntryOf(command: CommandRecord) {
  return {
    deviceId: command.deviceId,
    consoleId: command.consoleId,
    entry: mailboxEntry(command._id, command.type as CommandType, command.parameters),
  };
}

/**
 * Writes a bulk's commands (DESIGN decision 5): the commands by unordered
 * inserts, then each device's mailbox entry, then the gateways are told,
 * then what follows a `deactivate`; the bulk is marked issued last. Each
 * step may be run again: a bulk issued again after an interruption inserts
 * no second command (ids are derived from bulk and device) and puts back
 * into mailboxes only the commands not yet acknowledged.
 */
@Injectable()
export class CommandIssuer {
  constructor(
    private readonly commands: CommandRepository,
    private readonly lifecycle: CommandLifecycle,
    private readonly verifier: DeactivationVerifier,
    private readonly events: EventPublisher,
    private readonly audit: AuditPublisher,
    @Inject(COMMAND_CONFIG) private readonly config: CommandConfig,
  ) {}

  /** True when every command was new (all pending now); false for a bulk issued before. */
  async issue(caller: Caller, bulk: BulkRecord): Promise<boolean> {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.jobs.commandExpiryMs);
    const records: CommandRecord[] = bulk.devices.map((device) => ({
      _id: commandIdFor(bulk._id, device.deviceId),
      consoleId: bulk.consoleId,
      siteId: device.siteId,
      deviceId: device.deviceId,
      hostname: device.hostname,
      type: bulk.type,
      parameters: bulk.parameters,
      state: 'pending',
      bulkId: bulk._id,
      issuedBy: bulk.issuedBy,
      createdAt: now,
      deliveredAt: null,
      completedAt: null,
      expiresAt,
      resultMessage: null,
    }));
    const fresh = await this.write(records);
    if (!fresh) {
      // Issued before and cut off: what is still unacknowledged goes (back) to mailboxes.
      await this.commands.addToMailboxes(
        (await this.commands.unacknowledgedOfBulk(bulk._id)).map(mailboxEntryOf),
      );
    }
    if (bulk.type === 'deactivate') await this.verifier.issued(caller, records);
    await Promise.all([
      this.lifecycle.mailboxesChanged(records.map((command) => command.deviceId)),
      this.commands.markBulkIssued(bulk._id, now),
    ]);
    await this.events.publish(this.bulkIssued(caller, bulk, now));
    return fresh;
  }

  /**
   * Commands then their mailbox entries, chunk by chunk, a chunk's commands
   * written while the previous chunk's mailboxes are (the two collections
   * take their writes side by side; an entry never precedes its command).
   * False if some commands were there already: their mailboxes are left to
   * the caller, who knows which are still unacknowledged.
   */
  private async write(records: readonly CommandRecord[]): Promise<boolean> {
    let fresh = true;
    let mailboxes: Promise<unknown> = Promise.resolve(null);
    for (let i = 0; i < records.length; i += WRITE_CHUNK) {
      const chunk = records.slice(i, i + WRITE_CHUNK);
      const inserted = await this.commands.insertCommands(chunk);
      const previous = await mailboxes;
      if (previous instanceof Error) throw previous;
      fresh &&= inserted.duplicates === 0;
      // Settled into a value, so a failure waits here (not unhandled) until read above.
      mailboxes = fresh
        ? this.commands.addToMailboxes(chunk.map(mailboxEntryOf)).then(
            () => null,
            (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
          )
        : Promise.resolve(null);
    }
    const last = await mailboxes;
    if (last instanceof Error) throw last;
    return fresh;
  }

  private bulkIssued(caller: Caller, bulk: BulkRecord, at: Date) {
    const sites = devicesPerSite(bulk);
    const action = 'command.bulk-issued';
    return this.audit.prepare({
      caller,
      consoleId: bulk.consoleId,
      siteId: sites.size === 1 ? [...sites.keys()][0]! : null,
      action,
      target: { type: 'bulk', id: bulk._id },
      after: {
        type: bulk.type,
        count: bulk.devices.length,
        parameters: bulk.parameters,
        sites: Object.fromEntries(sites),
      },
      eventId: derivedEventId(`${bulk._id}:audit:${action}`),
      occurredAt: at,
    });
  }
}
