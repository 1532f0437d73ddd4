import {
  BUILTIN_POLICY_IDS,
  type EndpointDetail,
  type PolicyDetail,
  pollIntervalSeconds,
  type Site,
} from '@warden/contracts';
import { randomUUID } from 'node:crypto';
import { consoleStack } from './console-client';
import { checkin, enrol, openFleet } from './endpoints-harness';

/*
 * Issue 10, done when: an admin copies Recommended Defaults as "Sales
 * laptops", changes the poll interval and the heuristics level, makes it the
 * site's default, and the next agent to enrol there receives those settings
 * and that version — while an endpoint enrolled before keeps its policy
 * (DESIGN §3 journey 7: "existing keep theirs").
 */

const TOKEN = `policy-delivery-operator-token-${randomUUID()}`;
const RECOMMENDED = BUILTIN_POLICY_IDS.recommended_defaults;

describe('policy delivery: a new site default reaches the next agent to enrol', () => {
  const { client } = consoleStack(TOKEN);
  const { call } = client;

  it('gives "Sales laptops", version 2, to the next agent; the one enrolled before keeps Recommended Defaults', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const token = fleet.token;
    const before = await enrol(call, fleet.keycode, { hostname: 'old-laptop' });
    expect(before.policy).toMatchObject({ policyId: RECOMMENDED, version: 1 });

    // The administrator's steps, as the console makes them.
    const copied = await call<PolicyDetail>('POST', '/api/v1/policies', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        sourcePolicyId: RECOMMENDED,
        name: 'Sales laptops',
        description: 'Laptops of the sales team: check in hourly, stricter heuristics',
      },
    });
    expect(copied.status).toBe(201);
    const salesId = copied.body.id;
    const edited = await call<PolicyDetail>('PATCH', `/api/v1/policies/${salesId}`, {
      token,
      headers: { 'if-match': copied.headers.get('etag')! },
      body: { settings: { basic: { poll_interval: '1h' }, heuristics_local: { level: 'high' } } },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);
    const defaulted = await call<Site>('PATCH', `/api/v1/sites/${fleet.siteId}`, {
      token,
      body: { defaultPolicyId: salesId },
    });
    expect(defaulted.body.defaultPolicyId).toBe(salesId);

    const next = await enrol(call, fleet.keycode, { hostname: 'new-laptop' });

    // Those settings and that version, and a poll schedule to match.
    expect(next.policy.policyId).toBe(salesId);
    expect(next.policy.version).toBe(2);
    expect(next.policyVersion).toBe(next.policy.versionTag);
    expect(next.policy.settings).toEqual(edited.body.settings);
    expect(next.policy.settings.basic.poll_interval).toBe('1h');
    expect(next.policy.settings.heuristics_local.level).toBe('high');
    expect(next.pollSeconds).toBe(pollIntervalSeconds('1h'));
    // As the console shows it: the site's default, given at enrolment.
    const shownNext = await call<EndpointDetail>('GET', `/api/v1/endpoints/${next.deviceId}`, {
      token,
    });
    expect(shownNext.body.policy).toEqual({
      policyId: salesId,
      name: 'Sales laptops',
      source: 'site',
    });

    // The endpoint enrolled before keeps Recommended Defaults: its check-in brings no policy.
    const shownBefore = await call<EndpointDetail>('GET', `/api/v1/endpoints/${before.deviceId}`, {
      token,
    });
    expect(shownBefore.body.policy).toEqual({
      policyId: RECOMMENDED,
      name: 'Recommended Defaults',
      source: 'site',
    });
    const unchanged = await checkin(call, before.deviceToken, {
      policyVersion: before.policyVersion,
    });
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.policy).toBeUndefined();
    // The new one's version is current too.
    const current = await checkin(call, next.deviceToken, { policyVersion: next.policyVersion });
    expect(current.body.policy).toBeUndefined();
    const pollSeconds = pollIntervalSeconds('1h');
    expect(current.body.nextCheckinSeconds).toBeGreaterThanOrEqual(Math.floor(pollSeconds * 0.9));
    expect(current.body.nextCheckinSeconds).toBeLessThanOrEqual(Math.ceil(pollSeconds * 1.1));
  });

  it('re-enrolling an endpoint enrolled before the change keeps its policy (the same device)', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const hardwareKey = `hw-${randomUUID()}`;
    const first = await enrol(call, fleet.keycode, { hostname: 'kept', hardwareKey });
    const copied = await call<PolicyDetail>('POST', '/api/v1/policies', {
      token: fleet.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { sourcePolicyId: RECOMMENDED, name: 'Later default', description: 'set later' },
    });
    await call('PATCH', `/api/v1/sites/${fleet.siteId}`, {
      token: fleet.token,
      body: { defaultPolicyId: copied.body.id },
    });

    const again = await enrol(call, fleet.keycode, { hostname: 'kept', hardwareKey });

    expect(again.deviceId).toBe(first.deviceId);
    expect(again.policy.policyId).toBe(RECOMMENDED);
  });
});
