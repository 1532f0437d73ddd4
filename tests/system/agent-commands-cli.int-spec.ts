import type { Bulk, BulkPreview, Command, EndpointDetail, Site } from '@warden/contracts';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  agentStack,
  allEndpoints,
  builtAgentCopy,
  eventually,
  RunningCli,
  runCli,
  seatsUsed,
} from './agent-cli-harness';
import { auditTrailWith, commandServiceEnv, commandWhen, issue } from './commands-harness';
import { consoleClient } from './console-client';
import { enrol, type Fleet, openFleet } from './endpoints-harness';

/*
 * Issue 12's "done when", with the built reference agent: a new user
 * deactivates an endpoint from the console API, the agent receives it,
 * removes itself and acknowledges; the seat is freed once the grace period
 * (1 s here) passed without the device checking in, the endpoint is
 * `deactivated` in "Deactivated devices", and every step is in the audit
 * trail. Then journeys 13 and 14: a change of keycode into a site with room
 * and into a full one, and a refresh.
 */

const TOKEN = `agent-commands-cli-operator-${process.pid}`;

describe('the reference agent and the commands an administrator sends it', () => {
  const system = agentStack(
    { OPS_API_TOKENS: TOKEN, AGENT_LAST_SEEN_FLUSH_MS: '200' },
    { command: commandServiceEnv() },
  );
  const client = consoleClient(system, TOKEN);
  const { call } = client;
  let cli: string;

  beforeAll(() => {
    cli = builtAgentCopy();
  }, 120_000);

  /** The agent installed on a machine of its own: its state folder, enrolled into the site. */
  const installed = async (site: Pick<Fleet, 'keycode'>, hostname: string) => {
    const state = mkdtempSync(join(tmpdir(), 'warden-agent-state-'));
    const enrolled = await runCli(cli, [
      'enroll',
      '--keycode',
      site.keycode,
      '--server',
      system.url(),
      '--state',
      state,
      '--hostname',
      hostname,
    ]);
    expect(enrolled.code).toBe(0);
    return { state, deviceId: (JSON.parse(enrolled.stdout) as { deviceId: string }).deviceId };
  };
  const deviceIdIn = (state: string) =>
    (
      JSON.parse(readFileSync(join(state, 'agent-state.json'), 'utf8')) as {
        device: { deviceId: string };
      }
    ).device.deviceId;
  const addSite = async (fleet: Fleet, seats: number) => {
    const site = await call<Site>('POST', `/ops/v1/consoles/${fleet.account.consoleId}/sites`, {
      token: TOKEN,
      headers: { 'idempotency-key': randomUUID() },
      body: { name: `Branch ${randomUUID().slice(0, 6)}`, seats },
    });
    expect(site.status).toBe(201);
    return { ...fleet, siteId: site.body.id, keycode: site.body.keycode };
  };

  it('deactivates: the agent removes itself and acknowledges, the seat is freed after the grace period, all audited', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const { state, deviceId } = await installed(fleet, 'demo-pc');
    const agent = new RunningCli(cli, ['run', '--state', state, '--interval', '1']);
    await agent.waitForLine(/checked in: status ok/);
    expect(await seatsUsed(call, TOKEN, fleet)).toBe(1);

    const command = await issue(call, fleet.token, deviceId, { type: 'deactivate' });
    const pending = await call<EndpointDetail>('GET', `/api/v1/endpoints/${deviceId}`, {
      token: fleet.token,
    });
    const removed = await agent.waitForLine(/deactivated by the server/);
    const ended = await agent.exited;
    const acknowledged = await commandWhen(
      call,
      fleet.token,
      command.id,
      (c) => c.state !== 'pending' && c.state !== 'delivered',
    );
    const freed = await eventually(
      () => seatsUsed(call, TOKEN, fleet),
      (used) => used === 0,
      15_000,
    );
    const endpoint = await call<EndpointDetail>('GET', `/api/v1/endpoints/${deviceId}`, {
      token: fleet.token,
    });
    const trail = await auditTrailWith(call, fleet.token, [
      'command.bulk-issued',
      'command.succeeded',
      'endpoint.deactivation-verified',
      'seat.released',
    ]);

    expect(pending.body.status).toBe('deactivation_pending');
    expect(removed).toMatch(/state was removed/);
    expect(ended.code).toBe(0);
    expect(ended.stderr).toMatch(/deactivated after \d+ check-in\(s\): state folder .* removed/);
    expect(existsSync(state)).toBe(false);
    expect(acknowledged).toMatchObject({
      state: 'succeeded',
      resultMessage: expect.stringMatching(/uninstalled/) as unknown,
    });
    expect(freed).toBe(0);
    expect(endpoint.body).toMatchObject({
      status: 'deactivated',
      groupName: 'Deactivated devices',
    });
    // Each step, by when it happened: issued, acknowledged, verified (the command service's
    // clock); the endpoint pending then deactivated, and its seat released (inventory, licensing).
    const when = (action: string): string =>
      trail.find((event) => event.action === action)?.occurredAt ?? `no ${action} event`;
    const issuedAt = when('command.bulk-issued');
    const ackedAt = when('command.succeeded');
    const verifiedAt = when('endpoint.deactivation-verified');
    expect(issuedAt < ackedAt && ackedAt < verifiedAt).toBe(true);
    // Verified only once the device stayed silent for the grace period after its ack.
    expect(Date.parse(verifiedAt) - Date.parse(ackedAt)).toBeGreaterThanOrEqual(1_000);
    const lifecycle = trail.filter(
      (event) => event.action === 'endpoint.lifecycle-changed' && event.target.id === deviceId,
    );
    expect(lifecycle.map((event) => event.after?.['lifecycle']).sort()).toEqual([
      'deactivated',
      'deactivation_pending',
    ]);
    expect(trail.filter((event) => event.action === 'seat.released')).toHaveLength(1);
  });

  it('change_keycode into a site with room: the agent enrols there and the source seat is released', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const target = await addSite(fleet, 3);
    const { state, deviceId } = await installed(fleet, 'moving-pc');

    const command = await issue(call, fleet.token, deviceId, {
      type: 'change_keycode',
      parameters: { keycode: target.keycode },
    });
    const run = await runCli(cli, ['run', '--once', '--state', state]);
    const movedTo = deviceIdIn(state);
    const done = await commandWhen(call, fleet.token, command.id, (c) => c.state === 'succeeded');
    const [sourceSeats, targetSeats] = [
      await eventually(
        () => seatsUsed(call, TOKEN, fleet),
        (used) => used === 0,
        15_000,
      ),
      await seatsUsed(call, TOKEN, target),
    ];
    const sourceEndpoints = await eventually(
      () => allEndpoints(call, fleet),
      (listed) => listed.length === 0,
    );
    const targetEndpoints = await allEndpoints(call, target);
    const again = await runCli(cli, ['run', '--once', '--state', state]);

    expect(run.code).toBe(0);
    expect(movedTo).not.toBe(deviceId);
    expect(done.resultMessage).toBe(`enrolled as device ${movedTo}`);
    expect([sourceSeats, targetSeats]).toEqual([0, 1]);
    expect(sourceEndpoints).toEqual([]);
    expect(targetEndpoints.map((e) => [e.id, e.hostname])).toEqual([[movedTo, 'moving-pc']]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/checked in: status ok/);
  });

  it('change_keycode into a full site: refused with its code, the agent stays where it was, protected', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const full = await addSite(fleet, 1);
    await enrol(call, full.keycode);
    const { state, deviceId } = await installed(fleet, 'staying-pc');

    const command = await issue(call, fleet.token, deviceId, {
      type: 'change_keycode',
      parameters: { keycode: full.keycode },
    });
    const run = await runCli(cli, ['run', '--once', '--state', state]);
    const done = await commandWhen(call, fleet.token, command.id, (c) => c.state === 'failed');
    const again = await runCli(cli, ['run', '--once', '--state', state]);
    const endpoint = await call<EndpointDetail>('GET', `/api/v1/endpoints/${deviceId}`, {
      token: fleet.token,
    });

    expect(run.code).toBe(0);
    expect(done.resultMessage).toBe('SEAT_LIMIT_REACHED');
    expect(deviceIdIn(state)).toBe(deviceId);
    expect(again.code).toBe(0);
    expect(endpoint.body.status).toBe('protected');
    expect([await seatsUsed(call, TOKEN, fleet), await seatsUsed(call, TOKEN, full)]).toEqual([
      1, 1,
    ]);
  });

  it('refresh_config: `refresh` checks in, fetches the policy again and acknowledges', async () => {
    const fleet = await openFleet(client, TOKEN, 5);
    const { state, deviceId } = await installed(fleet, 'refreshing-pc');

    const command = await issue(call, fleet.token, deviceId, { type: 'refresh_config' });
    const refreshed = await runCli(cli, ['refresh', '--state', state]);
    const done = await commandWhen(call, fleet.token, command.id, (c) => c.state === 'succeeded');
    const status = await runCli(cli, ['status', '--state', state]);

    expect(refreshed.code).toBe(0);
    expect(
      (JSON.parse(refreshed.stdout) as { commands: Command[] }).commands.map((c) => c.id),
    ).toEqual([command.id]);
    expect(refreshed.stderr).toMatch(/applied policy/);
    expect(done.resultMessage).toMatch(/^policy .* applied$/);
    expect(JSON.parse(status.stdout)).toMatchObject({
      deviceId,
      isolated: false,
      commands: { received: 1, unacknowledged: 0 },
    });
  });

  it('swarm: simulated agents acknowledge the commands their check-ins bring', async () => {
    const fleet = await openFleet(client, TOKEN, 10);
    const swarm = new RunningCli(cli, [
      'swarm',
      '4',
      '--keycode',
      fleet.keycode,
      '--server',
      system.url(),
      '--duration',
      '6',
      '--interval',
      '1',
      '--json',
    ]);
    await eventually(
      () => seatsUsed(call, TOKEN, fleet),
      (used) => used === 4,
    );

    const counted = await call<BulkPreview>('POST', '/api/v1/commands/preview', {
      token: fleet.token,
      body: { target: { kind: 'site', siteId: fleet.siteId }, command: { type: 'scan' } },
    });
    const issued = await call<Bulk>('POST', '/api/v1/commands', {
      token: fleet.token,
      body: { confirmationToken: counted.body.confirmationToken },
    });
    const ended = await swarm.exited;
    const progress = await call<Bulk>('GET', `/api/v1/command-bulks/${issued.body.bulkId}`, {
      token: fleet.token,
    });

    expect(ended.code).toBe(0);
    expect(
      (JSON.parse(ended.stdout) as { acknowledgements: Record<string, number> }).acknowledgements,
    ).toEqual({ recorded: 4, notRecorded: 0 });
    expect(progress.body).toMatchObject({ total: 4, states: { succeeded: 4 } });
  });
});
