import { hostname, release, version } from 'node:os';
import type { AgentOs, OsFamily } from '@warden/contracts';

/** This agent's version, sent at enrolment and whenever it changes. */
export const AGENT_VERSION = '0.1.0';

export function thisHostname(): string {
  return hostname().trim().slice(0, 255) || 'unknown-host';
}

export function thisOs(): AgentOs {
  const family: OsFamily =
    process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'macos' : 'linux';
  const described = `${version()} ${release()}`.trim().slice(0, 100);
  return { family, version: described || 'unknown' };
}
