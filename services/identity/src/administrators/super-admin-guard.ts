import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DomainError, isDuplicateKeyError, MONGO_CONNECTION } from '@warden/platform';
import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import { AdministratorModel, type AdministratorRecord } from './administrator.model';

/** Longer than any change under the lock takes; a crashed holder's lock is taken over after it. */
const LOCK_LEASE_MS = 10_000;
const ACQUIRE_WITHIN_MS = 5_000;

interface ConsoleLock {
  _id: string;
  holder: string;
  expiresAt: Date;
}

/**
 * "Never the last active super admin" (DESIGN §3, journey 12) under
 * concurrency, without transactions (ADR 0004): changes that could remove an
 * active customer super admin (demote, disable, delete) run one at a time per
 * console under a lease document, held by the unique `_id` of the console.
 * Inside it, counting the others and changing the one is safe: two
 * concurrent demotions of the last two super admins see each other.
 * Provider-support accounts do not count: the customer must keep one of its own.
 */
@Injectable()
export class SuperAdminGuard implements OnModuleInit {
  private readonly locks: Model<ConsoleLock>;
  private readonly admins: Model<AdministratorRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.locks = connection.model<ConsoleLock>(
      'AdministratorLock',
      new Schema<ConsoleLock>(
        { _id: String, holder: String, expiresAt: Date },
        { versionKey: false, collection: 'administrator_locks' },
      ),
    );
    this.admins = AdministratorModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.locks.createIndexes();
  }

  /** Runs `change` if `target` is not the console's last active customer super admin. */
  async keepingOne<T>(target: AdministratorRecord, change: () => Promise<T>): Promise<T> {
    const holder = await this.acquire(target.consoleId);
    try {
      if (countsAsSuperAdmin(target)) {
        const others = await this.admins.countDocuments({
          consoleId: target.consoleId,
          accountType: 'super_admin',
          kind: 'customer',
          state: 'active',
          _id: { $ne: target._id },
        });
        if (others === 0) {
          throw new DomainError(
            'LAST_SUPER_ADMIN',
            'this is the last active super admin of the console; make another one first',
            { administratorId: target._id },
          );
        }
      }
      return await change();
    } finally {
      await this.locks.deleteOne({ _id: target.consoleId, holder }).catch(() => undefined);
    }
  }

  private async acquire(consoleId: string): Promise<string> {
    const holder = randomUUID();
    const deadline = Date.now() + ACQUIRE_WITHIN_MS;
    for (let wait = 5; Date.now() < deadline; wait = Math.min(wait * 2, 100)) {
      const expiresAt = new Date(Date.now() + LOCK_LEASE_MS);
      try {
        await this.locks.collection.insertOne({ _id: consoleId, holder, expiresAt } as never);
        return holder;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      // Held: take it over only if its holder's lease ran out (a crash).
      const taken = await this.locks.updateOne(
        { _id: consoleId, expiresAt: { $lt: new Date() } },
        { $set: { holder, expiresAt } },
      );
      if (taken.modifiedCount === 1) return holder;
      await new Promise((done) => setTimeout(done, wait));
    }
    throw new DomainError('CONFLICT', 'administrators of this console are changing; retry');
  }
}

function countsAsSuperAdmin(admin: AdministratorRecord): boolean {
  return (
    admin.accountType === 'super_admin' && admin.kind === 'customer' && admin.state === 'active'
  );
}
