import type { CheckinReply } from '@warden/contracts';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentStack, allEndpoints, builtAgentCopy, runCli, seatsUsed } from './agent-cli-harness';
import { consoleClient } from './console-client';
import { openFleet } from './endpoints-harness';

/*
 * Enrolment as agents do it (issue 11): the reference agent's CLI, built and
 * copied out of the repository, against the whole system over HTTP.
 */

const TOKEN = `agent-cli-enrolment-operator-${process.pid}`;

interface SwarmResult {
  enrolled: number;
  refused: Record<string, number>;
  errors: Record<string, number>;
  devices: { hardwareKey: string; deviceId?: string; refusedWith?: string }[];
}

describe('enrolment with the reference agent', () => {
  const system = agentStack({ OPS_API_TOKENS: TOKEN });
  const client = consoleClient(system, TOKEN);
  let cli: string;

  beforeAll(() => {
    cli = builtAgentCopy();
  }, 120_000);

  it('200 agents racing for 50 seats: exactly 50 enrol, 150 hear SEAT_LIMIT_REACHED, licensing counts 50', async () => {
    const site = await openFleet(client, TOKEN, 50);

    const run = await runCli(cli, [
      'swarm',
      '200',
      '--keycode',
      site.keycode,
      '--server',
      system.url(),
      '--concurrency',
      '200',
      '--json',
    ]);

    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as SwarmResult;
    expect(summary.enrolled).toBe(50);
    expect(summary.refused).toEqual({ SEAT_LIMIT_REACHED: 150 });
    const deviceIds = summary.devices.flatMap((d) => (d.deviceId ? [d.deviceId] : []));
    expect(new Set(deviceIds).size).toBe(50);
    expect(await seatsUsed(client.call, TOKEN, site)).toBe(50);
    const listed = await allEndpoints(client.call, site);
    expect(listed.map((e) => e.id).sort()).toEqual([...deviceIds].sort());
  });

  it('a re-install from the same state is the same device with a new token; the old token is refused', async () => {
    const site = await openFleet(client, TOKEN, 5);
    const state = mkdtempSync(join(tmpdir(), 'warden-agent-state-'));
    const args = ['--keycode', site.keycode, '--server', system.url(), '--state', state];
    const tokenIn = () =>
      (
        JSON.parse(readFileSync(join(state, 'agent-state.json'), 'utf8')) as {
          device: { deviceToken: string };
        }
      ).device.deviceToken;

    const first = await runCli(cli, ['enroll', ...args, '--hostname', 'reinstall-pc']);
    expect(first.code).toBe(0);
    const oldToken = tokenIn();
    const second = await runCli(cli, ['enroll', ...args, '--hostname', 'reinstall-pc']);
    expect(second.code).toBe(0);

    const before = JSON.parse(first.stdout) as { deviceId: string };
    const after = JSON.parse(second.stdout) as { deviceId: string };
    expect(after.deviceId).toBe(before.deviceId);
    expect(tokenIn()).not.toBe(oldToken);
    expect(await seatsUsed(client.call, TOKEN, site)).toBe(1);
    expect((await allEndpoints(client.call, site)).map((e) => e.id)).toEqual([before.deviceId]);

    // The new token checks in; the old one is refused, and `run` says to enrol again.
    const refreshed = await runCli(cli, ['refresh', '--state', state]);
    expect(refreshed.code).toBe(0);
    expect(JSON.parse(refreshed.stdout)).toMatchObject({ deviceId: before.deviceId, status: 'ok' });
    const old = await client.call<CheckinReply>('POST', '/agent/v1/checkin', {
      token: oldToken,
      body: { policyVersion: null, status: 'ok', detections: [] },
    });
    expect(old.status).toBe(401);
    expect(old.body.error?.code).toBe('DEVICE_TOKEN_INVALID');
  });

  it('run stops with a clear message when its token no longer works', async () => {
    const site = await openFleet(client, TOKEN, 5);
    const state = mkdtempSync(join(tmpdir(), 'warden-agent-state-'));
    const args = ['--keycode', site.keycode, '--server', system.url(), '--state', state];
    expect((await runCli(cli, ['enroll', ...args])).code).toBe(0);
    const copy = mkdtempSync(join(tmpdir(), 'warden-agent-state-copy-'));
    // Another install from a copy of this state re-enrols the same device.
    cpSync(state, copy, { recursive: true });
    expect((await runCli(cli, ['enroll', ...args.slice(0, 4), '--state', copy])).code).toBe(0);

    const stale = await runCli(cli, ['run', '--state', state]);

    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(/DEVICE_TOKEN_INVALID.*Run `enroll` again/s);
  });

  it('refuses a keycode that is not a site’s, at once and with its code', async () => {
    const state = mkdtempSync(join(tmpdir(), 'warden-agent-state-'));
    const refused = await runCli(cli, [
      'enroll',
      '--keycode',
      'AAAA-BBBB-CCCC-DDDD-EEEE',
      '--server',
      system.url(),
      '--state',
      state,
    ]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/KEYCODE_INVALID/);
  });
});
