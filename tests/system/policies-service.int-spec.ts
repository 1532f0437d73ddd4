import type { INestMicroservice } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  BUILTIN_POLICIES,
  BUILTIN_POLICY_IDS,
  type Caller,
  licensingRpc,
  POLICY_CATALOG,
  policyEvents,
  policyRpc,
  settingsVersionTag,
} from '@warden/contracts';
import { type DomainError, NatsRpcClient } from '@warden/platform';
import { testServers, uniqueDbName } from '@warden/testing';
import { createInventoryApp, loadInventoryConfig } from '@warden/service-inventory';
import { createLicensingApp, loadLicensingConfig } from '@warden/service-licensing';
import { createPolicyApp, loadPolicyConfig } from '@warden/service-policy';
import { codeOf as code, failure, PublishedEvents } from './published-events';

/**
 * The policy service over NATS, with licensing and inventory running beside
 * it (site defaults, groups and endpoints: where-used and delete with a
 * replacement go through them).
 */
const operator: Caller = { actor: { type: 'operator', id: 'test-operator' } };
const system: Caller = { actor: { type: 'system', id: 'test-agent-path' } };
const RECOMMENDED = BUILTIN_POLICY_IDS.recommended_defaults;

describe('policy service (policies of a console and the built-ins)', () => {
  let apps: INestMicroservice[];
  let rpc: NatsRpcClient;
  const events = new PublishedEvents('policy', policyEvents);

  beforeAll(async () => {
    const servers = testServers();
    const common = {
      NATS_URL: servers.natsUrl,
      MONGODB_URI: servers.mongodbUri,
      LOG_LEVEL: 'warn',
    };
    const policy = await createPolicyApp(
      loadPolicyConfig({ ...common, MONGODB_DB: uniqueDbName('policy') }),
    );
    await policy.listen();
    const licensing = await createLicensingApp(
      loadLicensingConfig({ ...common, MONGODB_DB: uniqueDbName('licensing') }),
    );
    await licensing.listen();
    // Groups and endpoints (where-used, replacement) are inventory's.
    const inventory = await createInventoryApp(
      loadInventoryConfig({ ...common, MONGODB_DB: uniqueDbName('inventory') }),
    );
    await inventory.listen();
    apps = [policy, licensing, inventory];
    rpc = await NatsRpcClient.connect({
      url: servers.natsUrl,
      name: 'policy-test',
      timeoutMs: 30_000,
    });
    // A core-NATS subscriber sees every publish of the service's events (docs/adr/0005).
    await events.start(servers.natsUrl);
  });

  afterAll(async () => {
    await events.stop();
    await rpc.close();
    for (const app of apps) await app.close();
  });

  const openConsole = async (): Promise<{ consoleId: string; siteId: string; admin: Caller }> => {
    const detail = await rpc.request(licensingRpc.createConsole, {
      caller: operator,
      idempotencyKey: randomUUID(),
      name: `Company ${randomUUID().slice(0, 8)}`,
      kind: 'production',
      site: { name: 'Head office', seats: 10 },
    });
    const consoleId = detail.console.id;
    return {
      consoleId,
      siteId: detail.sites[0]!.id,
      admin: { actor: { type: 'admin', id: randomUUID() }, consoleId },
    };
  };

  const copy = (
    caller: Caller,
    name: string,
    source: string = RECOMMENDED,
    idempotencyKey = randomUUID(),
  ) =>
    rpc.request(policyRpc.copyPolicy, {
      caller,
      idempotencyKey,
      sourcePolicyId: source,
      name,
      description: `${name}: for the tests`,
    });
  const get = (caller: Caller, policyId: string, language: 'ja' | 'en' = 'en') =>
    rpc.request(policyRpc.getPolicy, { caller, policyId, language });
  const update = (
    caller: Caller,
    policyId: string,
    expectedVersion: number,
    patch: Record<string, unknown>,
  ) =>
    rpc.request(policyRpc.updatePolicy, {
      caller,
      policyId,
      expectedVersion,
      patch: patch,
    });
  const remove = (caller: Caller, policyId: string, replacementPolicyId?: string) =>
    rpc.request(policyRpc.deletePolicy, {
      caller,
      policyId,
      ...(replacementPolicyId === undefined ? {} : { replacementPolicyId }),
    });

  it('lists the built-ins first in their fixed order, then the console’s by name in any case', async () => {
    const { admin } = await openConsole();
    await copy(admin, 'beta');
    await copy(admin, 'Alpha');
    await copy(admin, 'gamma');
    const { items } = await rpc.request(policyRpc.listPolicies, { caller: admin });
    expect(items.map((p) => p.name)).toEqual([
      ...BUILTIN_POLICIES.map((p) => p.name.en),
      'Alpha',
      'beta',
      'gamma',
    ]);
    expect(items.slice(0, 4).map((p) => p.id)).toEqual(BUILTIN_POLICIES.map((p) => p.id));
    expect(items.every((p) => p.usedByEndpoints === 0)).toBe(true);
    expect(items.map((p) => p.builtin)).toEqual([true, true, true, true, false, false, false]);
  });

  it('names the console’s policies and the built-ins (in the language asked), and no other console’s', async () => {
    const { admin } = await openConsole();
    const { admin: stranger } = await openConsole();
    const own = await copy(admin, 'Sales laptops');
    await copy(stranger, 'Not yours');
    const { items } = await rpc.request(policyRpc.policyNames, { caller: admin, language: 'ja' });
    expect(items).toEqual([
      ...BUILTIN_POLICIES.map((p) => ({ id: p.id, name: p.name.ja })),
      { id: own.id, name: 'Sales laptops' },
    ]);
  });

  it('gives a policy with its settings grouped by section, labelled in Japanese when asked', async () => {
    const { admin } = await openConsole();
    const builtin = await get(admin, RECOMMENDED, 'ja');
    expect(builtin).toMatchObject({
      id: RECOMMENDED,
      name: '推奨デフォルト設定',
      builtin: true,
      consoleId: null,
      version: 1,
      versionTag: settingsVersionTag(RECOMMENDED, 1),
    });
    expect(builtin.sections.map((s) => s.label)).toEqual(POLICY_CATALOG.map((s) => s.labels.ja));
    const firstSetting = POLICY_CATALOG[0].settings[0];
    expect(builtin.sections[0]!.settings[0]!.label).toBe(firstSetting.labels.ja);

    const own = await copy(admin, '営業用ノート PC');
    const ja = await get(admin, own.id, 'ja');
    expect(ja.sections[0]!.label).toBe(POLICY_CATALOG[0].labels.ja);
    const en = await get(admin, own.id, 'en');
    expect(en.sections[0]!.label).toBe(POLICY_CATALOG[0].labels.en);
  });

  it('copies a built-in or a console policy at version 1, once per idempotency key', async () => {
    const { consoleId, admin } = await openConsole();
    const key = randomUUID();
    const [first, ...retries] = await Promise.all([
      copy(admin, 'Sales laptops', RECOMMENDED, key),
      copy(admin, 'Sales laptops', RECOMMENDED, key),
      copy(admin, 'Sales laptops', RECOMMENDED, key),
    ]);
    expect(first).toMatchObject({
      name: 'Sales laptops',
      builtin: false,
      consoleId,
      version: 1,
      unmanaged: false,
      settings: BUILTIN_POLICIES[0]!.settings,
    });
    expect(retries.map((r) => r.id)).toEqual([first.id, first.id]);
    expect(await code(copy(admin, 'Other name', RECOMMENDED, key))).toBe('IDEMPOTENCY_KEY_REUSED');
    const { items } = await rpc.request(policyRpc.listPolicies, { caller: admin });
    expect(items.filter((p) => !p.builtin).map((p) => p.id)).toEqual([first.id]);

    const unmanaged = await copy(admin, 'Left alone', BUILTIN_POLICY_IDS.unmanaged);
    expect(unmanaged.unmanaged).toBe(true);
    const edited = await update(admin, first.id, 1, {
      settings: { basic: { poll_interval: '1h' } },
    });
    const ofCopy = await copy(admin, 'Copy of a copy', first.id);
    expect(ofCopy.version).toBe(1);
    expect(ofCopy.settings).toEqual(edited.settings);

    const created = await events.eventWhere(policyEvents.auditRecorded.subject, (e) => {
      const target = e['target'] as { id: string };
      return target.id === first.id && e['action'] === 'policy.created';
    });
    expect(created['after']).toMatchObject({ name: 'Sales laptops', sourcePolicyId: RECOMMENDED });
  });

  it('keeps names unique per console whatever the case, built-ins’ names in both languages included', async () => {
    const { admin } = await openConsole();
    const other = await openConsole();
    const sales = await copy(admin, 'Sales laptops');
    const servers = await copy(admin, 'Servers');
    expect(await code(copy(admin, 'SALES LAPTOPS'))).toBe('POLICY_NAME_TAKEN');
    expect(await code(copy(admin, 'recommended defaults'))).toBe('POLICY_NAME_TAKEN');
    expect(await code(copy(admin, 'サイレント監査'))).toBe('POLICY_NAME_TAKEN');
    expect(await code(update(admin, servers.id, 1, { name: 'sales Laptops' }))).toBe(
      'POLICY_NAME_TAKEN',
    );
    expect(await code(update(admin, servers.id, 1, { name: 'UNMANAGED' }))).toBe(
      'POLICY_NAME_TAKEN',
    );
    // Another console may use the same name; a change of case only is a rename.
    await copy(other.admin, 'Sales laptops');
    const renamed = await update(admin, sales.id, 1, { name: 'SALES LAPTOPS' });
    expect(renamed).toMatchObject({ name: 'SALES LAPTOPS', version: 2 });
    expect((await get(admin, servers.id)).version).toBe(1);
  });

  it('refuses a bad setting naming it and its allowed values, and unknown sections and settings', async () => {
    const { admin } = await openConsole();
    const policy = await copy(admin, 'Strict');
    const bad = await failure(
      update(admin, policy.id, 1, { settings: { basic: { poll_interval: '5m' } } }),
    );
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.message).toContain('basic.poll_interval');
    expect(bad.details?.['issues']).toEqual([
      expect.objectContaining({
        path: 'patch.settings.basic.poll_interval',
        setting: 'basic.poll_interval',
        rule: 'invalid_value',
        allowed: { values: ['15m', '30m', '1h', '2h', '4h', '6h', '12h', 'daily'] },
      }),
    ]);
    expect(bad.details?.['fields']).toEqual({
      'patch.settings.basic.poll_interval': ['invalid_value'],
    });

    const hour = await failure(
      update(admin, policy.id, 1, { settings: { scan_schedule: { hour: 24 } } }),
    );
    expect(hour.details?.['issues']).toEqual([
      expect.objectContaining({ setting: 'scan_schedule.hour', allowed: { min: 0, max: 23 } }),
    ]);

    const section = await failure(
      update(admin, policy.id, 1, { settings: { turbo: { on: true } } }),
    );
    expect(section.details?.['issues']).toEqual([
      expect.objectContaining({ setting: 'turbo', rule: 'unknown_section' }),
    ]);
    const setting = await failure(
      update(admin, policy.id, 1, { settings: { basic: { turbo_mode: true } } }),
    );
    expect(setting.details?.['issues']).toEqual([
      expect.objectContaining({ setting: 'basic.turbo_mode', rule: 'unknown_setting' }),
    ]);
    expect(
      (setting.details?.['issues'] as { allowed: { keys: string[] } }[])[0]!.allowed.keys,
    ).toContain('poll_interval');
    expect((await get(admin, policy.id)).version).toBe(1);
  });

  it('refuses to change or delete a built-in', async () => {
    const { admin } = await openConsole();
    expect(await code(update(admin, RECOMMENDED, 1, { description: 'mine now' }))).toBe(
      'POLICY_BUILTIN_READ_ONLY',
    );
    expect(await code(remove(admin, RECOMMENDED))).toBe('POLICY_BUILTIN_READ_ONLY');
  });

  it('lets one of two concurrent editors of the same version win; the other gets POLICY_VERSION_CONFLICT', async () => {
    const { consoleId, admin } = await openConsole();
    const policy = await copy(admin, 'Contested');
    const results = await Promise.allSettled([
      update(admin, policy.id, 1, { settings: { basic: { poll_interval: '2h' } } }),
      update(admin, policy.id, 1, { settings: { heuristics_local: { level: 'maximum' } } }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const conflict = lost[0]!.reason as DomainError;
    expect(conflict.code).toBe('POLICY_VERSION_CONFLICT');
    expect(conflict.details).toMatchObject({ currentVersion: 2 });

    const stored = await get(admin, policy.id);
    expect(stored.version).toBe(2);
    const pollWon = results[0].status === 'fulfilled';
    expect(stored.settings.basic.poll_interval).toBe(pollWon ? '2h' : '15m');
    expect(stored.settings.heuristics_local.level).toBe(pollWon ? 'medium' : 'maximum');

    // The loser reads again and reapplies: both changes are there.
    const reapplied = await update(
      admin,
      policy.id,
      2,
      pollWon
        ? { settings: { heuristics_local: { level: 'maximum' } } }
        : { settings: { basic: { poll_interval: '2h' } } },
    );
    expect(reapplied.version).toBe(3);
    expect(reapplied.settings.basic.poll_interval).toBe('2h');
    expect(reapplied.settings.heuristics_local.level).toBe('maximum');
    expect(reapplied.versionTag).toBe(settingsVersionTag(policy.id, 3));

    const changed = await events.eventWhere(
      policyEvents.policyChanged.subject,
      (e) => e['policyId'] === policy.id && e['version'] === 3,
    );
    expect(changed).toMatchObject({ consoleId, deleted: false });
    const audit = await events.eventWhere(policyEvents.auditRecorded.subject, (e) => {
      const after = e['after'] as { version?: number } | null;
      return (e['target'] as { id: string }).id === policy.id && after?.version === 3;
    });
    expect(audit['action']).toBe('policy.updated');
    expect(Object.keys((audit['after'] as { settings: object }).settings)).toHaveLength(1);
  });

  it('answers a change that changes nothing with the policy as it is, at the same version', async () => {
    const { admin } = await openConsole();
    const policy = await copy(admin, 'Same');
    const same = await update(admin, policy.id, 1, {
      name: 'Same',
      settings: { basic: { poll_interval: '15m' } },
    });
    expect(same.version).toBe(1);
    expect(same.updatedAt).toBe(policy.updatedAt);
  });

  it('deletes a policy not in use; deleting it again is POLICY_NOT_FOUND', async () => {
    const { admin } = await openConsole();
    const policy = await copy(admin, 'Short-lived');
    await expect(remove(admin, policy.id)).resolves.toEqual({});
    expect(await code(get(admin, policy.id))).toBe('POLICY_NOT_FOUND');
    expect(await code(remove(admin, policy.id))).toBe('POLICY_NOT_FOUND');
    await events.eventWhere(
      policyEvents.policyChanged.subject,
      (e) => e['policyId'] === policy.id && e['deleted'] === true,
    );
  });

  it('refuses to delete a site’s default policy unless a replacement is given, and then moves the site', async () => {
    const { siteId, admin } = await openConsole();
    const policy = await copy(admin, 'Sales laptops');
    await rpc.request(licensingRpc.updateSiteSettings, {
      caller: admin,
      siteId,
      patch: { defaultPolicyId: policy.id },
    });

    const usage = await rpc.request(policyRpc.policyUsage, { caller: admin, policyId: policy.id });
    expect(usage).toEqual({
      policyId: policy.id,
      sites: [{ siteId, name: 'Head office' }],
      groups: [],
      endpoints: 0,
    });
    const inUse = await failure(remove(admin, policy.id));
    expect(inUse.code).toBe('POLICY_IN_USE');
    expect(inUse.details).toMatchObject({
      sites: [{ siteId, name: 'Head office' }],
      groups: [],
      endpoints: 0,
    });
    expect(await code(remove(admin, policy.id, policy.id))).toBe('VALIDATION_FAILED');
    const elsewhere = await copy((await openConsole()).admin, 'Elsewhere');
    expect(await code(remove(admin, policy.id, elsewhere.id))).toBe('POLICY_NOT_FOUND');
    expect((await get(admin, policy.id)).id).toBe(policy.id);

    const silent = BUILTIN_POLICY_IDS.silent_audit;
    await expect(remove(admin, policy.id, silent)).resolves.toEqual({});
    const site = await rpc.request(licensingRpc.getSiteSettings, { caller: admin, siteId });
    expect(site.defaultPolicyId).toBe(silent);
    expect(await code(get(admin, policy.id))).toBe('POLICY_NOT_FOUND');
    const moved = await rpc.request(policyRpc.policyUsage, { caller: admin, policyId: silent });
    expect(moved.sites).toEqual([{ siteId, name: 'Head office' }]);
  });

  it('answers another console’s policy as POLICY_NOT_FOUND on every call', async () => {
    const mine = await openConsole();
    const theirs = await openConsole();
    const their = await copy(theirs.admin, 'Theirs');
    const own = await copy(mine.admin, 'Mine');
    const caller = mine.admin;
    const calls: (() => Promise<unknown>)[] = [
      () => get(caller, their.id),
      () => copy(caller, 'Stolen', their.id),
      () => update(caller, their.id, 1, { description: 'mine now' }),
      () => remove(caller, their.id),
      () => remove(caller, own.id, their.id),
      () => rpc.request(policyRpc.policyUsage, { caller, policyId: their.id }),
      () =>
        rpc.request(policyRpc.diffPolicies, { caller, policyId: own.id, otherPolicyId: their.id }),
      () =>
        rpc.request(policyRpc.diffPolicies, { caller, policyId: their.id, otherPolicyId: own.id }),
      () =>
        rpc.request(policyRpc.resolvePolicy, {
          caller: system,
          consoleId: mine.consoleId,
          policyId: their.id,
        }),
      () =>
        rpc.request(policyRpc.resolvePolicy, {
          caller,
          consoleId: theirs.consoleId,
          policyId: their.id,
        }),
    ];
    for (const call of calls) expect(await code(call())).toBe('POLICY_NOT_FOUND');
    expect(await get(theirs.admin, their.id)).toMatchObject({
      version: 1,
      description: 'Theirs: for the tests',
    });
  });

  it('diffs two policies: exactly the settings that differ, with both values, labelled', async () => {
    const { admin } = await openConsole();
    const policy = await copy(admin, 'Different');
    await update(admin, policy.id, 1, {
      settings: { basic: { poll_interval: '4h' }, heuristics_usb: { level: 'low' } },
    });
    const diff = await rpc.request(policyRpc.diffPolicies, {
      caller: admin,
      policyId: policy.id,
      otherPolicyId: RECOMMENDED,
      language: 'ja',
    });
    expect(diff.items.map(({ path, a, b }) => ({ path, a, b }))).toEqual([
      { path: 'basic.poll_interval', a: '4h', b: '15m' },
      { path: 'heuristics_usb.level', a: 'low', b: 'high' },
    ]);
    const basic = POLICY_CATALOG.find((s) => s.key === 'basic')!;
    expect(diff.items[0]).toMatchObject({
      sectionLabel: basic.labels.ja,
      settingLabel: basic.settings.find((s) => s.key === 'poll_interval')!.labels.ja,
    });
    const none = await rpc.request(policyRpc.diffPolicies, {
      caller: admin,
      policyId: RECOMMENDED,
      otherPolicyId: BUILTIN_POLICY_IDS.unmanaged,
    });
    expect(none.items).toEqual([]);
  });

  it('resolves a built-in and a console policy for the agent path', async () => {
    const { consoleId, admin } = await openConsole();
    const builtin = await rpc.request(policyRpc.resolvePolicy, {
      caller: system,
      consoleId,
      policyId: BUILTIN_POLICY_IDS.unmanaged,
    });
    expect(builtin).toEqual({
      policyId: BUILTIN_POLICY_IDS.unmanaged,
      version: 1,
      versionTag: settingsVersionTag(BUILTIN_POLICY_IDS.unmanaged, 1),
      unmanaged: true,
      settings: BUILTIN_POLICIES[3]!.settings,
    });
    const policy = await copy(admin, 'Agents');
    const edited = await update(admin, policy.id, 1, {
      settings: { basic: { poll_interval: '30m' } },
    });
    const resolved = await rpc.request(policyRpc.resolvePolicy, {
      caller: system,
      consoleId,
      policyId: policy.id.toUpperCase(),
    });
    expect(resolved).toEqual({
      policyId: policy.id,
      version: 2,
      versionTag: settingsVersionTag(policy.id, 2),
      unmanaged: false,
      settings: edited.settings,
    });
  });

  it('lets view-only administrators read policies but not change them', async () => {
    const { consoleId, siteId, admin } = await openConsole();
    const policy = await copy(admin, 'Read me');
    const viewer: Caller = {
      actor: { type: 'admin', id: randomUUID() },
      consoleId,
      siteAccess: { [siteId]: 'view_only' },
    };
    expect((await get(viewer, policy.id)).id).toBe(policy.id);
    expect(await code(copy(viewer, 'Not mine'))).toBe('FORBIDDEN');
    expect(await code(update(viewer, policy.id, 1, { description: 'changed' }))).toBe('FORBIDDEN');
    expect(await code(remove(viewer, policy.id))).toBe('FORBIDDEN');
    const siteAdmin: Caller = { ...viewer, siteAccess: { [siteId]: 'admin' } };
    expect((await update(siteAdmin, policy.id, 1, { description: 'changed' })).version).toBe(2);
  });
});
