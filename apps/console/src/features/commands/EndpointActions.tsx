import type { CommandTarget } from '@warden/contracts';

export interface EndpointActionsProps {
  /**
   * What the actions apply to: the endpoints selected on this page, every
   * endpoint matching the table's filter ("select all across pages"), a
   * group or a site.
   */
  target: CommandTarget | undefined;
  /** How many endpoints the target names, as the table counts them (for the buttons' state). */
  count: number;
  /** After a command was issued (the table refreshes and may clear its selection). */
  onIssued?: () => void;
}

/**
 * The agent commands of DESIGN §3 (deactivate, change keycode, scan,
 * refresh configuration, isolate…) for a target: preview, a confirmation
 * naming the count (and, for deactivate, the billing warning), then the
 * bulk's progress. Owned by features/commands.
 */
export function EndpointActions(_props: EndpointActionsProps) {
  return null;
}
