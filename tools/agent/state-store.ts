import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentCommand, AgentOs, AgentPolicy, CommandOutcome } from '@warden/contracts';

/**
 * What the agent remembers between runs. The hardware key is made once and
 * never changes, so enrolling again from the same state is a re-install of
 * the same device (same deviceId, same seat, a new token).
 */
export interface AgentState {
  hardwareKey: string;
  server?: string;
  device?: DeviceCredentials;
  /** What it enrolled as (a change of keycode enrols again as the same). */
  identity?: { hostname: string; os: AgentOs };
  pollSeconds?: number;
  /** The version tag sent back on every check-in; null until the first policy arrives. */
  policyVersion: string | null;
  /** The policy applied, as the server sent it. */
  policy?: Pick<AgentPolicy, 'policyId' | 'version' | 'versionTag' | 'settings'>;
  /** Ids of detections the server has acknowledged (a 2xx check-in carried them). */
  sentDetectionIds: string[];
  /** The latest commands received (`KEPT_COMMANDS`), each run once: what it did, and whether the server took the acknowledgement. */
  commands: ReceivedCommand[];
  /** Set by `isolate`, cleared by `unisolate` (simulated: the reference agent cuts nothing off). */
  isolated?: boolean;
  /** The agent version the server last heard (sent again only when it changes). */
  reportedAgentVersion?: string;
  lastCheckin?: { at: string; nextCheckinSeconds: number };
}

export interface DeviceCredentials {
  deviceId: string;
  deviceToken: string;
  enrolledAt: string;
}

/** A command as the agent keeps it from its first delivery. */
export interface ReceivedCommand extends AgentCommand {
  receivedAt: string;
  /** Set once it ran: a re-delivery is acknowledged again with this, never run twice. */
  result?: { outcome: CommandOutcome; message: string };
  /** When the server answered its acknowledgement. */
  ackedAt?: string;
}

/** Commands remembered; older ones are forgotten (the server stops delivering once acknowledged). */
export const KEPT_COMMANDS = 100;

/** Where a state lives: a folder on disk for the CLI, memory for the swarm. */
export interface StateStore {
  readonly state: AgentState;
  save(): void;
  /** Forgets this device for good (deactivated): the folder goes, with the token in it. */
  remove(): void;
}

export const STATE_FILE = 'agent-state.json';

/** A new device: a random hardware key, nothing else yet. */
export function freshState(hardwareKey: string = newHardwareKey()): AgentState {
  return { hardwareKey, policyVersion: null, sentDetectionIds: [], commands: [] };
}

/** 32 random bytes, hex: unique enough per site that two installs never collide. */
export function newHardwareKey(): string {
  return `wa-${randomBytes(32).toString('hex')}`;
}

export class MemoryStateStore implements StateStore {
  removed = false;
  constructor(readonly state: AgentState = freshState()) {}
  save(): void {}
  remove(): void {
    this.removed = true;
  }
}

/**
 * `<dir>/agent-state.json`, readable by its owner only (it holds the device
 * token), replaced atomically (write then rename) so a crash mid-write
 * leaves the previous state, never half of one.
 */
export class FileStateStore implements StateStore {
  readonly state: AgentState;
  private readonly file: string;

  constructor(readonly dir: string) {
    this.file = join(dir, STATE_FILE);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const existing = readState(this.file);
    this.state = existing ?? freshState();
    if (!existing) this.save();
  }

  save(): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.state, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.file);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function readState(file: string): AgentState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<AgentState>;
  if (typeof parsed.hardwareKey !== 'string' || parsed.hardwareKey.length < 8) {
    throw new Error(`${file} has no hardware key: move it away to start as a new device`);
  }
  // Older or hand-edited files: fill what a later version added.
  return { ...freshState(parsed.hardwareKey), ...parsed };
}
