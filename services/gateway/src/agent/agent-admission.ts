import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@warden/platform';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway.tokens';

/** Something whose end is announced (a Node response: 'close' comes after it is sent or aborted). */
interface Closing {
  once(event: 'close', listener: () => void): unknown;
}

/** Devices whose buckets are kept; a device forgotten comes back with a full bucket. */
const MAX_BUCKETS = 500_000;

/**
 * In-process admission control of the agent API (ADR 0011), before anything
 * costs: past AGENT_MAX_IN_FLIGHT requests in flight on this gateway copy (or
 * AGENT_ENROL_MAX_IN_FLIGHT enrolments) a request gets 503, and a device past
 * its token bucket gets 429, both with a jittered Retry-After so that a fleet
 * told to come back does not come back at once. Nothing here is shared with
 * other copies or kept in Redis: a fleet behind one office NAT shares one IP,
 * and a round trip per check-in would cost more than the check-in.
 */
@Injectable()
export class AgentAdmission {
  private inFlight = 0;
  private enrolmentsInFlight = 0;
  private readonly buckets = new Map<string, Bucket>();
  private readonly lookupBuckets = new Map<string, Bucket>();

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  /** A request of an agent, counted until `done` closes; 503 when too many are. */
  admit(done: Closing): void {
    if (this.inFlight >= this.config.agent.maxInFlight) throw busy();
    this.inFlight++;
    done.once('close', () => this.inFlight--);
  }

  /** An enrolment: counted as a request and as an enrolment. */
  admitEnrolment(done: Closing): void {
    if (this.enrolmentsInFlight >= this.config.agent.enrolMaxInFlight) throw busy();
    this.admit(done);
    this.enrolmentsInFlight++;
    done.once('close', () => this.enrolmentsInFlight--);
  }

  /** One request of this device out of its bucket; 429 when it is empty. */
  charge(deviceId: string, now = Date.now()): void {
    const { deviceBurst, devicePerMinute } = this.config.agent;
    take(this.buckets, deviceId, deviceBurst, devicePerMinute, now, 'device');
  }

  /**
   * A device this copy does not hold in memory, from this address: asking
   * inventory costs a read, so made-up device ids cannot turn the gateway
   * into a database load generator. Generous, as a whole office behind one
   * address loads its devices after a restart or once an hour (the TTL).
   */
  chargeLookup(ip: string, now = Date.now()): void {
    const perMinute = this.config.agent.lookupsPerIpPerMinute;
    take(this.lookupBuckets, ip, perMinute, perMinute, now, 'device lookups');
  }

  /** Requests in flight (for tests and /health). */
  get requestsInFlight(): number {
    return this.inFlight;
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/** One token out of `key`'s bucket (full when new, refilled per minute); 429 when it is empty. */
function take(
  buckets: Map<string, Bucket>,
  key: string,
  burst: number,
  perMinute: number,
  now: number,
  name: string,
): void {
  const refillPerMs = perMinute / 60_000;
  const bucket = buckets.get(key);
  const tokens =
    bucket === undefined ? burst : Math.min(burst, bucket.tokens + (now - bucket.at) * refillPerMs);
  if (tokens < 1) {
    const waitSeconds = (1 - tokens) / refillPerMs / 1000;
    throw new DomainError('RATE_LIMITED', `too many requests (${name})`, undefined, {
      bucket: name,
      retryAfterSeconds: Math.ceil(waitSeconds * (1 + Math.random() * 0.5)),
    });
  }
  if (bucket === undefined) {
    buckets.set(key, { tokens: tokens - 1, at: now });
    if (buckets.size > MAX_BUCKETS) buckets.delete(buckets.keys().next().value as string);
  } else {
    bucket.tokens = tokens - 1;
    bucket.at = now;
  }
}

function busy(): DomainError {
  return new DomainError('SERVICE_UNAVAILABLE', 'too busy: try again later', undefined, {
    reason: 'agent requests in flight over the limit',
  });
}
