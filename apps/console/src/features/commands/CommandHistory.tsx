/** An endpoint's commands, newest first, with their states. Owned by features/commands. */
export function CommandHistory(_props: { endpointId: string }) {
  return null;
}
