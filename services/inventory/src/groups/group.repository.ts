import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  derivedEventId,
  insertUnlessDuplicate,
  isDuplicateKeyError,
  MONGO_CONNECTION,
} from '@warden/platform';
import type { SystemGroup } from '@warden/contracts';
import type { Connection, Model } from 'mongoose';
import { GroupModel, type GroupRecord } from './group.model';

export type { GroupRecord } from './group.model';

export const SYSTEM_GROUP_NAMES: Readonly<Record<SystemGroup, string>> = {
  default: 'Default group',
  deactivated: 'Deactivated devices',
};

/** The id of a site's system group: the same for every caller, so concurrent creation meets on `_id`. */
export function systemGroupId(consoleId: string, siteId: string, kind: SystemGroup): string {
  return derivedEventId(`inventory:group:${consoleId}:${siteId}:${kind}`);
}

export type GroupUpdateOutcome =
  | { readonly kind: 'updated'; readonly before: GroupRecord }
  | { readonly kind: 'missing' }
  | { readonly kind: 'name_taken' };

/** Every console-facing query names the console first: another console's group is never found. */
@Injectable()
export class GroupRepository implements OnModuleInit {
  private readonly groups: Model<GroupRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.groups = GroupModel.on(connection);
  }

  async onModuleInit(): Promise<void> {
    await this.groups.createIndexes();
  }

  /**
   * The site's system groups, created if missing (the caller has made sure
   * the site is the console's): one `_id` read in the
   * common case; an insert refused by `_id` is another caller's, already there.
   */
  async ensureSystemGroups(
    consoleId: string,
    siteId: string,
  ): Promise<Record<SystemGroup, GroupRecord>> {
    const ids = {
      default: systemGroupId(consoleId, siteId, 'default'),
      deactivated: systemGroupId(consoleId, siteId, 'deactivated'),
    };
    const found = await this.groups
      .find({ _id: { $in: Object.values(ids) } })
      .lean<GroupRecord[]>()
      .exec();
    const byId = new Map(found.map((g) => [g._id, g]));
    const result = {} as Record<SystemGroup, GroupRecord>;
    for (const kind of ['default', 'deactivated'] as const) {
      let group = byId.get(ids[kind]);
      if (!group) {
        const now = new Date();
        const record: GroupRecord = {
          _id: ids[kind],
          consoleId,
          siteId,
          name: SYSTEM_GROUP_NAMES[kind],
          nameLower: SYSTEM_GROUP_NAMES[kind].toLowerCase(),
          system: kind,
          policyId: null,
          createdAt: now,
          updatedAt: now,
        };
        if (!(await insertUnlessDuplicate(this.groups, record))) {
          const raced = await this.groups.findById(ids[kind]).lean<GroupRecord>().exec();
          if (!raced)
            throw new Error(`the system group ${kind} of site ${siteId} could not be made`);
          group = raced;
        } else {
          group = record;
        }
      }
      result[kind] = group;
    }
    return result;
  }

  /** False when the site has a group with this name (any case). */
  insert(record: GroupRecord): Promise<boolean> {
    return insertUnlessDuplicate(this.groups, record);
  }

  /** The agent path: a group's policy by `_id` alone. */
  policyOf(groupId: string): Promise<{ policyId: string | null } | null> {
    return this.groups
      .findById(groupId, { _id: 0, policyId: 1 })
      .lean<{ policyId: string | null }>()
      .exec();
  }

  findInConsole(consoleId: string, groupId: string): Promise<GroupRecord | null> {
    return this.groups.findOne({ _id: groupId, consoleId }).lean<GroupRecord>().exec();
  }

  /** The groups of some sites of a console (all of them: `siteIds` undefined). */
  list(consoleId: string, siteIds?: readonly string[]): Promise<GroupRecord[]> {
    return this.groups
      .find({ consoleId, ...(siteIds ? { siteId: { $in: siteIds } } : {}) })
      .sort({ nameLower: 1, _id: 1 })
      .lean<GroupRecord[]>()
      .exec();
  }

  listUsingPolicy(consoleId: string, policyId: string): Promise<GroupRecord[]> {
    return this.groups
      .find({ consoleId, policyId })
      .sort({ nameLower: 1 })
      .lean<GroupRecord[]>()
      .exec();
  }

  /** The group before the change; `name_taken` when the unique name index refused it. */
  async update(
    consoleId: string,
    groupId: string,
    changes: Partial<Pick<GroupRecord, 'name' | 'nameLower' | 'policyId'>>,
  ): Promise<GroupUpdateOutcome> {
    try {
      const before = await this.groups
        .findOneAndUpdate(
          { _id: groupId, consoleId },
          { $set: { ...changes, updatedAt: new Date() } },
          { returnDocument: 'before' },
        )
        .lean<GroupRecord>()
        .exec();
      return before ? { kind: 'updated', before } : { kind: 'missing' };
    } catch (error) {
      if (isDuplicateKeyError(error)) return { kind: 'name_taken' };
      throw error;
    }
  }

  delete(consoleId: string, groupId: string): Promise<GroupRecord | null> {
    return this.groups
      .findOneAndDelete({ _id: groupId, consoleId, system: null })
      .lean<GroupRecord>()
      .exec();
  }

  /** Groups of the console with `policyId` move to the replacement; how many did. */
  async replacePolicy(consoleId: string, policyId: string, replacementId: string): Promise<number> {
    const result = await this.groups
      .updateMany(
        { consoleId, policyId },
        { $set: { policyId: replacementId, updatedAt: new Date() } },
      )
      .exec();
    return result.modifiedCount;
  }
}
