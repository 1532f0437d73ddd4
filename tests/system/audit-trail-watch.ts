import { auditTrailNotices } from '@warden/contracts';
import { createSignal, testServers } from '@warden/testing';
import { connect } from 'nats';

/**
 * Waits for what the audit trail lists without polling: identity tells
 * (core NATS, `identity.audit.stored.v1`) each time it has stored an event,
 * and only then is the trail read again. Events reach identity
 * asynchronously, so a change's audit event lands a moment after the change.
 */
export interface AuditTrailWatch {
  /** Reads the trail (`read`) now and after each stored event until `check` holds; the last read. */
  until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T>;
  stop(): Promise<void>;
}

export async function watchAuditTrail(): Promise<AuditTrailWatch> {
  const nats = await connect({ servers: testServers().natsUrl, name: 'audit-trail-watch' });
  const signal = createSignal();
  const subscription = nats.subscribe(auditTrailNotices.stored.subject, {
    callback: () => signal.poke(),
  });
  await nats.flush();
  return {
    async until(read, check, what) {
      let last: Awaited<ReturnType<typeof read>> | undefined;
      await signal.until(async () => check((last = await read())), what);
      return last!;
    },
    async stop() {
      subscription.unsubscribe();
      await nats.drain();
    },
  };
}
