import { readFileSync } from 'node:fs';
import { hostname, release, version } from 'node:os';
import type { AgentOs, OsFamily } from '@warden/contracts';

/** This agent's version, sent at enrolment and whenever it changes. */
export const AGENT_VERSION = '0.1.0';

export function thisHostname(): string {
  return hostname().trim().slice(0, 255) || 'unknown-host';
}

/** The OS as the endpoint table shows it: "Windows 11 Pro 10.0.22631", "Debian GNU/Linux 12 (bookworm)". */
export function thisOs(): AgentOs {
  const family: OsFamily =
    process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'macos' : 'linux';
  const described =
    family === 'linux'
      ? (linuxDistribution() ?? `Linux ${release()}`)
      : `${version()} ${release()}`;
  return { family, version: described.trim().slice(0, 100) || 'unknown' };
}

/** PRETTY_NAME of /etc/os-release; the kernel's version string says little to an administrator. */
function linuxDistribution(): string | undefined {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const match = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(text);
    return match?.[1];
  } catch {
    return undefined;
  }
}
