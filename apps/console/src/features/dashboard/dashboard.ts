import { CONSOLE_APP_PATHS, type EndpointStatus } from '@warden/contracts';

/** How many recent detections and pending commands the dashboard lists. */
export const DASHBOARD_ROWS = 5;

/**
 * The endpoints table of a site (`?site=`, as the endpoints page keeps it),
 * filtered to one status (`?status=`).
 */
export function endpointsLink(siteId: string, status?: EndpointStatus): string {
  const query = new URLSearchParams({ site: siteId });
  if (status) query.set('status', status);
  return `${CONSOLE_APP_PATHS.endpoints}?${query}`;
}

/** Seats in use as a share of those purchased, 0–100 (an overage is shown full). */
export function seatShare(usage: { seats: number; used: number }): number {
  if (usage.seats === 0) return usage.used > 0 ? 100 : 0;
  return Math.min(100, Math.round((usage.used * 100) / usage.seats));
}

/** The threat an endpoint found last: what the dashboard names beside its last infection. */
export function latestThreat(
  detections: readonly { threatName: string; detectedAt: string }[],
): string | undefined {
  let latest: { threatName: string; detectedAt: string } | undefined;
  for (const detection of detections) {
    if (!latest || detection.detectedAt > latest.detectedAt) latest = detection;
  }
  return latest?.threatName;
}
