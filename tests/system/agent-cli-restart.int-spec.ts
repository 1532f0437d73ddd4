import {
  agentStack,
  allEndpoints,
  builtAgentCopy,
  RunningCli,
  seatsUsed,
} from './agent-cli-harness';
import { consoleClient } from './console-client';
import { type Fleet, openFleet } from './endpoints-harness';

/*
 * A service restart while a swarm of agents enrols loses no enrolment (issue
 * 11): the agents retry what failed (503 while inventory is away, no
 * connection while the gateway is), and every device that got a deviceId is
 * in the table, once, with its seat.
 */

const TOKEN = `agent-cli-restart-operator-${process.pid}`;
const AGENTS = 100;

interface SwarmResult {
  enrolled: number;
  refused: Record<string, number>;
  errors: Record<string, number>;
  devices: { hardwareKey: string; deviceId?: string }[];
}

describe('a service restart during a swarm', () => {
  // The gateway logs every 503 of the outage as an error: expected here, so quiet.
  const system = agentStack({ OPS_API_TOKENS: TOKEN, LOG_LEVEL: 'fatal' });
  const client = consoleClient(system, TOKEN);
  let cli: string;

  beforeAll(() => {
    cli = builtAgentCopy();
  }, 120_000);

  /**
   * A swarm of AGENTS enrolling two at a time (so most are still to come when
   * the service stops), its events on stderr.
   */
  const swarm = (site: Fleet) =>
    new RunningCli(cli, [
      'swarm',
      String(AGENTS),
      '--keycode',
      site.keycode,
      '--server',
      system.url(),
      '--concurrency',
      '2',
      '--events',
      '--json',
    ]);

  /** Every agent enrolled, each device once in the table and in licensing's count. */
  const expectEveryoneEnrolled = async (site: Fleet, summary: SwarmResult) => {
    expect(summary.refused).toEqual({});
    expect(summary.enrolled).toBe(AGENTS);
    const deviceIds = summary.devices.map((d) => d.deviceId!);
    expect(new Set(deviceIds).size).toBe(AGENTS);
    const listed = await allEndpoints(client.call, site);
    expect(listed.map((e) => e.id).sort()).toEqual([...deviceIds].sort());
    expect(await seatsUsed(client.call, TOKEN, site)).toBe(AGENTS);
  };

  /**
   * A swarm through an outage: `stop` once the first agent has enrolled,
   * `start` once an enrolment has failed with `code`; then every agent is
   * enrolled, some of them after a retry.
   */
  const swarmThroughOutage = async (
    stop: () => Promise<void>,
    start: () => Promise<void>,
    code: string,
  ) => {
    const site = await openFleet(client, TOKEN, AGENTS + 20);
    const agents = swarm(site);

    await agents.waitForLine(/"event":"enrolled"/);
    await stop();
    const enrolledBefore = agents.lines.filter((line) =>
      line.includes('"event":"enrolled"'),
    ).length;
    await agents.waitForLine(
      new RegExp(`"event":"failed","index":\\d+,"operation":"enroll","code":"${code}"`),
    );
    await start();
    const ended = await agents.exited;

    expect(ended.code).toBe(0);
    const summary = JSON.parse(ended.stdout) as SwarmResult;
    expect(summary.errors[code]).toBeGreaterThan(0);
    expect(enrolledBefore).toBeLessThan(AGENTS); // the outage came in the middle
    await expectEveryoneEnrolled(site, summary);
  };

  it('inventory stopped and started again mid-swarm', async () => {
    await swarmThroughOutage(
      () => system.stopInventory(),
      () => system.startInventory(),
      'SERVICE_UNAVAILABLE',
    );
  }, 180_000);

  it('the gateway stopped and started again mid-swarm', async () => {
    await swarmThroughOutage(
      () => system.stopGateway(),
      () => system.startGateway(),
      'NETWORK',
    );
  }, 180_000);
});
