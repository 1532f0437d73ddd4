#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AGENT_BUNDLE_CONFIG_FILE, AgentBundleConfig } from '@warden/contracts';
import { Agent } from './agent';
import { AgentCallError, AgentHttpClient } from './agent-http';
import { agentStatusOf, detectionsFileIn, readDetectionsFile, watchDetections } from './detections';
import { thisHostname, thisOs } from './device';
import { DeviceTokenRefused, runCheckins, Sleeper, withRetries } from './scheduler';
import { FileStateStore } from './state-store';
import { runSwarm } from './swarm';

/*
 * The reference agent (DESIGN §7), as the installer bundle ships it: this
 * folder's .js files next to a warden-agent.json, run with Node ≥ 20 alone.
 *
 *   node cli.js enroll   [--keycode K] [--server URL] [--state DIR] [--hostname H]
 *   node cli.js run      [--state DIR] [--once | --count N] [--interval S]
 *   node cli.js refresh  [--state DIR]
 *   node cli.js status   [--state DIR]
 *   node cli.js swarm N  --keycode K --server URL [--concurrency C] [--duration S]
 */

const CONFIG_FILE: typeof AGENT_BUNDLE_CONFIG_FILE = 'warden-agent.json';
const ENROLL_GIVE_UP_MS = 120_000;
/** A burst of file events (an editor's save) becomes one check-in. */
const DETECTIONS_SETTLE_MS = 250;

const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3, tokenRefused: 4 } as const;

class UsageError extends Error {}

const USAGE = `usage: node cli.js <command> [options]

  enroll   [--keycode K] [--server URL] [--state DIR] [--hostname H]
           enrol this device (again: the same device, a new token)
  run      [--state DIR] [--once | --count N] [--interval S] [--keycode K] [--server URL]
           check in on the server's schedule (or every S seconds) until Ctrl-C (enrols
           first if needed),
           acting on the commands the server sends and acknowledging each; a
           deactivate removes the state folder and ends the run
  refresh  [--state DIR]
           check in once now (acting on its commands) and print the reply
  status   [--state DIR]
           print what the agent keeps: device, server, policy, last check-in, detections,
           isolation, commands
  swarm N  --keycode K --server URL [--concurrency C] [--duration S] [--interval S]
           [--key-prefix P] [--json] [--events]
           N simulated devices in this process (C requests in flight, default 50), each
           enrolling, then checking in for S seconds (default 0: once) on the server's
           schedule or every --interval seconds; the same --key-prefix re-installs the
           same devices. Prints a summary (--json: with each device; --events: progress
           as JSON lines on stderr)

Keycode and server default to ${CONFIG_FILE} next to cli.js; the state folder
to state/ next to cli.js. Detections: write a JSON array to <state>/detections.json.`;

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'enroll':
      return enrollCommand(rest);
    case 'run':
      return runCommand(rest);
    case 'refresh':
      return refreshCommand(rest);
    case 'status':
      return statusCommand(rest);
    case 'swarm':
      return swarmCommand(rest);
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? EXIT.usage : EXIT.ok;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

const deviceOptions = {
  keycode: { type: 'string' },
  server: { type: 'string' },
  state: { type: 'string' },
  hostname: { type: 'string' },
} as const;

async function enrollCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: deviceOptions, strict: true });
  const store = new FileStateStore(stateDir(values.state));
  const { agent, http } = deviceAgent(store, values.server);
  try {
    await enrollWithRetries(agent, store, values);
    process.stdout.write(`${JSON.stringify(enrolledSummary(store))}\n`);
    return EXIT.ok;
  } finally {
    http.close();
  }
}

async function runCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...deviceOptions,
      once: { type: 'boolean' },
      count: { type: 'string' },
      interval: { type: 'string' },
    },
    strict: true,
  });
  const count = values.once
    ? 1
    : values.count === undefined
      ? undefined
      : positive(values.count, '--count');
  const dir = stateDir(values.state);
  const store = new FileStateStore(dir);
  const stop = new AbortController();
  const { agent, http } = deviceAgent(store, values.server, stop.signal);
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping`);
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const sleeper = new Sleeper(stop.signal);
  let settle: NodeJS.Timeout | undefined;
  const watcher = watchDetections(dir, () => {
    clearTimeout(settle);
    settle = setTimeout(() => sleeper.wake(), DETECTIONS_SETTLE_MS);
  });
  try {
    if (!agent.enrolled) {
      // Stopped while still trying to enrol: a clean stop, not a failure.
      const stopped = await enrollWithRetries(agent, store, values, stop.signal).then(
        () => false,
        (error: unknown) => {
          if (stop.signal.aborted) return true;
          throw error;
        },
      );
      if (stopped) return EXIT.ok;
    }
    log(
      `checking in as device ${store.state.device!.deviceId}; detections from ${detectionsFileIn(dir)}`,
    );
    let deactivated = false;
    const done = await runCheckins(agent, {
      signal: stop.signal,
      count,
      intervalSeconds:
        values.interval === undefined ? undefined : positive(values.interval, '--interval'),
      sleeper,
      log,
      onCheckin: (result) => {
        deactivated = result.deactivated;
        if (!deactivated) {
          log(`checked in: status ${result.status}, next in ${result.reply.nextCheckinSeconds}s`);
        }
      },
    });
    log(
      deactivated
        ? `deactivated after ${done} check-in(s): state folder ${dir} removed; this agent no longer runs`
        : `stopped after ${done} check-in(s)`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DeviceTokenRefused) {
      log(error.message);
      return EXIT.tokenRefused;
    }
    throw error;
  } finally {
    clearTimeout(settle);
    watcher.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    http.close();
  }
}

async function refreshCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { state: { type: 'string' }, server: { type: 'string' } },
    strict: true,
  });
  const store = new FileStateStore(stateDir(values.state));
  const { agent, http } = deviceAgent(store, values.server);
  try {
    if (!agent.enrolled) throw new UsageError('not enrolled yet: run `enroll` first');
    const deviceId = store.state.device!.deviceId;
    const result = await agent.checkin();
    process.stdout.write(
      `${JSON.stringify({
        deviceId,
        deactivated: result.deactivated,
        status: result.status,
        detectionsSent: result.detectionsSent,
        nextCheckinSeconds: result.reply.nextCheckinSeconds,
        policy: store.state.policy
          ? {
              policyId: store.state.policy.policyId,
              version: store.state.policy.version,
              changed: result.policyApplied,
            }
          : null,
        commands: result.reply.commands,
      })}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof AgentCallError && error.code === 'DEVICE_TOKEN_INVALID') {
      log(new DeviceTokenRefused().message);
      return EXIT.tokenRefused;
    }
    throw error;
  } finally {
    http.close();
  }
}

function statusCommand(args: string[]): number {
  const { values } = parseArgs({ args, options: { state: { type: 'string' } }, strict: true });
  const dir = stateDir(values.state);
  const { state } = new FileStateStore(dir);
  const listed = readDetectionsFile(detectionsFileIn(dir)).detections;
  const sent = new Set(state.sentDetectionIds);
  process.stdout.write(
    `${JSON.stringify(
      {
        deviceId: state.device?.deviceId ?? null,
        server: state.server ?? null,
        enrolledAt: state.device?.enrolledAt ?? null,
        policy: state.policy
          ? { policyId: state.policy.policyId, version: state.policy.version }
          : null,
        lastCheckin: state.lastCheckin ?? null,
        status: agentStatusOf(listed),
        detections: { listed: listed.length, unsent: listed.filter((d) => !sent.has(d.id)).length },
        isolated: state.isolated ?? false,
        commands: {
          received: state.commands.length,
          unacknowledged: state.commands.filter((c) => c.ackedAt === undefined).length,
        },
      },
      null,
      2,
    )}\n`,
  );
  return EXIT.ok;
}

async function swarmCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      keycode: { type: 'string' },
      server: { type: 'string' },
      concurrency: { type: 'string' },
      duration: { type: 'string' },
      interval: { type: 'string' },
      'key-prefix': { type: 'string' },
      json: { type: 'boolean' },
      events: { type: 'boolean' },
    },
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('swarm takes one number: how many agents');
  if (!values.keycode || !values.server) throw new UsageError('swarm needs --keycode and --server');
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const summary = await runSwarm({
    server: values.server,
    keycode: values.keycode,
    agents: positive(positionals[0]!, 'N'),
    concurrency:
      values.concurrency === undefined ? undefined : positive(values.concurrency, '--concurrency'),
    durationSeconds:
      values.duration === undefined ? undefined : nonNegative(values.duration, '--duration'),
    intervalSeconds:
      values.interval === undefined ? undefined : positive(values.interval, '--interval'),
    keyPrefix: values['key-prefix'],
    signal: stop.signal,
    onEvent: values.events
      ? (event) => process.stderr.write(`${JSON.stringify(event)}\n`)
      : undefined,
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    // The per-device list is for programs (--json); people want the totals.
    process.stdout.write(`${JSON.stringify({ ...summary, devices: undefined }, null, 2)}\n`);
  }
  return EXIT.ok;
}

/** Keycode and server: the flag, else the bundle's warden-agent.json, else (server) the state's. */
async function enrollWithRetries(
  agent: Agent,
  store: FileStateStore,
  flags: { keycode?: string; hostname?: string },
  signal?: AbortSignal,
): Promise<void> {
  const keycode = flags.keycode ?? bundleConfig()?.keycode;
  if (!keycode)
    throw new UsageError(`no keycode: pass --keycode or put ${CONFIG_FILE} next to cli.js`);
  if (!store.state.server)
    throw new UsageError(`no server: pass --server or put ${CONFIG_FILE} next to cli.js`);
  await withRetries(
    () => agent.enroll({ keycode, hostname: flags.hostname ?? thisHostname(), os: thisOs() }),
    {
      signal,
      giveUpAfterMs: ENROLL_GIVE_UP_MS,
      onRetry: (error, waitMs) =>
        log(`enrolment failed (${error.message}); retrying in ${(waitMs / 1_000).toFixed(1)}s`),
    },
  );
}

function deviceAgent(store: FileStateStore, serverFlag: string | undefined, signal?: AbortSignal) {
  const server = serverFlag ?? store.state.server ?? bundleConfig()?.server;
  if (server && server !== store.state.server) {
    store.state.server = server;
    store.save();
  }
  if (!server)
    throw new UsageError(`no server: pass --server or put ${CONFIG_FILE} next to cli.js`);
  const http = new AgentHttpClient(server, { maxSockets: 1 });
  const agent = new Agent(http, store, detectionsFileIn(store.dir), log, {
    retry: { signal },
  });
  return { http, agent };
}

function enrolledSummary(store: FileStateStore) {
  const { device, policy, pollSeconds, server } = store.state;
  return {
    deviceId: device?.deviceId,
    server,
    pollSeconds,
    policyId: policy?.policyId,
    policyVersion: policy?.version,
  };
}

function stateDir(flag: string | undefined): string {
  return flag === undefined ? join(__dirname, 'state') : resolve(flag);
}

let bundle: AgentBundleConfig | null | undefined;
/** `warden-agent.json` next to this file (the installer bundle's), or null without one. */
function bundleConfig(): AgentBundleConfig | null {
  if (bundle !== undefined) return bundle;
  const file = join(__dirname, CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return (bundle = null);
  }
  const parsed = JSON.parse(text) as Partial<AgentBundleConfig>;
  if (typeof parsed.server !== 'string' || typeof parsed.keycode !== 'string') {
    throw new UsageError(`${file} needs "server" and "keycode"`);
  }
  return (bundle = { server: parsed.server, keycode: parsed.keycode });
}

function positive(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${name}: a whole number ≥ 1`);
  return value;
}

function nonNegative(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`${name}: a number ≥ 0`);
  return value;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
      process.exitCode = EXIT.usage;
    } else if (error instanceof AgentCallError) {
      log(`refused: ${error.message}`);
      process.exitCode = error.retryable ? EXIT.failed : EXIT.refused;
    } else {
      log(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = EXIT.failed;
    }
  },
);
