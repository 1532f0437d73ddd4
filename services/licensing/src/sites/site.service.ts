import { Injectable } from '@nestjs/common';
import {
  type Caller,
  type InputOf,
  licensingEvents,
  parseKeycode,
  policyRpc,
  type ReplyOf,
  type licensingRpc,
  type Site,
  type SiteInput,
  siteInputSchema,
} from '@warden/contracts';
import {
  DomainError,
  EventPublisher,
  NatsRpcClient,
  newId,
  type PreparedEvent,
  requestFingerprint,
  AuditPublisher,
  tenantOf,
  assertMayChange,
  assertMaySee,
} from '@warden/platform';
import { consoleNotFound, idempotencyKeyReused, siteNotFound } from '../licensing.errors';
import { ConsoleRepository } from '../consoles/console.repository';
import { assertConsoleMayEnrol, seatUsage } from '../consoles/console.rules';
import { SeatLeaseRepository } from '../seats/seat-lease.repository';
import { generateKeycode } from './keycode-generator';
import { type SiteChanges, type SiteRecord, SiteRepository } from './site.repository';

const KEYCODE_ATTEMPTS = 5;
/** Seat changes racing each other on one site: each retry means another change landed. */
const SEAT_CHANGE_ATTEMPTS = 5;

@Injectable()
export class SiteService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly consoles: ConsoleRepository,
    private readonly leases: SeatLeaseRepository,
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
    private readonly rpc: NatsRpcClient,
  ) {}

  /**
   * Creates a site with a fresh keycode. Safe to retry with the same
   * `creationKey`: the site made by the first attempt is returned, and its
   * creation events are published again under the same ids (stored once), in
   * case a crash came between the insert and their publish.
   */
  async createWithKey(
    caller: Caller,
    consoleId: string,
    input: SiteInput,
    creationKey: string,
  ): Promise<Site> {
    const fields = siteInputSchema.parse(input);
    const fingerprint = requestFingerprint(fields);
    const existing = await this.sites.findByCreationKey(creationKey);
    if (existing && existing.requestFingerprint !== fingerprint) throw idempotencyKeyReused('site');
    if (existing) {
      const site = await this.view(existing);
      await this.events.publish(...this.createdEvents(existing, site, caller));
      return site;
    }

    const id = newId();
    const keycode = await this.issueKeycode(id, consoleId);
    const now = new Date();
    const record: SiteRecord = {
      _id: id,
      consoleId,
      creationKey,
      requestFingerprint: fingerprint,
      name: fields.name,
      keycode,
      comment: fields.comment,
      seats: fields.seats,
      slotRange: fields.seats,
      enforcement: fields.enforcement,
      reportRecipients: fields.reportRecipients,
      defaultPolicyId: null,
      createdAt: now,
      updatedAt: now,
    };
    const site = toSiteView(record, 0);
    // Validated before the insert: an invalid event refuses the request while no site exists.
    const created = this.createdEvents(record, site, caller);
    if (!(await this.sites.insert(record))) {
      // A concurrent retry with the same key won; its site is the answer.
      await this.sites.retireKeycode(keycode);
      const winner = await this.sites.findByCreationKey(creationKey);
      if (!winner) throw new Error('site insert refused, yet no site has its creation key');
      if (winner.requestFingerprint !== fingerprint) throw idempotencyKeyReused('site');
      return this.view(winner);
    }
    await this.sites.activateKeycode(keycode);
    await this.events.publish(...created);
    return site;
  }

  /** Another site for a console. */
  async create(caller: Caller, request: InputOf<typeof licensingRpc.createSite>): Promise<Site> {
    const consoleRecord = await this.consoles.findById(request.consoleId);
    if (!consoleRecord) throw consoleNotFound(request.consoleId);
    const { consoleId, idempotencyKey, ...input } = request;
    // Scoped by console so one console's key can never return another's site.
    return this.createWithKey(caller, consoleId, input, `${consoleId}:${idempotencyKey}`);
  }

  async get(_caller: Caller, { siteId }: InputOf<typeof licensingRpc.getSite>): Promise<Site> {
    return this.current(siteId);
  }

  async listForConsole(consoleId: string): Promise<Site[]> {
    const records = await this.sites.listByConsole(consoleId);
    const used = await this.leases.countBySite(records.map((r) => r._id));
    return records.map((record) => toSiteView(record, used.get(record._id) ?? 0));
  }

  /**
   * Each update is one atomic single-document write, so concurrent updates of
   * different fields all stick. Seats lowered below use are allowed: nothing is
   * evicted, the excess shows as overage.
   */
  update(caller: Caller, request: InputOf<typeof licensingRpc.updateSite>): Promise<Site> {
    return this.applyUpdate(caller, request, () => this.require(request.siteId));
  }

  /**
   * Console API: a site of the caller's console, if the caller may see it; a
   * site of another console, or one the caller may not see, is SITE_NOT_FOUND.
   */
  async getSettings(
    caller: Caller,
    { siteId }: InputOf<typeof licensingRpc.getSiteSettings>,
  ): Promise<Site> {
    const consoleId = tenantOf(caller);
    assertMaySee(caller, siteId);
    return this.view(await this.requireInConsole(consoleId, siteId));
  }

  /**
   * Console API: name, comment, report recipients and the default endpoint
   * policy of a site of the caller's console, for a caller with admin access
   * to it (seats and enforcement stay the provider's). Written and audited as
   * `update`. A default policy must be one of the console's or a built-in:
   * policy answers that (POLICY_NOT_FOUND otherwise, passed on as it is).
   */
  async updateSettings(
    caller: Caller,
    request: InputOf<typeof licensingRpc.updateSiteSettings>,
  ): Promise<Site> {
    const consoleId = tenantOf(caller);
    assertMayChange(caller, request.siteId);
    const load = () => this.requireInConsole(consoleId, request.siteId);
    let { patch } = request;
    if (patch.defaultPolicyId !== undefined) {
      await load(); // another console's site is SITE_NOT_FOUND before anything is asked of policy
      const policy = await this.rpc.request(policyRpc.resolvePolicy, {
        caller,
        consoleId,
        policyId: patch.defaultPolicyId,
      });
      // Stored as policy names it (ids in lower case), so where-used finds it.
      patch = { ...patch, defaultPolicyId: policy.policyId };
    }
    return this.applyUpdate(caller, { siteId: request.siteId, patch }, load);
  }

  /**
   * Policy's where-used: the sites of the console whose default endpoint
   * policy this is, every one of them (policies are console-wide; policy
   * decides what its caller may see of them).
   */
  async sitesUsingPolicy(
    caller: Caller,
    { consoleId, policyId }: InputOf<typeof licensingRpc.sitesUsingPolicy>,
  ): Promise<ReplyOf<typeof licensingRpc.sitesUsingPolicy>> {
    assertActsIn(caller, consoleId);
    const sites = await this.sites.listByDefaultPolicy(consoleId, policyId.toLowerCase());
    return { sites: sites.map((site) => ({ siteId: site._id, name: site.name })) };
  }

  /**
   * Policy deletes a policy with a replacement: every site of the console
   * whose default it is gets the replacement, each by compare-and-set on the
   * policy it replaces (a site whose default changed meanwhile keeps the new
   * one) and audited as that site's `site.updated` with before/after. Safe
   * to retry: a second run finds nothing left to move. The replacement is
   * policy's to check (it is deleting the one and knows the other).
   */
  async replaceDefaultPolicy(
    caller: Caller,
    request: InputOf<typeof licensingRpc.replaceDefaultPolicy>,
  ): Promise<ReplyOf<typeof licensingRpc.replaceDefaultPolicy>> {
    const { consoleId } = request;
    assertActsIn(caller, consoleId);
    const policyId = request.policyId.toLowerCase();
    const replacementPolicyId = request.replacementPolicyId.toLowerCase();
    if (policyId === replacementPolicyId) return { moved: 0 };
    let moved = 0;
    for (const site of await this.sites.listByDefaultPolicy(consoleId, policyId)) {
      const audited = this.audit.prepare({
        caller,
        consoleId,
        siteId: site._id,
        action: 'site.updated',
        target: { type: 'site', id: site._id },
      });
      const applied = await this.sites.applyChanges(
        site._id,
        { defaultPolicyId: replacementPolicyId },
        { expected: { consoleId, defaultPolicyId: policyId } },
      );
      if (!applied) continue; // its default changed meanwhile (or it went away)
      moved += 1;
      const used = await this.leases.count(site._id);
      await this.events.publish(
        this.audit.complete(audited, {
          before: auditable(toSiteView(applied.before, used)),
          after: auditable(toSiteView(applied.after, used)),
        }),
      );
    }
    return { moved };
  }

  /** `load` reads the site on every attempt: by id (ops), or in the caller's console. */
  private async applyUpdate(
    caller: Caller,
    request: { siteId: string; patch: SiteChanges },
    load: () => Promise<SiteRecord>,
  ): Promise<Site> {
    for (let attempt = 0; attempt < SEAT_CHANGE_ATTEMPTS; attempt++) {
      const current = await load();
      // A retried or redundant change is answered without a write or an audit event.
      if (!changesAnything(current, request.patch)) return this.view(current);

      const { seats } = request.patch;
      const seatsChange = seats !== undefined && seats !== current.seats;
      // Prepared before the write; the audit's exact before/after come with its answer.
      const seatsChanged = seatsChange
        ? this.events.prepare(licensingEvents.siteSeatsChanged, {
            consoleId: current.consoleId,
            siteId: current._id,
            seats,
            previousSeats: current.seats,
          })
        : null;
      const audited = this.audit.prepare({
        caller,
        consoleId: current.consoleId,
        siteId: current._id,
        action: 'site.updated',
        target: { type: 'site', id: current._id },
      });
      const applied = await this.sites.applyChanges(request.siteId, request.patch, {
        // Seats change by compare-and-set: the slot range below depends on the
        // seats this update replaces.
        expected: seatsChange ? { seats: current.seats } : {},
        // Leases keep their slots when seats go down: the range they may
        // occupy widens in the same write that lowers the seats.
        atLeast: seatsChange && seats < current.seats ? { slotRange: current.seats } : undefined,
      });
      if (!applied) {
        if (!seatsChange) throw siteNotFound(request.siteId);
        continue; // the seats changed meanwhile: decide again on the new value
      }
      // A site update never changes how many leases it has: count once.
      const used = await this.leases.count(applied.after._id);
      const before = toSiteView(applied.before, used);
      const after = toSiteView(applied.after, used);
      // A concurrent identical change may have landed first: then this one changed nothing.
      if (changesAnything(applied.before, request.patch)) {
        // Seats change by compare-and-set: when they changed, they changed from current.seats.
        await this.events.publish(
          ...(seatsChanged ? [seatsChanged] : []),
          this.audit.complete(audited, { before: auditable(before), after: auditable(after) }),
        );
      }
      return after;
    }
    throw new DomainError('CONFLICT', 'the seats of this site are changing; retry', {
      siteId: request.siteId,
    });
  }

  /**
   * New keycode; the old one stops working for new enrolments (enrolled
   * devices keep their leases). Idempotent by key: the keycode drawn for a
   * rotation carries `<siteId>:<key>`, so a retry finds it and either answers
   * with the site as it is or finishes a rotation a crash interrupted.
   * Concurrent rotations of one site leave one winner; every other drawn
   * keycode is retired unused.
   */
  async rotateKeycode(
    caller: Caller,
    request: InputOf<typeof licensingRpc.rotateKeycode>,
  ): Promise<Site> {
    const rotationKey = `${request.siteId}:${request.idempotencyKey}`;
    const site = await this.require(request.siteId);
    let drawn = await this.sites.findRotation(rotationKey);
    if (!drawn) {
      const keycode = await this.issueKeycode(site._id, site.consoleId, {
        rotationKey,
        replaces: site.keycode,
      });
      // null: a parallel retry with this key drew first; finish (or find) its rotation.
      drawn = keycode === null ? await this.sites.findRotation(rotationKey) : null;
      if (keycode !== null) return this.finishRotation(caller, site, keycode, site.keycode);
      if (!drawn) throw new Error('rotation key taken, yet no keycode carries it');
    }
    // Already done (or lost to another rotation): the site as it is now is the answer.
    if (drawn.state !== 'reserved' || !drawn.replaces) return this.current(site._id);
    return this.finishRotation(caller, site, drawn._id, drawn.replaces);
  }

  /** Puts `keycode` in place of `replaces` on the site, if the site still holds `replaces`. */
  private async finishRotation(
    caller: Caller,
    site: SiteRecord,
    keycode: string,
    replaces: string,
  ): Promise<Site> {
    const rotated = this.events.prepare(licensingEvents.keycodeRotated, {
      consoleId: site.consoleId,
      siteId: site._id,
      keycodeSuffix: keycodeSuffix(keycode),
      previousKeycodeSuffix: keycodeSuffix(replaces),
    });
    const audited = this.audit.prepare({
      caller,
      consoleId: site.consoleId,
      siteId: site._id,
      action: 'keycode.rotated',
      target: { type: 'site', id: site._id },
      // Keycodes are credentials for enrolment: audit that it changed, not its value.
      before: { keycodeSuffix: keycodeSuffix(replaces) },
      after: { keycodeSuffix: keycodeSuffix(keycode) },
    });
    const applied = await this.sites.applyChanges(
      site._id,
      { keycode },
      { expected: { keycode: replaces } },
    );
    if (!applied) {
      const now = await this.require(site._id);
      if (now.keycode === keycode) {
        // A parallel retry of this same rotation applied it: make sure it is finished.
        await Promise.all([
          this.sites.activateKeycode(keycode),
          this.sites.retireKeycode(replaces),
        ]);
      } else {
        // Another rotation replaced it first; theirs stands, ours is never used.
        await this.sites.retireKeycode(keycode);
      }
      return this.view(now);
    }
    await Promise.all([this.sites.activateKeycode(keycode), this.sites.retireKeycode(replaces)]);
    await this.events.publish(rotated, audited);
    return this.view(applied.after);
  }

  /**
   * The enrolment gate: a malformed or mistyped keycode is refused before any
   * lookup; an unknown or retired one looks the same as a typo to the caller.
   */
  async resolveKeycode(
    _caller: Caller,
    input: InputOf<typeof licensingRpc.resolveKeycode>,
  ): Promise<ReplyOf<typeof licensingRpc.resolveKeycode>> {
    return resolvedKeycode(await this.enrollingSite(input.keycode));
  }

  /** The site a keycode names, if its console may enrol devices now (else the gate's refusal). */
  async enrollingSite(keycode: string): Promise<SiteRecord> {
    const parsed = parseKeycode(keycode);
    if (!parsed.ok) {
      throw new DomainError('KEYCODE_INVALID', 'this is not a valid keycode', {
        reason: parsed.reason,
      });
    }
    // As typed first (keycodes issued before may hold O or I), then read aloud.
    let site: SiteRecord | null = null;
    for (const candidate of parsed.candidates) {
      site = await this.sites.findByKeycode(candidate);
      if (site) break;
    }
    if (!site) {
      throw new DomainError('KEYCODE_INVALID', 'this is not a valid keycode', {
        reason: 'unknown',
      });
    }
    await this.assertMayEnrol(site);
    return site;
  }

  /** The enrolment gate: the site's console exists, is not suspended, and its trial has not ended. */
  async assertMayEnrol(site: SiteRecord): Promise<void> {
    const consoleRecord = await this.consoles.findById(site.consoleId);
    if (!consoleRecord) throw consoleNotFound(site.consoleId);
    assertConsoleMayEnrol(consoleRecord);
  }

  async require(siteId: string): Promise<SiteRecord> {
    const site = await this.sites.findById(siteId);
    if (!site) throw siteNotFound(siteId);
    return site;
  }

  private async requireInConsole(consoleId: string, siteId: string): Promise<SiteRecord> {
    const site = await this.sites.findInConsole(consoleId, siteId);
    if (!site) throw siteNotFound(siteId);
    return site;
  }

  /**
   * Draws and reserves a keycode never issued before. For a rotation, null
   * when a keycode already carries its rotation key (a parallel retry).
   */
  private async issueKeycode(siteId: string, consoleId: string): Promise<string>;
  private async issueKeycode(
    siteId: string,
    consoleId: string,
    rotation: { rotationKey: string; replaces: string },
  ): Promise<string | null>;
  private async issueKeycode(
    siteId: string,
    consoleId: string,
    rotation?: { rotationKey: string; replaces: string },
  ): Promise<string | null> {
    for (let attempt = 0; attempt < KEYCODE_ATTEMPTS; attempt++) {
      const keycode = generateKeycode();
      if (await this.sites.reserveKeycode(keycode, siteId, consoleId, rotation)) return keycode;
      // Refused: the keycode was issued before, or (for a rotation) its key was.
      if (rotation && (await this.sites.findRotation(rotation.rotationKey))) return null;
    }
    // 98 random bits colliding five times in a row means the random source is broken.
    throw new Error('could not issue a unique keycode');
  }

  /** The facts of a site's creation (published again by a retry, stored once). */
  private createdEvents(record: SiteRecord, site: Site, caller: Caller): PreparedEvent[] {
    return this.audit.prepareCreation(
      {
        contract: licensingEvents.siteCreated,
        fields: {
          consoleId: record.consoleId,
          siteId: record._id,
          name: record.name,
          seats: record.seats,
          enforcement: record.enforcement,
          keycodeSuffix: keycodeSuffix(record.keycode),
        },
      },
      {
        caller,
        consoleId: record.consoleId,
        siteId: record._id,
        action: 'site.created',
        target: { type: 'site', id: record._id },
        after: auditable(site),
        occurredAt: record.createdAt,
      },
    );
  }

  private async current(siteId: string): Promise<Site> {
    return this.view(await this.require(siteId));
  }

  private async view(record: SiteRecord): Promise<Site> {
    return toSiteView(record, await this.leases.count(record._id));
  }
}

function toSiteView(record: SiteRecord, used: number): Site {
  return {
    id: record._id,
    consoleId: record.consoleId,
    name: record.name,
    keycode: record.keycode,
    comment: record.comment,
    enforcement: record.enforcement,
    reportRecipients: record.reportRecipients,
    defaultPolicyId: record.defaultPolicyId,
    usage: seatUsage(record.seats, used),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

/**
 * The console a request from another service names must be the caller's own
 * when the caller acts in a console (an administrator's request passed on);
 * a system caller acts for any console.
 */
function assertActsIn(caller: Caller, consoleId: string): void {
  if (caller.consoleId !== undefined && caller.consoleId !== consoleId) {
    throw new DomainError('FORBIDDEN', 'a caller acts in its own console only', { consoleId });
  }
}

function changesAnything(record: SiteRecord, patch: SiteChanges): boolean {
  return Object.entries(patch).some(
    ([key, value]) => JSON.stringify(record[key as keyof SiteRecord]) !== JSON.stringify(value),
  );
}

/** Keycodes are enrolment credentials: events keep only their last group. */
function keycodeSuffix(keycode: string): string {
  return keycode.slice(-4);
}

function auditable(site: Site): Record<string, unknown> {
  const { keycode, ...rest } = site;
  return { ...rest, keycodeSuffix: keycodeSuffix(keycode) };
}

/** What an enrolling agent's keycode resolves to. */
export function resolvedKeycode(site: SiteRecord): ReplyOf<typeof licensingRpc.resolveKeycode> {
  return {
    keycode: site.keycode,
    siteId: site._id,
    consoleId: site.consoleId,
    defaultPolicyId: site.defaultPolicyId ?? null,
  };
}
