import type { EventPublisher, PreparedEvent } from '@warden/platform';

/** Lanes published side by side; within each, events keep their order. */
const LANES = 64;

/**
 * Many independent events (an audit event per endpoint of a bulk): one
 * `publish` waits for each acknowledgement in turn, so thousands go in a few
 * lanes at once instead.
 */
export async function publishInLanes(
  publisher: EventPublisher,
  events: readonly PreparedEvent[],
): Promise<void> {
  const laneSize = Math.max(1, Math.ceil(events.length / LANES));
  const lanes: PreparedEvent[][] = [];
  for (let i = 0; i < events.length; i += laneSize) lanes.push(events.slice(i, i + laneSize));
  await Promise.all(lanes.map((lane) => publisher.publish(...lane)));
}
