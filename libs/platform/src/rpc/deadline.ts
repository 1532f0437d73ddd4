/**
 * The NATS header with the moment (epoch milliseconds) after which the caller
 * no longer waits for the reply. A service does not start work whose answer
 * nobody will read (DrainingNatsServer).
 */
export const DEADLINE_HEADER = 'x-deadline';
