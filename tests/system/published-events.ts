import { DomainError } from '@warden/platform';
import { connect, JSONCodec, type NatsConnection, type Subscription } from 'nats';

/*
 * What the system tests that talk to the services over NATS (no gateway)
 * share: the events a service publishes, and the code of a refused request.
 */

export interface Published {
  subject: string;
  data: Record<string, unknown>;
}

/**
 * A core-NATS subscriber that sees every publish of a service's events
 * (docs/adr/0005) and keeps them, for one `describe` block: `start` in
 * `beforeAll`, `stop` in `afterAll`.
 */
export class PublishedEvents {
  readonly published: Published[] = [];
  private bus?: NatsConnection;
  private subscription?: Subscription;

  /** `events`: the service's event contracts, under the subject `prefix`.> */
  constructor(
    private readonly prefix: string,
    private readonly events: Record<string, { subject: string }>,
  ) {}

  async start(natsUrl: string): Promise<void> {
    const bus = await connect({ servers: natsUrl });
    this.bus = bus;
    const codec = JSONCodec<{ data: Record<string, unknown> }>();
    const subjects = new Set(Object.values(this.events).map((e) => e.subject));
    const subscription = bus.subscribe(`${this.prefix}.>`);
    this.subscription = subscription;
    void (async () => {
      for await (const message of subscription) {
        if (subjects.has(message.subject)) {
          this.published.push({ subject: message.subject, data: codec.decode(message.data).data });
        }
      }
    })();
    await bus.flush();
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.bus?.close();
  }

  /** Waits for a published event (never for time). */
  async eventWhere(
    subject: string,
    match: (data: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>> {
    for (let i = 0; i < 500; i++) {
      const found = this.published.find((e) => e.subject === subject && match(e.data));
      if (found) return found.data;
      await this.bus!.flush(); // one round trip to the server: what it sent before is here after
    }
    throw new Error(`no ${subject} event`);
  }
}

/** The refusal a request ends in; fails the test when it succeeds or fails otherwise. */
export async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal, got success');
}

export const codeOf = async (promise: Promise<unknown>) => (await failure(promise)).code;
