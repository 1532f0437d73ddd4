import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { CommandState, CommandType } from '@warden/contracts';
import {
  countMatching,
  insertUnlessDuplicate,
  isDuplicateKeyError,
  MONGO_CONNECTION,
  type RecordOf,
} from '@warden/platform';
import type { Collection } from 'mongodb';
import type { AnyBulkWriteOperation, Connection, FilterQuery, Model } from 'mongoose';
import {
  BulkModel,
  type BulkRecord,
  CommandModel,
  type CommandRecord,
  MailboxModel,
  type MailboxRecord,
} from './command.model';

export type { BulkRecord, CommandRecord, MailboxRecord } from './command.model';

/** One command as a device's mailbox holds it (what rides on a check-in reply). */
export interface MailboxEntry {
  id: string;
  type: CommandType;
  parameters: Record<string, unknown>;
}

/** A mailbox as the driver stores it. */
interface StoredMailbox {
  _id: string;
  consoleId: string;
  commands: MailboxEntry[];
}

export type CommandQuery = FilterQuery<CommandRecord>;

/** Where the console's history continues: the last row shown. */
export interface HistoryPosition {
  createdAt: Date;
  id: string;
}

/** The last state change of a command, set with it in one compare-and-set. */
export type StateChange = Partial<
  Pick<CommandRecord, 'deliveredAt' | 'completedAt' | 'resultMessage'>
> & { state: CommandState };

/**
 * Commands, the mailboxes derived from them, and bulks. Console-facing
 * queries name the console first. State changes are compare-and-sets on
 * `{ _id, state }` with plain values: the `state_cas` index lets the local
 * database answer them without a scan (command.model.ts); mailboxes and
 * bulks go by `_id` alone.
 */
@Injectable()
export class CommandRepository implements OnModuleInit {
  private readonly commands: ReturnType<typeof CommandModel.on>;
  private readonly mailboxes: ReturnType<typeof MailboxModel.on>;
  private readonly bulks: ReturnType<typeof BulkModel.on>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.commands = CommandModel.on(connection);
    this.mailboxes = MailboxModel.on(connection);
    this.bulks = BulkModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await Promise.all([
      this.commands.createIndexes(),
      this.mailboxes.createIndexes(),
      this.bulks.createIndexes(),
    ]);
  }

  // Bulks.

  insertBulk(bulk: BulkRecord): Promise<boolean> {
    return insertUnlessDuplicate(this.bulks as unknown as Model<BulkRecord>, bulk);
  }

  /** The console's bulk (null for another console's: it is not revealed). */
  async bulkInConsole(consoleId: string, bulkId: string): Promise<BulkRecord | null> {
    const bulk = await this.bulks.findById(bulkId).lean<BulkRecord>().exec();
    return bulk?.consoleId === consoleId ? bulk : null;
  }

  async markBulkIssued(bulkId: string, at: Date): Promise<void> {
    await this.bulks.updateOne({ _id: bulkId }, { $set: { issuedAt: at } }).exec();
  }

  /** How many of the bulk's commands are in each state. */
  async bulkStates(bulkId: string): Promise<Map<CommandState, number>> {
    const rows = await this.commands
      .aggregate<{ _id: CommandState; count: number }>([
        { $match: { bulkId } },
        { $group: { _id: '$state', count: { $sum: 1 } } },
      ])
      .exec();
    return new Map(rows.map((row) => [row._id, row.count]));
  }

  // Commands.

  /**
   * Inserts every command, unordered; those already there (a bulk issued
   * again) are refused by `_id` and counted, never written twice.
   */
  async insertCommands(records: readonly CommandRecord[]): Promise<{ duplicates: number }> {
    try {
      // The driver as it is, past mongoose's per-document casting: records are built by typed code.
      await this.commands.collection.insertMany(
        records as unknown as Parameters<typeof this.commands.collection.insertMany>[0],
        { ordered: false },
      );
      return { duplicates: 0 };
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown[] }).writeErrors;
      if (!Array.isArray(writeErrors)) throw error;
      const others = writeErrors.filter((e) => !isDuplicateKeyError(e));
      if (others.length > 0) throw error;
      return { duplicates: writeErrors.length };
    }
  }

  findById(commandId: string): Promise<CommandRecord | null> {
    return this.commands.findById(commandId).lean<CommandRecord>().exec();
  }

  async findInConsole(consoleId: string, commandId: string): Promise<CommandRecord | null> {
    const command = await this.findById(commandId);
    return command?.consoleId === consoleId ? command : null;
  }

  /** A bulk's commands not yet acknowledged (to put back into mailboxes after an interrupted issue). */
  unacknowledgedOfBulk(bulkId: string): Promise<CommandRecord[]> {
    return this.commands
      .find({ bulkId, state: { $in: ['pending', 'delivered'] } })
      .lean<CommandRecord[]>()
      .exec();
  }

  /** The command after the change, or null when it was not in state `from` (someone else moved it). */
  changeState(commandId: string, from: CommandState, change: StateChange) {
    return this.commands
      .findOneAndUpdate(
        { _id: commandId, state: from },
        { $set: change },
        { returnDocument: 'after' },
      )
      .lean<CommandRecord>()
      .exec();
  }

  /** Pending → delivered for each, in one unordered bulk write; the number moved. */
  async markDelivered(deliveries: readonly { commandId: string; at: Date }[]): Promise<number> {
    const operations: AnyBulkWriteOperation<RecordOf<typeof CommandModel>>[] = deliveries.map(
      (delivery) => ({
        updateOne: {
          filter: { _id: delivery.commandId, state: 'pending' },
          update: { $set: { state: 'delivered', deliveredAt: delivery.at } },
        },
      }),
    );
    const result = await this.commands.bulkWrite(operations, { ordered: false });
    return result.modifiedCount;
  }

  /** Console history, newest first (scans on the local database: not a hot path). */
  history(
    consoleId: string,
    query: CommandQuery,
    after: HistoryPosition | null,
    limit: number,
  ): Promise<CommandRecord[]> {
    const conditions: CommandQuery[] = [{ consoleId }, query];
    if (after) {
      conditions.push({
        $or: [
          { createdAt: { $lt: after.createdAt } },
          { createdAt: after.createdAt, _id: { $lt: after.id } },
        ],
      });
    }
    return this.commands
      .find({ $and: conditions })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean<CommandRecord[]>()
      .exec();
  }

  /** Commands of the site not yet acknowledged (pending or delivered): the report's "pending". */
  countPending(consoleId: string, siteId: string): Promise<number> {
    return countMatching(this.commands, {
      consoleId,
      siteId,
      state: { $in: ['pending', 'delivered'] },
    });
  }

  /** Unacknowledged (pending or delivered) commands past their expiry, oldest first (a housekeeping scan). */
  dueForExpiry(now: Date, limit: number): Promise<CommandRecord[]> {
    return this.commands
      .find({ state: { $in: ['pending', 'delivered'] }, expiresAt: { $lte: now } })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .lean<CommandRecord[]>()
      .exec();
  }

  // Mailboxes.

  mailbox(deviceId: string): Promise<MailboxRecord | null> {
    return this.mailboxes.findById(deviceId).lean<MailboxRecord>().exec();
  }

  /**
   * Adds each command to its device's mailbox (once: `$addToSet`). A device
   * without a mailbox gets one by a plain insert, which the local database
   * writes in about half the time of an upsert (measured at 10 000: 330 ms
   * against 550 ms); one made meanwhile by another issue makes the insert a
   * duplicate, and that device's entry is added by update like the others.
   * At most one entry per device in a call.
   */
  async addToMailboxes(
    entries: readonly { deviceId: string; consoleId: string; entry: MailboxEntry }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    // By the driver: mongoose's types read the entries' `_id: false` as a field.
    const mailboxes = this.mailboxes.collection as unknown as Collection<StoredMailbox>;
    const existing = new Set(
      (
        await mailboxes
          .find({ _id: { $in: entries.map((e) => e.deviceId) } }, { projection: { _id: 1 } })
          .toArray()
      ).map((mailbox) => mailbox._id),
    );
    const fresh = entries.filter((e) => !existing.has(e.deviceId));
    const toUpdate = entries.filter((e) => existing.has(e.deviceId));
    if (fresh.length > 0) {
      try {
        await mailboxes.insertMany(
          fresh.map(({ deviceId, consoleId, entry }) => ({
            _id: deviceId,
            consoleId,
            commands: [mailboxEntry(entry.id, entry.type, entry.parameters)],
          })),
          { ordered: false },
        );
      } catch (error) {
        const writeErrors = (error as { writeErrors?: { index: number }[] }).writeErrors;
        if (!Array.isArray(writeErrors) || !writeErrors.every(isDuplicateKeyError)) throw error;
        toUpdate.push(...writeErrors.map((e) => fresh[e.index]!));
      }
    }
    if (toUpdate.length === 0) return;
    await mailboxes.bulkWrite(
      toUpdate.map(({ deviceId, consoleId, entry }) => ({
        updateOne: {
          filter: { _id: deviceId },
          update: {
            $addToSet: { commands: mailboxEntry(entry.id, entry.type, entry.parameters) },
            $setOnInsert: { consoleId },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /** Takes the commands out of their devices' mailboxes; the devices whose mailbox changed. */
  async removeFromMailboxes(
    removals: readonly { deviceId: string; commandId: string }[],
  ): Promise<string[]> {
    if (removals.length === 0) return [];
    if (removals.length === 1) {
      const { deviceId, commandId } = removals[0]!;
      const result = await this.mailboxes
        .updateOne({ _id: deviceId }, { $pull: { commands: { id: commandId } } })
        .exec();
      return result.modifiedCount > 0 ? [deviceId] : [];
    }
    // A bulk write does not say which statements changed a document: every device is reported.
    const operations: AnyBulkWriteOperation<RecordOf<typeof MailboxModel>>[] = removals.map(
      ({ deviceId, commandId }) => ({
        updateOne: {
          filter: { _id: deviceId },
          update: { $pull: { commands: { id: commandId } } },
        },
      }),
    );
    const result = await this.mailboxes.bulkWrite(operations, { ordered: false });
    return result.modifiedCount > 0 ? [...new Set(removals.map((r) => r.deviceId))] : [];
  }
}

/**
 * A mailbox entry with its keys always in this order: `$addToSet` compares
 * whole documents, key order included, so a re-issue finds the entry it
 * already added.
 */
export function mailboxEntry(
  id: string,
  type: CommandType,
  parameters: Record<string, unknown>,
): MailboxEntry {
  return { id, type, parameters };
}
