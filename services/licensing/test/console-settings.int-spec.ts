import { type Caller, type ConsoleDetail, licensingEvents, licensingRpc } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { type CollectedEvent, collectLicensingEvents, waitFor } from './event-collector';
import { openConsole, operator, outcome, startLicensing, system } from './licensing-harness';

describe('console settings (console API: the console is always the caller’s)', () => {
  let licensing: Awaited<ReturnType<typeof startLicensing>>;
  let collector: Awaited<ReturnType<typeof collectLicensingEvents>>;

  beforeAll(async () => {
    licensing = await startLicensing(1);
    collector = await collectLicensingEvents();
  });

  afterAll(async () => {
    await collector.stop();
    await licensing.stop();
  });

  const rpc = () => licensing.client;

  /** A console with two sites, A (one seat used) and B. */
  const consoleWithTwoSites = async () => {
    const detail = await openConsole(rpc(), { name: 'Site A', seats: 10 });
    const siteA = detail.sites[0]!;
    const siteB = await rpc().request(licensingRpc.createSite, {
      caller: operator,
      consoleId: detail.console.id,
      idempotencyKey: randomUUID(),
      name: 'Site B',
      seats: 5,
    });
    await rpc().request(licensingRpc.claimSeat, {
      caller: system,
      siteId: siteA.id,
      hardwareKey: `hw-${randomUUID()}`,
    });
    return { consoleId: detail.console.id, siteA, siteB };
  };

  const superAdmin = (consoleId: string): Caller => ({
    actor: { type: 'admin', id: randomUUID() },
    consoleId,
  });
  const siteAdmin = (consoleId: string, siteAccess: Caller['siteAccess']): Caller => ({
    actor: { type: 'admin', id: randomUUID() },
    consoleId,
    siteAccess,
  });

  const getConsole = (caller: Caller) => rpc().request(licensingRpc.getConsoleSettings, { caller });
  const getSite = (caller: Caller, siteId: string) =>
    rpc().request(licensingRpc.getSiteSettings, { caller, siteId });
  const updateSite = (caller: Caller, siteId: string, patch: Record<string, unknown>) =>
    rpc().request(licensingRpc.updateSiteSettings, { caller, siteId, patch });
  const updateConsole = (caller: Caller, patch: Record<string, unknown>) =>
    rpc().request(licensingRpc.updateConsoleSettings, { caller, patch });
  /** The site as the provider sees it: proof that a refused change wrote nothing. */
  const siteAsStored = (siteId: string) =>
    rpc().request(licensingRpc.getSite, { caller: operator, siteId });

  const eventsOf = async (consoleId: string): Promise<CollectedEvent[]> => {
    await waitFor(() => collector.settled(), 'every event delivered and acknowledged');
    return collector.events.filter((e) => e.event['consoleId'] === consoleId);
  };
  const auditsOf = (events: CollectedEvent[], action: string) =>
    events
      .filter((e) => e.subject === licensingEvents.auditRecorded.subject)
      .map((e) => e.event)
      .filter((e) => e['action'] === action);
  const settingsChanges = (events: CollectedEvent[]) =>
    events
      .filter((e) => e.subject === licensingEvents.consoleSettingsChanged.subject)
      .map((e) => e.event);

  describe('a super admin', () => {
    it('reads its console with every site and their usage, and each site', async () => {
      const { consoleId, siteA, siteB } = await consoleWithTwoSites();
      const caller = superAdmin(consoleId);

      const detail = await getConsole(caller);

      expect(detail.console.id).toBe(consoleId);
      expect(detail.sites.map((s) => s.id).sort()).toEqual([siteA.id, siteB.id].sort());
      expect(detail.usage).toEqual({ seats: 15, used: 1, free: 14, overage: 0 });
      expect(await getSite(caller, siteA.id)).toMatchObject({
        id: siteA.id,
        keycode: siteA.keycode,
        usage: { seats: 10, used: 1 },
      });
      expect((await getSite(caller, siteB.id)).name).toBe('Site B');
    });

    it('changes console settings once, audited with before/after, and tells other services what changed', async () => {
      const { consoleId } = await consoleWithTwoSites();
      const caller = superAdmin(consoleId);
      const opened = (await getConsole(caller)).console;

      const changed = await updateConsole(caller, { language: 'en', notSeenThresholdHours: 24 });
      const again = await updateConsole(caller, { language: 'en', notSeenThresholdHours: 24 });
      const renamed = await updateConsole(caller, { name: 'Renamed KK', language: 'en' });
      const events = await eventsOf(consoleId);

      expect(changed).toMatchObject({ language: 'en', notSeenThresholdHours: 24 });
      expect(again).toEqual(changed); // nothing changed: not even updatedAt moved
      expect(renamed).toMatchObject({ name: 'Renamed KK', language: 'en' });
      expect((await getConsole(caller)).console).toEqual(renamed);

      const audits = auditsOf(events, 'console.settings-changed');
      expect(audits).toHaveLength(2);
      expect(audits[0]).toMatchObject({
        actor: caller.actor,
        consoleId,
        siteId: null,
        target: { type: 'console', id: consoleId },
        before: { language: opened.language, notSeenThresholdHours: 72, name: opened.name },
        after: { language: 'en', notSeenThresholdHours: 24, name: opened.name },
      });
      expect(audits[1]).toMatchObject({
        before: { name: opened.name, language: 'en' },
        after: { name: 'Renamed KK', language: 'en' },
      });
      // Only the settings that changed, once per change.
      const published = settingsChanges(events).map(
        ({ consoleId: id, name, language, notSeenThresholdHours }) => ({
          id,
          name,
          language,
          notSeenThresholdHours,
        }),
      );
      expect(published).toEqual([
        { id: consoleId, name: undefined, language: 'en', notSeenThresholdHours: 24 },
        {
          id: consoleId,
          name: 'Renamed KK',
          language: undefined,
          notSeenThresholdHours: undefined,
        },
      ]);
    });

    it('writes and reports one change when ten identical changes race', async () => {
      const { consoleId } = await consoleWithTwoSites();
      const caller = superAdmin(consoleId);

      const replies = await Promise.all(
        Array.from({ length: 10 }, () => updateConsole(caller, { notSeenThresholdHours: 12 })),
      );
      const events = await eventsOf(consoleId);

      expect(new Set(replies.map((r) => r.notSeenThresholdHours))).toEqual(new Set([12]));
      expect(auditsOf(events, 'console.settings-changed')).toHaveLength(1);
      expect(settingsChanges(events)).toHaveLength(1);
    });

    it('changes a site’s name, comment and report recipients once, audited with before/after', async () => {
      const { consoleId, siteA } = await consoleWithTwoSites();
      const caller = superAdmin(consoleId);
      const patch = {
        name: 'Osaka branch',
        comment: 'second floor',
        reportRecipients: ['it@example.com'],
      };

      const changed = await updateSite(caller, siteA.id, patch);
      const again = await updateSite(caller, siteA.id, patch);
      const events = await eventsOf(consoleId);

      expect(changed).toMatchObject({ ...patch, keycode: siteA.keycode, usage: { seats: 10 } });
      expect(again).toEqual(changed);
      const audits = auditsOf(events, 'site.updated');
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({
        actor: caller.actor,
        siteId: siteA.id,
        target: { type: 'site', id: siteA.id },
        before: { name: 'Site A', comment: '', reportRecipients: [] },
        after: patch,
      });
      expect(JSON.stringify(events)).not.toContain(siteA.keycode);
    });

    it('cannot change seats or enforcement here: the request is refused before anything is read', async () => {
      const { consoleId, siteA } = await consoleWithTwoSites();
      const caller = superAdmin(consoleId);

      expect(await outcome(updateSite(caller, siteA.id, { seats: 1000 }))).toBe(
        'VALIDATION_FAILED',
      );
      expect(await outcome(updateSite(caller, siteA.id, { name: 'X', enforcement: 'soft' }))).toBe(
        'VALIDATION_FAILED',
      );
      expect(await outcome(updateSite(caller, siteA.id, {}))).toBe('VALIDATION_FAILED');
      expect(await outcome(updateConsole(caller, { seats: 1000 }))).toBe('VALIDATION_FAILED');
      expect(await outcome(updateConsole(caller, { notSeenThresholdHours: 0 }))).toBe(
        'VALIDATION_FAILED',
      );
      expect(await siteAsStored(siteA.id)).toMatchObject({
        name: 'Site A',
        enforcement: 'hard',
        usage: { seats: 10 },
      });
    });
  });

  describe('an admin with view-only access to site A', () => {
    it('reads site A, cannot change it, and does not see site B or the usage of B', async () => {
      const { consoleId, siteA, siteB } = await consoleWithTwoSites();
      const caller = siteAdmin(consoleId, { [siteA.id]: 'view_only' });

      const detail = await getConsole(caller);

      expect(detail.sites.map((s) => s.id)).toEqual([siteA.id]);
      expect(detail.usage).toEqual({ seats: 10, used: 1, free: 9, overage: 0 });
      expect((await getSite(caller, siteA.id)).id).toBe(siteA.id);
      expect(await outcome(updateSite(caller, siteA.id, { name: 'Mine now' }))).toBe('FORBIDDEN');
      expect(await outcome(getSite(caller, siteB.id))).toBe('SITE_NOT_FOUND');
      expect(await outcome(updateSite(caller, siteB.id, { name: 'Mine now' }))).toBe(
        'SITE_NOT_FOUND',
      );
      expect(await outcome(updateConsole(caller, { language: 'en' }))).toBe('FORBIDDEN');

      expect((await siteAsStored(siteA.id)).name).toBe('Site A');
      expect((await siteAsStored(siteB.id)).name).toBe('Site B');
      const events = await eventsOf(consoleId);
      expect(auditsOf(events, 'site.updated')).toEqual([]);
      expect(settingsChanges(events)).toEqual([]);
    });

    it('changes a site it has admin access to, and only that one', async () => {
      const { consoleId, siteA, siteB } = await consoleWithTwoSites();
      const caller = siteAdmin(consoleId, { [siteA.id]: 'admin', [siteB.id]: 'view_only' });

      const changed = await updateSite(caller, siteA.id, { comment: 'managed by me' });

      expect(changed.comment).toBe('managed by me');
      expect(await outcome(updateSite(caller, siteB.id, { comment: 'me too' }))).toBe('FORBIDDEN');
      expect(await outcome(updateConsole(caller, { name: 'Mine now' }))).toBe('FORBIDDEN');
      expect((await getConsole(caller)).sites.map((s) => s.id).sort()).toEqual(
        [siteA.id, siteB.id].sort(),
      );
    });
  });

  describe('another console', () => {
    it('reads and changes only its own console: a site of console A is SITE_NOT_FOUND', async () => {
      const a = await consoleWithTwoSites();
      const b = await openConsole(rpc());
      const callerB = superAdmin(b.console.id);

      const detail: ConsoleDetail = await getConsole(callerB);

      expect(detail.console.id).toBe(b.console.id);
      expect(detail.sites.map((s) => s.id)).toEqual([b.sites[0]!.id]);
      expect(await outcome(getSite(callerB, a.siteA.id))).toBe('SITE_NOT_FOUND');
      expect(await outcome(updateSite(callerB, a.siteA.id, { name: 'Taken' }))).toBe(
        'SITE_NOT_FOUND',
      );
      // Even when B's token names A's site: the console comes first.
      const crafted = siteAdmin(b.console.id, { [a.siteA.id]: 'admin' });
      expect(await outcome(getSite(crafted, a.siteA.id))).toBe('SITE_NOT_FOUND');
      expect(await outcome(updateSite(crafted, a.siteA.id, { name: 'Taken' }))).toBe(
        'SITE_NOT_FOUND',
      );
      expect(await outcome(getSite(callerB, randomUUID()))).toBe('SITE_NOT_FOUND');

      expect((await siteAsStored(a.siteA.id)).name).toBe('Site A');
      expect(auditsOf(await eventsOf(a.consoleId), 'site.updated')).toEqual([]);
    });

    it('refuses a caller without a console (an operator) as FORBIDDEN', async () => {
      const { siteA } = await consoleWithTwoSites();

      expect(await outcome(getConsole(operator))).toBe('FORBIDDEN');
      expect(await outcome(updateConsole(operator, { language: 'en' }))).toBe('FORBIDDEN');
      expect(await outcome(getSite(operator, siteA.id))).toBe('FORBIDDEN');
      expect(await outcome(updateSite(operator, siteA.id, { name: 'X' }))).toBe('FORBIDDEN');
    });
  });
});
