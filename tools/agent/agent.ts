import type {
  AcknowledgeReply,
  AgentCommand,
  AgentDetection,
  AgentOs,
  CheckinReply,
  CommandOutcome,
  EnrollReply,
} from '@warden/contracts';
import { AgentCallError, type AgentHttpClient } from './agent-http';
import { agentStatusOf, readDetectionsFile, unsentDetections } from './detections';
import { AGENT_VERSION, thisHostname, thisOs } from './device';
import { type RetryOptions, withRetries } from './scheduler';
import { KEPT_COMMANDS, type ReceivedCommand, type StateStore } from './state-store';

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
  /** A `deactivate` command was acknowledged: the state is gone, the agent stops. */
  deactivated: boolean;
}

export interface CommandOptions {
  /** How acknowledgements (and the calls a command makes) are retried: until the server answers. */
  retry?: RetryOptions;
  onAcknowledged?: (command: AgentCommand, reply: AcknowledgeReply) => void;
}

type CommandResult = { outcome: CommandOutcome; message: string };

/**
 * One device's protocol steps, each a single attempt (retries and the
 * schedule are the caller's: scheduler.ts). The state is saved after every
 * step the server acknowledged, so a crash loses at most a repeat.
 */
export class Agent {
  private lastReadDetections: AgentDetection[] = [];
  /** A change of keycode's new enrolment, by command id: switched to once the old device acknowledged. */
  private readonly newEnrolments = new Map<string, EnrollReply>();

  constructor(
    private readonly http: AgentHttpClient,
    private readonly store: StateStore,
    /** `<state>/detections.json`; absent for the swarm's simulated devices. */
    private readonly detectionsFile?: string,
    private readonly log: Log = () => {},
    private readonly commandOptions: CommandOptions = {},
  ) {}

  get state() {
    return this.store.state;
  }

  get enrolled(): boolean {
    return this.store.state.device !== undefined;
  }

  async enroll(input: EnrollInput): Promise<EnrollReply> {
    const state = this.store.state;
    const identity = { hostname: input.hostname, os: input.os };
    const reply = await this.http.enroll({
      keycode: input.keycode,
      hardwareKey: state.hardwareKey,
      ...identity,
      agentVersion: AGENT_VERSION,
    });
    state.identity = identity;
    this.becomeEnrolled(reply);
    return reply;
  }

  /** From now on this agent is the device of `reply`. */
  private becomeEnrolled(reply: EnrollReply): void {
    const state = this.store.state;
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
    this.store.save();
    if (detections.length > 0)
      this.log(`reported ${detections.length} detection(s); status ${status}`);
    const deactivated = await this.actOn(reply.commands);
    return {
      reply,
      status,
      detectionsSent: detections.length,
      moreToSend: batch.length > detections.length,
      policyApplied,
      deactivated,
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

  /**
   * Runs each command of a check-in reply once (a re-delivery is only
   * acknowledged again, with what it did the first time) and acknowledges
   * each, retrying until the server answers. True when it was deactivated:
   * the state is gone and the commands after it are left.
   */
  private async actOn(commands: AgentCommand[]): Promise<boolean> {
    // They are the checked-in device's, even after a change of keycode switched this agent.
    const token = this.store.state.device!.deviceToken;
    for (const command of commands) {
      const kept = this.keep(command);
      if (kept.result === undefined) {
        kept.result = await this.run(kept);
        this.log(
          `command ${kept.id} (${kept.type}): ${kept.result.outcome}, ${kept.result.message}`,
        );
        this.store.save();
      }
      await this.acknowledge(token, kept, kept.result);
      kept.ackedAt = new Date().toISOString();
      this.store.save();
      if (kept.type === 'deactivate' && kept.result.outcome === 'succeeded') {
        this.store.remove();
        this.log('deactivated by the server: this agent’s state was removed; it stops now');
        return true;
      }
      const moved = this.newEnrolments.get(kept.id);
      if (moved) {
        this.newEnrolments.delete(kept.id);
        this.becomeEnrolled(moved);
      }
    }
    return false;
  }

  /** The command as kept since its first delivery (the latest KEPT_COMMANDS are remembered). */
  private keep(command: AgentCommand): ReceivedCommand {
    const state = this.store.state;
    const known = state.commands.find((c) => c.id === command.id);
    if (known) return known;
    const received: ReceivedCommand = { ...command, receivedAt: new Date().toISOString() };
    state.commands.push(received);
    state.commands.splice(0, Math.max(0, state.commands.length - KEPT_COMMANDS));
    return received;
  }

  /** What the command does; the reference agent simulates what would touch the machine. */
  private async run(command: AgentCommand): Promise<CommandResult> {
    const done = (message: string): CommandResult => ({ outcome: 'succeeded', message });
    switch (command.type) {
      case 'deactivate':
        return done('uninstalled: the agent removes its state and stops');
      case 'change_keycode':
        return this.changeKeycode(command);
      case 'refresh_config':
        return this.refreshConfig();
      case 'scan': {
        const kind = command.parameters['kind'] === 'full' ? 'full' : 'quick';
        return done(`${kind} scan (simulated): no threats found`);
      }
      case 'cleanup':
        return done('cleanup (simulated): nothing to remove');
      case 'restart':
        return done('restart (simulated)');
      case 'isolate':
      case 'unisolate':
        this.store.state.isolated = command.type === 'isolate';
        return done(`${command.type}d (simulated: the network is left as it is)`);
      default:
        return { outcome: 'failed', message: `this agent does not know ${command.type}` };
    }
  }

  /**
   * Enrols into the keycode's site as this same device (its hardware key):
   * the target claims a seat first. The switch to the new device happens once
   * the old one acknowledged; a refusal (SEAT_LIMIT_REACHED, KEYCODE_INVALID)
   * is reported and the agent stays where it is.
   */
  private async changeKeycode(command: AgentCommand): Promise<CommandResult> {
    const keycode = command.parameters['keycode'];
    if (typeof keycode !== 'string') return { outcome: 'failed', message: 'no keycode given' };
    const state = this.store.state;
    const identity = state.identity ?? { hostname: thisHostname(), os: thisOs() };
    try {
      const reply = await this.retried('enrolment with the new keycode', () =>
        this.http.enroll({
          keycode,
          hardwareKey: state.hardwareKey,
          ...identity,
          agentVersion: AGENT_VERSION,
        }),
      );
      this.newEnrolments.set(command.id, reply);
      return { outcome: 'succeeded', message: `enrolled as device ${reply.deviceId}` };
    } catch (error) {
      if (!(error instanceof AgentCallError) || error.retryable) throw error;
      return { outcome: 'failed', message: error.code };
    }
  }

  /** Checks in again now without a policy version, so the reply carries the policy. */
  private async refreshConfig(): Promise<CommandResult> {
    const state = this.store.state;
    const reply = await this.retried('check-in for the policy', () =>
      this.http.checkin(state.device!.deviceToken, {
        policyVersion: null,
        status: agentStatusOf(this.readDetections()),
        detections: [],
      }),
    );
    // Its commands come again with the next check-in: each is delivered until acknowledged.
    if (reply.policy) this.applyPolicy(reply.policy, reply.policy.versionTag);
    this.store.save();
    return {
      outcome: 'succeeded',
      message: `policy ${state.policy?.policyId} v${state.policy?.version} applied`,
    };
  }

  private async acknowledge(
    token: string,
    command: ReceivedCommand,
    result: CommandResult,
  ): Promise<void> {
    try {
      const reply = await this.retried(`acknowledgement of ${command.id}`, () =>
        this.http.acknowledge(token, command.id, result),
      );
      this.commandOptions.onAcknowledged?.(command, reply);
    } catch (error) {
      // A refusal is an answer too (a command of another device, a token replaced): not retried.
      if (!(error instanceof AgentCallError) || error.retryable) throw error;
      this.log(`acknowledgement of ${command.id} refused: ${error.code}`);
    }
  }

  private retried<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    const retry = this.commandOptions.retry ?? {};
    return withRetries(attempt, {
      ...retry,
      onRetry: (error, waitMs) => {
        this.log(`${what} failed (${error.message}); retrying in ${(waitMs / 1_000).toFixed(1)}s`);
        retry.onRetry?.(error, waitMs);
      },
    });
  }
}

export function isTokenRefused(error: unknown): boolean {
  return error instanceof AgentCallError && error.code === 'DEVICE_TOKEN_INVALID';
}
