/**
 * The command runs of `npm run bench` (DESIGN §10, issue 12): a bulk command
 * fanned out to every enrolled device — written, delivered on check-in and
 * acknowledged — and the lateness of deactivation-verification jobs while the
 * check-in load runs.
 */
import {
  type AcknowledgeReply,
  type Caller,
  type CheckinReply,
  commandRpc,
  type CommandSpecInput,
  type CommandTarget,
  type EnrollReply,
  licensingRpc,
  QUEUES,
} from '@warden/contracts';
import type { NatsRpcClient } from '@warden/platform';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { concurrently, fmt, line, pct, rows } from './bench-kit';

/** A console's super admin, as the gateway would send it from a session. */
export function superAdmin(consoleId: string): Caller {
  return { actor: { type: 'admin', id: 'bench-admin' }, consoleId };
}

/** Preview and issue one bulk; how long the issue (the write) took. */
async function issueBulk(
  rpc: NatsRpcClient,
  caller: Caller,
  target: CommandTarget,
  command: CommandSpecInput,
): Promise<{ bulkId: string; total: number; writeMs: number }> {
  const preview = await rpc.request(commandRpc.previewBulk, { caller, target, command });
  const started = performance.now();
  const bulk = await rpc.request(
    commandRpc.issueBulk,
    { caller, confirmationToken: preview.confirmationToken },
    { timeoutMs: 60_000 },
  );
  return { bulkId: bulk.bulkId, total: bulk.total, writeMs: performance.now() - started };
}

/** One agent's round: check in, then acknowledge every command the reply carries. */
async function checkinAndAck(
  gatewayUrl: string,
  device: EnrollReply,
  onCommand: (commandId: string, ack: AcknowledgeReply) => void,
): Promise<number> {
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${device.deviceToken}`,
  };
  const response = await fetch(`${gatewayUrl}/agent/v1/checkin`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ policyVersion: device.policyVersion, status: 'ok', detections: [] }),
  });
  if (!response.ok) throw new Error(`check-in: HTTP ${response.status}`);
  const reply = (await response.json()) as CheckinReply;
  for (const command of reply.commands) {
    const acked = await fetch(`${gatewayUrl}/agent/v1/commands/${command.id}/ack`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ outcome: 'succeeded', message: 'bench' }),
    });
    if (!acked.ok) throw new Error(`ack: HTTP ${acked.status}`);
    onCommand(command.id, (await acked.json()) as AcknowledgeReply);
  }
  return reply.commands.length;
}

/**
 * A `scan` to every device of the site: the bulk's write time, then rounds of
 * every device that has not acknowledged yet checking in (64 at once, as
 * agents polling) and acknowledging, until all have. Duplicates: a device
 * that received two different commands, or an acknowledgement recorded
 * twice; misses: a device never reached. Both must be 0.
 */
export async function commandFanOut(
  rpc: NatsRpcClient,
  gatewayUrl: string,
  consoleId: string,
  siteId: string,
  fleet: EnrollReply[],
): Promise<void> {
  const issued = await issueBulk(
    rpc,
    superAdmin(consoleId),
    { kind: 'site', siteId },
    { type: 'scan', parameters: { kind: 'quick' } },
  );
  rows.push({
    measure: `command fan-out: ${fmt(issued.total)} commands written (preview, then issue)`,
    rate: issued.writeMs,
    unit: 'ms',
    note: `${fmt((issued.total / issued.writeMs) * 1000)} commands/s; target ≤ 1 000 ms`,
  });
  line(`  fan-out write: ${fmt(issued.writeMs)} ms for ${fmt(issued.total)} commands`);

  const received = new Map<string, Set<string>>();
  let recordedAcks = 0;
  const recordedBy = new Map<string, number>();
  const started = performance.now();
  let waiting = fleet;
  let rounds = 0;
  while (waiting.length > 0 && rounds < 20) {
    rounds++;
    const acked = new Set<string>();
    await concurrently(waiting.length, async (i) => {
      const device = waiting[i]!;
      await checkinAndAck(gatewayUrl, device, (commandId, ack) => {
        let ids = received.get(device.deviceId);
        if (!ids) received.set(device.deviceId, (ids = new Set()));
        ids.add(commandId);
        if (ack.recorded) {
          recordedAcks++;
          recordedBy.set(commandId, (recordedBy.get(commandId) ?? 0) + 1);
        }
        acked.add(device.deviceId);
      });
    });
    waiting = waiting.filter((device) => !acked.has(device.deviceId));
  }
  const seconds = (performance.now() - started) / 1000;
  const bulk = await rpc.request(commandRpc.getBulk, {
    caller: superAdmin(consoleId),
    bulkId: issued.bulkId,
  });
  const duplicates =
    [...received.values()].filter((ids) => ids.size > 1).length +
    [...recordedBy.values()].filter((n) => n > 1).length;
  const misses = fleet.filter((device) => !received.has(device.deviceId)).length;
  rows.push({
    measure: `command fan-out: ${fmt(fleet.length)} devices checked in and acknowledged`,
    rate: recordedAcks / seconds,
    unit: 'acks/s',
    note:
      `all acknowledged after ${seconds.toFixed(1)} s in ${rounds} round(s); ` +
      `succeeded ${bulk.states.succeeded ?? 0}/${bulk.total}; duplicates ${duplicates}; misses ${misses}`,
  });
  if (duplicates > 0 || misses > 0 || (bulk.states.succeeded ?? 0) !== bulk.total) {
    line(`FAIL: the fan-out had ${duplicates} duplicates and ${misses} misses`);
    process.exitCode = 1;
  }
}

/** What the verification job returns (services/command/src/deactivation). */
interface VerificationResult {
  dueAt: string;
  startedAt: string;
}

/**
 * Deactivates `devices` (acknowledged at once, then silent), and while their
 * verification jobs come due runs `load` (the check-in load); then reads each
 * job's due and start times from Redis: lateness = start − due.
 */
export async function deactivationLateness(
  rpc: NatsRpcClient,
  options: {
    gatewayUrl: string;
    redisUrl: string;
    queuePrefix: string;
    consoleId: string;
    siteId: string;
    devices: EnrollReply[];
    load: () => Promise<void>;
  },
): Promise<void> {
  const { gatewayUrl, consoleId, siteId, devices } = options;
  const issued = await issueBulk(
    rpc,
    superAdmin(consoleId),
    { kind: 'site', siteId },
    { type: 'deactivate' },
  );
  const commandIds: string[] = [];
  await concurrently(devices.length, async (i) => {
    await checkinAndAck(gatewayUrl, devices[i]!, (commandId) => commandIds.push(commandId));
  });
  await options.load();

  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUES.deactivationVerify, {
    connection,
    prefix: options.queuePrefix,
  });
  try {
    const lateness: number[] = [];
    const deadline = Date.now() + 120_000;
    for (const commandId of commandIds) {
      for (;;) {
        // The command service's job id (BullMQ refuses a custom id with one `:`).
        const job = await queue.getJob(`verify-${commandId}`);
        const result = job?.returnvalue as VerificationResult | null | undefined;
        if (result?.dueAt) {
          lateness.push(Date.parse(result.startedAt) - Date.parse(result.dueAt));
          break;
        }
        if (Date.now() > deadline) throw new Error(`verification of ${commandId} never finished`);
        await new Promise((done) => setTimeout(done, 200));
      }
    }
    lateness.sort((a, b) => a - b);
    const site = await rpc.request(licensingRpc.getSite, {
      caller: { actor: { type: 'system', id: 'bench' } },
      siteId,
    });
    rows.push({
      measure: `deactivation verification: ${issued.total} jobs due during the check-in load`,
      rate: lateness.length,
      unit: 'jobs',
      p50: pct(lateness, 50),
      p99: pct(lateness, 99),
      note: `p50/p99: lateness (start − due); target p99 ≤ 150 ms; seats used after: ${site.usage.used}`,
    });
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
