import { BUILTIN_POLICY_IDS, type Caller, licensingEvents, licensingRpc } from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { type CollectedEvent, collectLicensingEvents, waitFor } from './event-collector';
import { openConsole, operator, outcome, startLicensing } from './licensing-harness';
import { startPolicyStub } from './policy-stub';

/*
 * A site's default endpoint policy (DESIGN §3 journey 7): set through the
 * console's site settings, checked with policy, and what policy asks of
 * licensing when it shows where a policy is used or deletes one with a
 * replacement. Policy's `resolvePolicy` is a stub here (policy-stub.ts).
 */
describe('the default endpoint policy of a site', () => {
  let licensing: Awaited<ReturnType<typeof startLicensing>>;
  let policy: Awaited<ReturnType<typeof startPolicyStub>>;
  let collector: Awaited<ReturnType<typeof collectLicensingEvents>>;

  beforeAll(async () => {
    licensing = await startLicensing(1);
    policy = await startPolicyStub();
    collector = await collectLicensingEvents();
  });

  afterAll(async () => {
    await collector.stop();
    await policy.stop();
    await licensing.stop();
  });

  const rpc = () => licensing.client;
  const superAdmin = (consoleId: string): Caller => ({
    actor: { type: 'admin', id: randomUUID() },
    consoleId,
  });
  /** What policy sends on: the administrator's caller. */
  const consoleWithTwoSites = async () => {
    const detail = await openConsole(rpc(), { name: 'Site A' });
    const consoleId = detail.console.id;
    const siteB = await rpc().request(licensingRpc.createSite, {
      caller: operator,
      consoleId,
      idempotencyKey: randomUUID(),
      name: 'Site B',
      seats: 5,
    });
    return { consoleId, siteA: detail.sites[0]!, siteB, caller: superAdmin(consoleId) };
  };
  const setDefault = (caller: Caller, siteId: string, defaultPolicyId: string) =>
    rpc().request(licensingRpc.updateSiteSettings, {
      caller,
      siteId,
      patch: { defaultPolicyId },
    });
  const using = (caller: Caller, consoleId: string, policyId: string) =>
    rpc().request(licensingRpc.sitesUsingPolicy, { caller, consoleId, policyId });
  const replace = (
    caller: Caller,
    consoleId: string,
    policyId: string,
    replacementPolicyId: string,
  ) =>
    rpc().request(licensingRpc.replaceDefaultPolicy, {
      caller,
      consoleId,
      policyId,
      replacementPolicyId,
    });
  const auditsOf = async (consoleId: string): Promise<CollectedEvent['event'][]> => {
    await waitFor(() => collector.settled(), 'every event delivered and acknowledged');
    return collector.events
      .filter((e) => e.subject === licensingEvents.auditRecorded.subject)
      .map((e) => e.event)
      .filter((e) => e['consoleId'] === consoleId && e['action'] === 'site.updated');
  };

  it('is null (Recommended Defaults) for a new site', async () => {
    const { siteA, siteB } = await consoleWithTwoSites();

    expect(siteA.defaultPolicyId).toBeNull();
    expect(siteB.defaultPolicyId).toBeNull();
  });

  it('takes a built-in or a policy of the console, audited with before/after', async () => {
    const { consoleId, siteA, siteB, caller } = await consoleWithTwoSites();
    const own = randomUUID();
    policy.add(consoleId, own);

    const builtin = await setDefault(caller, siteA.id, BUILTIN_POLICY_IDS.silent_audit);
    // Ids in either case; stored as policy names them.
    const ofConsole = await setDefault(caller, siteB.id, own.toUpperCase());
    const audits = await auditsOf(consoleId);

    expect(builtin.defaultPolicyId).toBe(BUILTIN_POLICY_IDS.silent_audit);
    expect(ofConsole.defaultPolicyId).toBe(own);
    expect(
      (await rpc().request(licensingRpc.getSiteSettings, { caller, siteId: siteB.id }))
        .defaultPolicyId,
    ).toBe(own);
    expect(audits).toHaveLength(2);
    expect(audits.find((a) => a['siteId'] === siteA.id)).toMatchObject({
      actor: caller.actor,
      before: { defaultPolicyId: null },
      after: { defaultPolicyId: BUILTIN_POLICY_IDS.silent_audit },
    });
  });

  it('refuses an unknown policy, or one of another console, as POLICY_NOT_FOUND and keeps the old default', async () => {
    const { siteA, caller } = await consoleWithTwoSites();
    const other = await consoleWithTwoSites();
    const theirs = randomUUID();
    policy.add(other.consoleId, theirs);
    const askedBefore = policy.asked;

    expect(await outcome(setDefault(caller, siteA.id, randomUUID()))).toBe('POLICY_NOT_FOUND');
    expect(await outcome(setDefault(caller, siteA.id, theirs))).toBe('POLICY_NOT_FOUND');
    // Another console's site: SITE_NOT_FOUND, before policy is asked anything.
    const asked = policy.asked;
    expect(await outcome(setDefault(caller, other.siteA.id, theirs))).toBe('SITE_NOT_FOUND');

    expect(policy.asked).toBe(asked);
    expect(asked - askedBefore).toBe(2);
    expect(
      (await rpc().request(licensingRpc.getSite, { caller: operator, siteId: siteA.id }))
        .defaultPolicyId,
    ).toBeNull();
  });

  it('names the sites of the console whose default a policy is, and only those', async () => {
    const { consoleId, siteA, siteB, caller } = await consoleWithTwoSites();
    const other = await consoleWithTwoSites();
    const own = randomUUID();
    policy.add(consoleId, own);
    await setDefault(caller, siteA.id, own);
    await setDefault(caller, siteB.id, BUILTIN_POLICY_IDS.unmanaged);
    await setDefault(other.caller, other.siteA.id, BUILTIN_POLICY_IDS.unmanaged);

    expect(await using(caller, consoleId, own)).toEqual({
      sites: [{ siteId: siteA.id, name: 'Site A' }],
    });
    expect(await using(caller, consoleId, BUILTIN_POLICY_IDS.unmanaged)).toEqual({
      sites: [{ siteId: siteB.id, name: 'Site B' }],
    });
    expect(await using(caller, consoleId, BUILTIN_POLICY_IDS.silent_audit)).toEqual({ sites: [] });
    // A caller acting in one console does not ask about another.
    expect(await outcome(using(caller, other.consoleId, BUILTIN_POLICY_IDS.unmanaged))).toBe(
      'FORBIDDEN',
    );
  });

  it('moves every site of the console whose default a policy is to the replacement, once, audited per site', async () => {
    const { consoleId, siteA, siteB, caller } = await consoleWithTwoSites();
    const other = await consoleWithTwoSites();
    const doomed = randomUUID();
    policy.add(consoleId, doomed);
    policy.add(other.consoleId, doomed); // the same id in another console: never touched
    await setDefault(caller, siteA.id, doomed);
    await setDefault(caller, siteB.id, doomed);
    await setDefault(other.caller, other.siteA.id, doomed);

    const first = await replace(caller, consoleId, doomed, BUILTIN_POLICY_IDS.silent_audit);
    const retried = await replace(caller, consoleId, doomed, BUILTIN_POLICY_IDS.silent_audit);
    const audits = (await auditsOf(consoleId)).filter(
      (a) =>
        (a['after'] as Record<string, unknown>)['defaultPolicyId'] ===
        BUILTIN_POLICY_IDS.silent_audit,
    );

    expect(first).toEqual({ moved: 2 });
    expect(retried).toEqual({ moved: 0 });
    expect(await using(caller, consoleId, doomed)).toEqual({ sites: [] });
    expect((await using(caller, consoleId, BUILTIN_POLICY_IDS.silent_audit)).sites).toHaveLength(2);
    expect(await using(other.caller, other.consoleId, doomed)).toEqual({
      sites: [{ siteId: other.siteA.id, name: 'Site A' }],
    });
    expect(audits.map((a) => a['siteId']).sort()).toEqual([siteA.id, siteB.id].sort());
    expect(audits[0]).toMatchObject({
      actor: caller.actor,
      before: { defaultPolicyId: doomed },
    });
  });
});
