import {
  type AgentDetection,
  BUILTIN_POLICY_IDS,
  type EndpointDetail,
  type EndpointSummary,
} from '@warden/contracts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  agentStack,
  allEndpoints,
  builtAgentCopy,
  eventually,
  RunningCli,
  runCli,
  runProcess,
} from './agent-cli-harness';
import { consoleClient } from './console-client';
import { type Fleet, openFleet } from './endpoints-harness';

/*
 * Issue 11's "done when", as a new user does it: download the site's agent
 * bundle from the console, unpack it anywhere, run the agent from it with no
 * arguments, see the endpoint protected in the table; drop a detection file,
 * see it infected; remediate, see it protected again.
 */

const TOKEN = `agent-cli-journey-operator-${process.pid}`;

describe('a new user with the reference agent from the installer bundle', () => {
  const system = agentStack({ OPS_API_TOKENS: TOKEN });
  const client = consoleClient(system, TOKEN);
  const { call } = client;

  beforeAll(() => {
    builtAgentCopy(); // the gateway bundles tools/dist/agent: build it first
  }, 120_000);

  /** The bundle downloaded through the console API, unpacked into a new folder outside the repo. */
  const downloadAndUnpack = async (site: Fleet): Promise<string> => {
    const response = await fetch(`${system.url()}/api/v1/sites/${site.siteId}/installer/bundle`, {
      headers: { authorization: `Bearer ${site.token}` },
    });
    expect(response.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'warden-download-'));
    const archive = join(dir, 'renamed-by-the-browser (1).tar.gz');
    writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
    execFileSync('tar', ['-xzf', archive, '-C', dir]);
    return join(dir, 'warden-agent');
  };

  const endpoint = async (site: Fleet, deviceId: string): Promise<EndpointSummary | undefined> =>
    (await allEndpoints(call, site)).find((e) => e.id === deviceId);

  it('enrols and checks in from the unpacked bundle with no arguments, and shows protected', async () => {
    const site = await openFleet(client, TOKEN, 5);
    const folder = await downloadAndUnpack(site);

    const enrolled = await runCli(join(folder, 'cli.js'), ['enroll'], folder);
    expect(enrolled.code).toBe(0);
    const { deviceId } = JSON.parse(enrolled.stdout) as { deviceId: string };
    const once = await runCli(join(folder, 'cli.js'), ['run', '--once'], folder);
    expect(once.code).toBe(0);
    expect(once.stderr).toMatch(/stopped after 1 check-in/);

    const listed = await endpoint(site, deviceId);
    expect(listed).toMatchObject({
      status: 'protected',
      agentVersion: expect.any(String) as unknown,
    });
    // The state stays in the bundle's folder, next to cli.js.
    const state = JSON.parse(readFileSync(join(folder, 'state', 'agent-state.json'), 'utf8')) as {
      server: string;
      device: { deviceId: string };
    };
    expect(state).toMatchObject({ server: system.url(), device: { deviceId } });
  });

  it('installs with the one-line command the installer page shows', async () => {
    const site = await openFleet(client, TOKEN, 5);
    const installer = await call<{ installCommand: string }>(
      'GET',
      `/api/v1/sites/${site.siteId}/installer`,
      { token: site.token },
    );
    expect(installer.status).toBe(200);
    const command = installer.body.installCommand;
    expect(command).toMatch(/ run$/);
    const machine = mkdtempSync(join(tmpdir(), 'warden-machine-'));

    // As the page says, except that the agent checks in once and stops.
    const installed = await runProcess('bash', ['-c', `${command} --once`], machine);
    expect(installed.code).toBe(0);

    const listed = await allEndpoints(call, site);
    expect(listed).toHaveLength(1);
    expect(listed[0]!.status).toBe('protected');
  });

  it('shows infected after a detection file is dropped, and protected once the threat is removed', async () => {
    const site = await openFleet(client, TOKEN, 5);
    const folder = await downloadAndUnpack(site);
    const agent = new RunningCli(join(folder, 'cli.js'), ['run'], folder);
    try {
      await agent.waitForLine(/checked in: status ok/);
      const state = JSON.parse(readFileSync(join(folder, 'state', 'agent-state.json'), 'utf8')) as {
        device: { deviceId: string };
      };
      const deviceId = state.device.deviceId;
      expect((await endpoint(site, deviceId))?.status).toBe('protected');

      const threat: AgentDetection = {
        id: 'scan-1-eicar',
        threatName: 'EICAR-Test-File',
        path: '/home/hanako/Downloads/eicar.com',
        hash: '44d88612fea8a8f36de82e1278abb02f',
        actionTaken: 'detected',
        detectedAt: new Date().toISOString(),
      };
      // Written as a scanner would: a whole file, renamed into place.
      const drop = (detections: AgentDetection[]) => {
        const file = join(folder, 'state', 'detections.json');
        writeFileSync(`${file}.new`, JSON.stringify(detections));
        renameSync(`${file}.new`, file);
      };
      let mark = agent.lines.length;
      drop([threat]);
      await agent.waitForLine(/checked in: status threats_active/, mark);
      const status = await runCli(join(folder, 'cli.js'), ['status'], folder);
      expect(JSON.parse(status.stdout)).toMatchObject({
        deviceId,
        status: 'threats_active',
        detections: { listed: 1, unsent: 0 },
      });

      const infected = await endpoint(site, deviceId);
      expect(infected).toMatchObject({ status: 'infected' });
      expect(infected?.lastInfectionAt).not.toBeNull();
      const detail = await call<EndpointDetail>('GET', `/api/v1/endpoints/${deviceId}`, {
        token: site.token,
      });
      expect(detail.body.detections).toEqual([
        expect.objectContaining({
          agentDetectionId: threat.id,
          threatName: threat.threatName,
          actionTaken: 'detected',
        }) as unknown,
      ]);

      mark = agent.lines.length;
      drop([{ ...threat, actionTaken: 'removed' }]);
      await agent.waitForLine(/checked in: status ok/, mark);
      // The all-clear travels with the batched last-seen write: a moment later.
      await eventually(
        () => endpoint(site, deviceId),
        (e) => e?.status === 'protected',
      );
    } finally {
      const ended = await agent.stop();
      expect(ended.code).toBe(0);
      expect(ended.stderr).toMatch(/SIGTERM: stopping[\s\S]*stopped after \d+ check-in/);
    }
  });

  it('receives the policy an administrator gives the endpoint on a later check-in, and keeps it', async () => {
    const site = await openFleet(client, TOKEN, 5);
    const folder = await downloadAndUnpack(site);
    const cli = join(folder, 'cli.js');
    const enrolled = await runCli(cli, ['enroll'], folder);
    const { deviceId, policyId } = JSON.parse(enrolled.stdout) as {
      deviceId: string;
      policyId: string;
    };
    const silentAudit = BUILTIN_POLICY_IDS.silent_audit;
    expect(policyId).not.toBe(silentAudit);

    const set = await call('PUT', `/api/v1/sites/${site.siteId}/endpoints/${deviceId}/policy`, {
      token: site.token,
      body: { policyId: silentAudit },
    });
    expect(set.status).toBe(200);

    type Refreshed = { policy: { policyId: string; changed: boolean } };
    const refresh = async () => {
      const run = await runCli(cli, ['refresh'], folder);
      if (run.code !== 0) throw new Error(`refresh: ${run.code} ${run.stderr}`);
      return JSON.parse(run.stdout) as Refreshed;
    };
    // The gateway hears of the change by an event: the next check-ins bring it.
    const changed = await eventually(refresh, (r) => r.policy.policyId === silentAudit);
    expect(changed.policy.changed).toBe(true);
    expect(await refresh()).toMatchObject({ policy: { policyId: silentAudit, changed: false } });
    const kept = JSON.parse(readFileSync(join(folder, 'state', 'agent-state.json'), 'utf8')) as {
      policy: { policyId: string; settings: Record<string, unknown> };
    };
    expect(kept.policy.policyId).toBe(silentAudit);
    expect(Object.keys(kept.policy.settings).length).toBeGreaterThan(0);
  });
});
