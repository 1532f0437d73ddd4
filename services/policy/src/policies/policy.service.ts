import { Injectable } from '@nestjs/common';
import {
  type AgentPolicy,
  applyPatch,
  BUILTIN_POLICIES,
  builtinPolicyById,
  type Caller,
  diffSettings,
  type InputOf,
  type LabelLanguage,
  type PolicyDetail,
  policyEvents,
  type policyRpc,
  POLICY_SECTIONS,
  type PolicySettings,
  type PolicyUsage,
  type ReplyOf,
  type SettingDifference,
  settingsVersionTag,
  validateSettingsPatch,
} from '@warden/contracts';
import {
  AuditPublisher,
  DomainError,
  EventPublisher,
  newId,
  type PreparedEvent,
  requestFingerprint,
  ruleViolations,
  tenantOf,
} from '@warden/platform';
import {
  builtinReadOnly,
  idempotencyKeyReused,
  policyNameTaken,
  policyNotFound,
  versionConflict,
} from '../policy.errors';
import { settingsRejected } from './settings-problems';
import { isInUse, PolicyUsageSource } from './policy-usage';
import { type PolicyChanges, type PolicyRecord, PolicyRepository } from './policy.repository';
import {
  builtinState,
  type PolicyState,
  recordState,
  toPolicyDetail,
  toPolicySummary,
} from './policy.view';

/** Built-in names in every language, lower case: no console policy may take one. */
const BUILTIN_NAMES: ReadonlySet<string> = new Set(
  BUILTIN_POLICIES.flatMap((policy) => Object.values(policy.name).map((n) => n.toLowerCase())),
);

/** For lookups whose reply carries no labels. */
const UNLABELLED: LabelLanguage = 'en';

/**
 * Policies of a console and the built-ins (DESIGN §2, §3 journeys 6–7, §8).
 * The console is always the caller's (`tenantOf`); another console's policy
 * reads as POLICY_NOT_FOUND. Built-ins are not stored: they are the same
 * read-only `BUILTIN_POLICIES` for every console, at version 1.
 *
 * Each change prepares its `policy.changed` and audit events before its write
 * and publishes them after it (docs/adr/0005). A change that changes nothing
 * is answered with no write, no event and no audit.
 */
@Injectable()
export class PolicyService {
  constructor(
    private readonly policies: PolicyRepository,
    private readonly usageSource: PolicyUsageSource,
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
  ) {}

  /** Built-ins first in their fixed order, then the console's by name, case-insensitively. */
  async list(
    caller: Caller,
    { language }: InputOf<typeof policyRpc.listPolicies>,
  ): Promise<ReplyOf<typeof policyRpc.listPolicies>> {
    const consoleId = tenantOf(caller);
    const [records, counts] = await Promise.all([
      this.policies.listByConsole(consoleId),
      this.usageSource.endpointCounts(consoleId),
    ]);
    const states = [
      ...BUILTIN_POLICIES.map((policy) => builtinState(policy, language)),
      ...records.map(recordState),
    ];
    return { items: states.map((state) => toPolicySummary(state, counts.get(state.id) ?? 0)) };
  }

  /** Names only: what inventory shows beside each endpoint, with no usage count to compute. */
  async names(
    caller: Caller,
    { language }: InputOf<typeof policyRpc.policyNames>,
  ): Promise<ReplyOf<typeof policyRpc.policyNames>> {
    const records = await this.policies.namesByConsole(tenantOf(caller));
    return {
      items: [
        ...BUILTIN_POLICIES.map((policy) => ({ id: policy.id, name: policy.name[language] })),
        ...records.map((record) => ({ id: record._id, name: record.name })),
      ],
    };
  }

  async get(
    caller: Caller,
    { policyId, language }: InputOf<typeof policyRpc.getPolicy>,
  ): Promise<PolicyDetail> {
    const consoleId = tenantOf(caller);
    return this.detail(consoleId, await this.require(consoleId, policyId, language), language);
  }

  /**
   * A new policy of the caller's console with the settings of a built-in or of
   * one of its policies, at version 1. Idempotent by key: the same key and
   * request make one policy; the same key with another request is refused.
   */
  async copy(caller: Caller, request: InputOf<typeof policyRpc.copyPolicy>): Promise<PolicyDetail> {
    const consoleId = tenantOf(caller);
    assertMayChange(caller);
    const { idempotencyKey, name, description, language } = request;
    const sourcePolicyId = canonicalId(request.sourcePolicyId);
    // The language only labels the reply: a retry in another language is the same copy.
    const fingerprint = requestFingerprint({ sourcePolicyId, name, description });
    const earlier = await this.policies.findByIdempotencyKey(consoleId, idempotencyKey);
    if (earlier) return this.retriedCopy(caller, earlier, fingerprint, language);

    const source = await this.require(consoleId, sourcePolicyId, language);
    if (BUILTIN_NAMES.has(name.toLowerCase())) throw policyNameTaken(name);
    const now = new Date();
    const record: PolicyRecord = {
      _id: newId(),
      consoleId,
      name,
      nameLower: name.toLowerCase(),
      description,
      settings: source.settings,
      unmanaged: source.unmanaged,
      version: 1,
      idempotencyKey,
      requestFingerprint: fingerprint,
      sourcePolicyId,
      createdAt: now,
      updatedAt: now,
    };
    const created = this.createdEvents(caller, record, source.version);
    if (await this.policies.insert(record)) {
      await this.events.publish(...created);
      return this.detail(consoleId, recordState(record), language);
    }
    // Refused by a unique index: a concurrent retry with this key, or the name.
    const racing = await this.policies.findByIdempotencyKey(consoleId, idempotencyKey);
    if (racing) return this.retriedCopy(caller, racing, fingerprint, language);
    throw policyNameTaken(name);
  }

  /**
   * A partial change of a console's policy, by compare-and-set on the version
   * the editor read: a writer who read an older version gets
   * POLICY_VERSION_CONFLICT and nothing of theirs is written, so the other
   * writer's change is never silently lost. Each change adds one to the version.
   */
  async update(
    caller: Caller,
    { expectedVersion, patch, language, ...request }: InputOf<typeof policyRpc.updatePolicy>,
  ): Promise<PolicyDetail> {
    const consoleId = tenantOf(caller);
    const policyId = canonicalId(request.policyId);
    assertMayChange(caller);
    if (patch.settings !== undefined) {
      const checked = validateSettingsPatch(patch.settings);
      if (!checked.ok) throw settingsRejected(checked.problems, 'patch.settings');
    }
    const current = await this.requireOwn(consoleId, policyId);
    if (current.version !== expectedVersion) throw versionConflict(policyId, current.version);

    const changes: PolicyChanges = {};
    if (patch.name !== undefined && patch.name !== current.name) {
      changes.name = patch.name;
      changes.nameLower = patch.name.toLowerCase();
    }
    if (patch.description !== undefined && patch.description !== current.description) {
      changes.description = patch.description;
    }
    const currentSettings = current.settings as PolicySettings;
    const settings = patch.settings ? applyPatch(currentSettings, patch.settings) : currentSettings;
    const settingChanges = diffSettings(currentSettings, settings);
    if (settingChanges.length > 0) changes.settings = settings;
    if (Object.keys(changes).length === 0)
      return this.detail(consoleId, recordState(current), language);
    if (changes.nameLower !== undefined && BUILTIN_NAMES.has(changes.nameLower)) {
      throw policyNameTaken(patch.name!);
    }

    const version = current.version + 1;
    const changed = this.events.prepare(policyEvents.policyChanged, {
      consoleId,
      policyId,
      version,
      deleted: false,
    });
    const audited = this.audit.prepare({
      caller,
      consoleId,
      siteId: null,
      action: 'policy.updated',
      target: { type: 'policy', id: policyId },
      ...compactChange(current, changes, settingChanges),
    });

    const outcome = await this.policies.update(
      consoleId,
      policyId,
      expectedVersion,
      changes,
      new Date(),
    );
    if (outcome.kind === 'name_taken') throw policyNameTaken(patch.name ?? current.name);
    if (outcome.kind === 'stale') {
      const now = await this.requireOwn(consoleId, policyId);
      throw versionConflict(policyId, now.version);
    }
    await this.events.publish(changed, audited);
    return this.detail(consoleId, recordState(outcome.after), language);
  }

  /**
   * Deletes a console's policy. One in use (a site's default; groups and
   * endpoints from issue 11) is refused with POLICY_IN_USE naming its users,
   * unless a replacement is given: its users move to it first, then it goes.
   */
  async delete(
    caller: Caller,
    request: InputOf<typeof policyRpc.deletePolicy>,
  ): Promise<ReplyOf<typeof policyRpc.deletePolicy>> {
    const consoleId = tenantOf(caller);
    const policyId = canonicalId(request.policyId);
    const replacementPolicyId =
      request.replacementPolicyId === undefined
        ? undefined
        : canonicalId(request.replacementPolicyId);
    assertMayChange(caller);
    const current = await this.requireOwn(consoleId, policyId);
    if (replacementPolicyId !== undefined) {
      if (replacementPolicyId === policyId) {
        throw ruleViolations(
          { replacementPolicyId: ['not_the_deleted_policy'] },
          { not_the_deleted_policy: 'the replacement must be another policy' },
        );
      }
      await this.require(consoleId, replacementPolicyId, UNLABELLED);
    }

    const usage = await this.usageSource.usage(caller, consoleId, policyId);
    if (replacementPolicyId === undefined && isInUse(usage)) {
      throw new DomainError(
        'POLICY_IN_USE',
        'this policy is in use: move its users to another policy first, or give a replacement',
        { policyId, sites: usage.sites, groups: usage.groups, endpoints: usage.endpoints },
      );
    }

    const deleted = this.events.prepare(policyEvents.policyChanged, {
      consoleId,
      policyId,
      deleted: true,
    });
    const audited = this.audit.prepare({
      caller,
      consoleId,
      siteId: null,
      action: 'policy.deleted',
      target: { type: 'policy', id: policyId },
      before: { name: current.name, description: current.description, version: current.version },
      after: replacementPolicyId === undefined ? null : { replacementPolicyId },
    });
    // Always when a replacement is given, in use or not: a site may have taken
    // the policy as its default since the usage was read.
    if (replacementPolicyId !== undefined) {
      await this.usageSource.moveUsers(caller, consoleId, policyId, replacementPolicyId);
    }
    if (!(await this.policies.delete(consoleId, policyId))) throw policyNotFound(policyId);
    await this.events.publish(deleted, audited);
    return {};
  }

  /** Where a policy (a built-in too) is used in the caller's console. */
  async usage(
    caller: Caller,
    { policyId }: InputOf<typeof policyRpc.policyUsage>,
  ): Promise<PolicyUsage> {
    const consoleId = tenantOf(caller);
    const policy = await this.require(consoleId, policyId, UNLABELLED);
    return this.usageSource.usage(caller, consoleId, policy.id);
  }

  /** The settings whose values differ between two policies, with both values, labelled. */
  async diff(
    caller: Caller,
    { policyId, otherPolicyId, language }: InputOf<typeof policyRpc.diffPolicies>,
  ): Promise<ReplyOf<typeof policyRpc.diffPolicies>> {
    const consoleId = tenantOf(caller);
    const [a, b] = await Promise.all([
      this.require(consoleId, policyId, language),
      this.require(consoleId, otherPolicyId, language),
    ]);
    return {
      items: diffSettings(a.settings, b.settings).map((difference) => {
        const section = POLICY_SECTIONS.get(difference.section)!;
        const setting = section.settings.find((s) => s.key === difference.setting)!;
        return {
          ...difference,
          sectionLabel: section.labels[language],
          settingLabel: setting.labels[language],
        };
      }),
    };
  }

  /**
   * Internal (licensing, inventory, the agent path): a built-in, or a policy
   * of `consoleId`. A caller of a console may only resolve in its own.
   */
  async resolve(
    caller: Caller,
    { consoleId, policyId }: InputOf<typeof policyRpc.resolvePolicy>,
  ): Promise<AgentPolicy> {
    if (caller.consoleId !== undefined && caller.consoleId !== consoleId) {
      throw policyNotFound(policyId);
    }
    const policy = await this.require(consoleId, policyId, UNLABELLED);
    return {
      policyId: policy.id,
      version: policy.version,
      versionTag: settingsVersionTag(policy.id, policy.version),
      unmanaged: policy.unmanaged,
      settings: policy.settings,
    };
  }

  /** A built-in, or the console's own policy; anything else is POLICY_NOT_FOUND. */
  private async require(
    consoleId: string,
    policyId: string,
    language: LabelLanguage,
  ): Promise<PolicyState> {
    policyId = canonicalId(policyId);
    const builtin = builtinPolicyById(policyId);
    if (builtin) return builtinState(builtin, language);
    const record = await this.policies.findInConsole(consoleId, policyId);
    if (!record) throw policyNotFound(policyId);
    return recordState(record);
  }

  /** The console's own policy, to change: a built-in is read-only. */
  private async requireOwn(consoleId: string, policyId: string): Promise<PolicyRecord> {
    policyId = canonicalId(policyId);
    if (builtinPolicyById(policyId)) throw builtinReadOnly(policyId);
    const record = await this.policies.findInConsole(consoleId, policyId);
    if (!record) throw policyNotFound(policyId);
    return record;
  }

  private async detail(
    consoleId: string,
    policy: PolicyState,
    language: LabelLanguage,
  ): Promise<PolicyDetail> {
    const counts = await this.usageSource.endpointCounts(consoleId);
    return toPolicyDetail(policy, language, counts.get(policy.id) ?? 0);
  }

  /**
   * A copy retried with its key: the same request answers the policy it made
   * (its events published again under the same ids, stored once, in case a
   * crash came between the insert and the publish); another request is refused.
   */
  private async retriedCopy(
    caller: Caller,
    record: PolicyRecord,
    fingerprint: string,
    language: LabelLanguage,
  ): Promise<PolicyDetail> {
    if (record.requestFingerprint !== fingerprint) throw idempotencyKeyReused();
    await this.events.publish(...this.createdEvents(caller, record, null));
    return this.detail(record.consoleId, recordState(record), language);
  }

  /** The facts of a copy, under ids derived from the new policy: published again by a retry. */
  private createdEvents(
    caller: Caller,
    record: PolicyRecord,
    sourceVersion: number | null,
  ): PreparedEvent[] {
    return this.audit.prepareCreation(
      {
        contract: policyEvents.policyChanged,
        fields: { consoleId: record.consoleId, policyId: record._id, version: 1, deleted: false },
      },
      {
        caller,
        consoleId: record.consoleId,
        siteId: null,
        action: 'policy.created',
        target: { type: 'policy', id: record._id },
        after: {
          name: record.name,
          description: record.description,
          unmanaged: record.unmanaged,
          sourcePolicyId: record.sourcePolicyId,
          ...(sourceVersion === null ? {} : { sourceVersion }),
          version: 1,
        },
        occurredAt: record.createdAt,
      },
    );
  }
}

/** Ids are UUIDs, stored and compared in lower case (as licensing stores a site's default). */
function canonicalId(id: string): string {
  return id.toLowerCase();
}

/**
 * Console-wide policies are changed by a super admin or by an administrator
 * with `admin` on at least one site; `view_only` everywhere only reads.
 * The gateway checks this per route too; the service checks it again.
 */
function assertMayChange(caller: Caller): void {
  if (caller.siteAccess === undefined) return;
  if (Object.values(caller.siteAccess).includes('admin')) return;
  throw new DomainError(
    'FORBIDDEN',
    'changing policies needs super admin, or admin access to at least one site',
  );
}

/** Audit before/after: only what changed (name, description and each changed setting). */
function compactChange(
  current: PolicyRecord,
  changes: PolicyChanges,
  settingChanges: readonly SettingDifference[],
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const before: Record<string, unknown> = { version: current.version };
  const after: Record<string, unknown> = { version: current.version + 1 };
  if (changes.name !== undefined) {
    before['name'] = current.name;
    after['name'] = changes.name;
  }
  if (changes.description !== undefined) {
    before['description'] = current.description;
    after['description'] = changes.description;
  }
  if (settingChanges.length > 0) {
    const settingsBefore: Record<string, Record<string, unknown>> = {};
    const settingsAfter: Record<string, Record<string, unknown>> = {};
    for (const { section, setting, a, b } of settingChanges) {
      (settingsBefore[section] ??= {})[setting] = a;
      (settingsAfter[section] ??= {})[setting] = b;
    }
    before['settings'] = settingsBefore;
    after['settings'] = settingsAfter;
  }
  return { before, after };
}
