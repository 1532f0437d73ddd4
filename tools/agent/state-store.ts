import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentCommand, AgentPolicy } from '@warden/contracts';

/**
 * What the agent remembers between runs. The hardware key is made once and
 * never changes, so enrolling again from the same state is a re-install of
 * the same device (same deviceId, same seat, a new token).
 */
export interface AgentState {
  hardwareKey: string;
  server?: string;
  device?: { deviceId: string; deviceToken: string; enrolledAt: string };
  pollSeconds?: number;
  /** The version tag sent back on every check-in; null until the first policy arrives. */
  policyVersion: string | null;
  /** The policy applied, as the server sent it. */
  policy?: Pick<AgentPolicy, 'policyId' | 'version' | 'versionTag' | 'settings'>;
  /** Ids of detections the server has acknowledged (a 2xx check-in carried them). */
  sentDetectionIds: string[];
  /** Commands received (issue 12 acts on them), each kept once. */
  commands: (AgentCommand & { receivedAt: string })[];
  /** The agent version the server last heard (sent again only when it changes). */
  reportedAgentVersion?: string;
  lastCheckin?: { at: string; nextCheckinSeconds: number };
}

/** Where a state lives: a folder on disk for the CLI, memory for the swarm. */
export interface StateStore {
  readonly state: AgentState;
  save(): void;
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
  constructor(readonly state: AgentState = freshState()) {}
  save(): void {}
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
