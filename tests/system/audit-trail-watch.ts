import { auditTrailNotices } from '@warden/contracts';
import { testServers } from '@warden/testing';
import { connect } from 'nats';

/** Only for a failure report: the waits end on notices, never on this. */
const GIVE_UP_MS = 15_000;

/**
 * Waits for what the audit trail lists without polling: identity tells
 * (core NATS, `identity.audit.stored.v1`) each time it has stored an event,
 * and only then is the trail read again. Events reach identity
 * asynchronously, so a change's audit event lands a moment after the change.
 */
export interface AuditTrailWatch {
  /** Reads the trail now and after each stored event until `check` holds; the last read. */
  until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T>;
  stop(): Promise<void>;
}

export async function watchAuditTrail(): Promise<AuditTrailWatch> {
  const nats = await connect({ servers: testServers().natsUrl, name: 'audit-trail-watch' });
  let stored = 0;
  let wake: (() => void) | null = null;
  const subscription = nats.subscribe(auditTrailNotices.stored.subject, {
    callback: () => {
      stored++;
      wake?.();
    },
  });
  await nats.flush();
  return {
    async until(read, check, what) {
      const deadline = Date.now() + GIVE_UP_MS;
      for (;;) {
        const seen = stored;
        const value = await read();
        if (check(value)) return value;
        // Read again once something more is stored (it may have been, during the read).
        if (stored === seen) {
          const left = deadline - Date.now();
          const woken = await new Promise<boolean>((done) => {
            const timer = setTimeout(() => done(false), Math.max(0, left));
            wake = () => {
              clearTimeout(timer);
              done(true);
            };
          });
          wake = null;
          if (!woken) throw new Error(`gave up waiting for ${what}`);
        }
      }
    },
    async stop() {
      subscription.unsubscribe();
      await nats.drain();
    },
  };
}
