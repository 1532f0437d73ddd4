import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import type { AgentDetection, AgentStatus, DetectionAction } from '@warden/contracts';

/*
 * Detections come from `<state>/detections.json`: an array of the protocol's
 * detection objects, written by whatever plays the scanner (a test, a person
 * trying the product). The agent sends the ones the server has not
 * acknowledged and reports `threats_active` while any listed one was only
 * detected, not remediated.
 */

export const DETECTIONS_FILE = 'detections.json';

/** The protocol's actions (contracts' DETECTION_ACTIONS, repeated so the bundle needs no zod). */
const ACTIONS: readonly DetectionAction[] = ['blocked', 'quarantined', 'removed', 'detected'];

export interface DetectionsRead {
  detections: AgentDetection[];
  /** Entries left out, each with why: the gateway would refuse the whole check-in for one bad entry. */
  rejected: string[];
  /** The file is half written or not a list: the caller keeps what it read last. */
  unreadable?: boolean;
}

export function readDetectionsFile(file: string): DetectionsRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { detections: [], rejected: [] };
    throw error;
  }
  if (text.trim() === '') return { detections: [], rejected: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { detections: [], rejected: [`${file} is not JSON (yet?)`], unreadable: true };
  }
  if (!Array.isArray(parsed))
    return { detections: [], rejected: [`${file} is not an array`], unreadable: true };
  const detections: AgentDetection[] = [];
  const rejected: string[] = [];
  parsed.forEach((entry: unknown, index) => {
    const problem = detectionProblem(entry);
    if (problem) rejected.push(`entry ${index}: ${problem}`);
    else detections.push(pick(entry as AgentDetection));
  });
  return { detections, rejected };
}

/** The shape rules of contracts' agentDetectionSchema, by hand. */
export function detectionProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'not an object';
  const d = entry as Record<string, unknown>;
  const text = (key: string, max: number) => {
    const value = d[key];
    return typeof value === 'string' && value.trim().length >= 1 && value.length <= max;
  };
  if (!text('id', 100)) return 'id: a string of 1 to 100 characters';
  if (!text('threatName', 200)) return 'threatName: a string of 1 to 200 characters';
  if (!text('path', 1000)) return 'path: a string of 1 to 1000 characters';
  if (typeof d['hash'] !== 'string' || !/^[0-9a-fA-F]{32,128}$/.test(d['hash'])) {
    return 'hash: hex, 32 to 128 digits';
  }
  if (!ACTIONS.includes(d['actionTaken'] as DetectionAction)) {
    return `actionTaken: one of ${ACTIONS.join(', ')}`;
  }
  if (
    typeof d['detectedAt'] !== 'string' ||
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(d['detectedAt'])
  ) {
    return 'detectedAt: an ISO date-time in UTC (2026-01-31T09:00:00Z)';
  }
  return undefined;
}

/** Only the protocol's fields: the gateway's schema is strict. */
function pick(d: AgentDetection): AgentDetection {
  return {
    id: d.id.trim(),
    threatName: d.threatName.trim(),
    path: d.path,
    hash: d.hash,
    actionTaken: d.actionTaken,
    detectedAt: d.detectedAt,
  };
}

export function agentStatusOf(detections: readonly AgentDetection[]): AgentStatus {
  return detections.some((d) => d.actionTaken === 'detected') ? 'threats_active' : 'ok';
}

/** Detections not yet acknowledged by the server, oldest listed first, at most `max`. */
export function unsentDetections(
  detections: readonly AgentDetection[],
  sentIds: ReadonlySet<string>,
  max: number,
): AgentDetection[] {
  const seen = new Set<string>();
  const unsent: AgentDetection[] = [];
  for (const detection of detections) {
    if (sentIds.has(detection.id) || seen.has(detection.id)) continue;
    seen.add(detection.id);
    unsent.push(detection);
    if (unsent.length === max) break;
  }
  return unsent;
}

/**
 * Calls `onChange` when the detections file may have changed. Watches the
 * folder, not the file, so a file created later, or replaced by a rename
 * (how editors and careful writers save), is seen too.
 */
export function watchDetections(stateDir: string, onChange: () => void): { close(): void } {
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(stateDir, (_event, name) => {
      if (name === null || name === DETECTIONS_FILE) onChange();
    });
  } catch {
    // No watching on this file system: the schedule still picks changes up.
    return { close() {} };
  }
  watcher.on('error', () => watcher?.close());
  return { close: () => watcher?.close() };
}

export const detectionsFileIn = (stateDir: string): string => join(stateDir, DETECTIONS_FILE);
