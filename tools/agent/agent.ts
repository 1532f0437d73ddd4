import type { AgentDetection, AgentOs, CheckinReply, EnrollReply } from '@warden/contracts';
import { AgentCallError, type AgentHttpClient } from './agent-http';
import { agentStatusOf, readDetectionsFile, unsentDetections } from './detections';
import { AGENT_VERSION } from './device';
import type { StateStore } from './state-store';

/** contracts' MAX_DETECTIONS_PER_CHECKIN (a value, so repeated here for a bundle without zod). */
export const MAX_DETECTIONS_PER_CHECKIN = 100;

export type Log = (line: string) => void;

export interface EnrollInput {
  keycode: string;
  hostname: string;
  os: AgentOs;
}

export interface CheckinResult {
  reply: CheckinReply;
  status: 'ok' | 'threats_active';
  detectionsSent: number;
  /** More unacknowledged detections than one check-in carries: check in again soon. */
  moreToSend: boolean;
  policyApplied: boolean;
}

/**
 * One device's protocol steps, each a single attempt (retries and the
 * schedule are the caller's: scheduler.ts). The state is saved after every
 * step the server acknowledged, so a crash loses at most a repeat.
 */
export class Agent {
  private lastReadDetections: AgentDetection[] = [];

  constructor(
    private readonly http: AgentHttpClient,
    private readonly store: StateStore,
    /** `<state>/detections.json`; absent for the swarm's simulated devices. */
    private readonly detectionsFile?: string,
    private readonly log: Log = () => {},
  ) {}

  get state() {
    return this.store.state;
  }

  get enrolled(): boolean {
    return this.store.state.device !== undefined;
  }

  async enroll(input: EnrollInput): Promise<EnrollReply> {
    const state = this.store.state;
    const reply = await this.http.enroll({
      keycode: input.keycode,
      hardwareKey: state.hardwareKey,
      hostname: input.hostname,
      os: input.os,
      agentVersion: AGENT_VERSION,
    });
    state.device = {
      deviceId: reply.deviceId,
      deviceToken: reply.deviceToken,
      enrolledAt: new Date().toISOString(),
    };
    state.pollSeconds = reply.pollSeconds;
    state.reportedAgentVersion = AGENT_VERSION;
    this.applyPolicy(reply.policy, reply.policyVersion);
    this.store.save();
    this.log(
      `enrolled as device ${reply.deviceId}; policy ${reply.policy.policyId} v${reply.policy.version}, check-in every ~${reply.pollSeconds}s`,
    );
    return reply;
  }

  async checkin(): Promise<CheckinResult> {
    const state = this.store.state;
    if (!state.device) throw new Error('not enrolled: run `enroll` first');
    const listed = this.readDetections();
    const status = agentStatusOf(listed);
    const sent = new Set(state.sentDetectionIds);
    const batch = unsentDetections(listed, sent, MAX_DETECTIONS_PER_CHECKIN + 1);
    const detections = batch.slice(0, MAX_DETECTIONS_PER_CHECKIN);
    const reply = await this.http.checkin(state.device.deviceToken, {
      policyVersion: state.policyVersion,
      status,
      detections,
      ...(state.reportedAgentVersion === AGENT_VERSION ? {} : { agentVersion: AGENT_VERSION }),
    });
    state.reportedAgentVersion = AGENT_VERSION;
    state.sentDetectionIds.push(...detections.map((d) => d.id));
    state.lastCheckin = {
      at: new Date().toISOString(),
      nextCheckinSeconds: reply.nextCheckinSeconds,
    };
    const policyApplied = reply.policy !== undefined;
    if (reply.policy) this.applyPolicy(reply.policy, reply.policy.versionTag);
    this.keepCommands(reply);
    this.store.save();
    if (detections.length > 0)
      this.log(`reported ${detections.length} detection(s); status ${status}`);
    return {
      reply,
      status,
      detectionsSent: detections.length,
      moreToSend: batch.length > detections.length,
      policyApplied,
    };
  }

  private readDetections(): AgentDetection[] {
    if (!this.detectionsFile) return [];
    const read = readDetectionsFile(this.detectionsFile);
    for (const why of read.rejected) this.log(`detections.json: left out ${why}`);
    // A file caught half written must not read as "no threats": that would
    // report `ok` and clear the endpoint's infection.
    if (read.unreadable) return this.lastReadDetections;
    this.lastReadDetections = read.detections;
    return read.detections;
  }

  /** The reference agent has no engine to configure: applying is keeping and saying so. */
  private applyPolicy(policy: EnrollReply['policy'], versionTag: string): void {
    const state = this.store.state;
    state.policy = {
      policyId: policy.policyId,
      version: policy.version,
      versionTag: policy.versionTag,
      settings: policy.settings,
    };
    state.policyVersion = versionTag;
    this.log(`applied policy ${policy.policyId} v${policy.version} (${versionTag})`);
  }

  /** Issue 12 acts on commands; until then they are kept (once each) and logged. */
  private keepCommands(reply: CheckinReply): void {
    const state = this.store.state;
    const known = new Set(state.commands.map((c) => c.id));
    for (const command of reply.commands) {
      if (known.has(command.id)) continue;
      state.commands.push({ ...command, receivedAt: new Date().toISOString() });
      this.log(
        `command ${command.id}: ${command.type} (kept; this agent does not act on commands yet)`,
      );
    }
  }
}

export function isTokenRefused(error: unknown): boolean {
  return error instanceof AgentCallError && error.code === 'DEVICE_TOKEN_INVALID';
}
