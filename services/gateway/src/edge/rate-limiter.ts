import { createHash, randomInt } from 'node:crypto';
import { DomainError, type Logger } from '@warden/platform';
import type { Redis } from 'ioredis';
import type { RateLimits } from '../config';
import { OutageLog } from './outage-log';

/**
 * One atomic round trip per request: optionally refuse at once when a
 * blocking counter (an IP's failed authentications) is over its limit, else
 * count this request in a fixed window that starts at the first hit.
 * Returns [count, ms left in the window, blocked 0|1].
 */
const CHARGE_SCRIPT = `
if tonumber(ARGV[3]) >= 0 then
  local failures = tonumber(redis.call('GET', KEYS[2]) or '0')
  if failures > tonumber(ARGV[3]) then
    return {failures, redis.call('PTTL', KEYS[2]), 1}
  end
end
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl, 0}
`;

type ChargeReply = [count: number, ttlMs: number, blocked: 0 | 1];

interface RedisWithCharge extends Redis {
  wardenRateCharge(
    key: string,
    blockingKey: string,
    windowMs: number,
    limit: number,
    blockingLimit: number,
  ): Promise<ChargeReply>;
}

/** An address that has just gone over a limit, reported once per window (to be audited). */
export interface FirstRefusal {
  bucket: 'sign-in' | 'authentication failures';
  ip: string;
  windowSeconds: number;
}

/**
 * Rate limits shared by every gateway copy, kept in Redis.
 *
 * Fails open: when Redis does not answer (within the connection's command
 * timeout), the request goes through and an error is logged at most every
 * 10 s. Authentication is still enforced; the limits are a second line that
 * must not turn a Redis outage into an API outage (ADR 0006).
 */
export class RateLimiter {
  private readonly redis: RedisWithCharge;
  private readonly outage: OutageLog;
  private firstRefusalListeners: Array<(refusal: FirstRefusal) => void> = [];

  constructor(
    redis: Redis,
    private readonly limits: RateLimits,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {
    if (!('wardenRateCharge' in redis)) {
      redis.defineCommand('wardenRateCharge', { numberOfKeys: 2, lua: CHARGE_SCRIPT });
    }
    this.redis = redis as RedisWithCharge;
    this.outage = new OutageLog(
      logger,
      'rate limits unavailable (Redis); letting requests through',
    );
  }

  /**
   * Tells `listener` when an address first goes over the sign-in or the
   * failed-authentication limit in a window (once per window, whichever
   * gateway copy saw it): identity audits it.
   */
  onFirstRefusal(listener: (refusal: FirstRefusal) => void): void {
    this.firstRefusalListeners.push(listener);
  }

  /** A request to a public route, counted per client IP. */
  async chargePublic(ip: string): Promise<void> {
    const reply = await this.charge(this.key('ip', ip), this.limits.publicPerIp);
    if (reply) this.refuseOver(reply, this.limits.publicPerIp, 'public');
  }

  /**
   * A request with a valid operator token: counted per token, and refused
   * while its IP is over the limit of failed authentications (so guessing
   * from a blocked address learns nothing, not even from a right guess).
   */
  async chargeOperator(fingerprint: string, ip: string): Promise<void> {
    const reply = await this.charge(
      this.key('ops', fingerprint),
      this.limits.opsPerToken,
      this.key('authfail', ip),
      this.limits.authFailuresPerIp,
    );
    if (reply) this.refuseOver(reply, this.limits.opsPerToken, 'operator');
  }

  /**
   * A request to a route of signing in, activation or password recovery,
   * counted per client IP in a bucket of its own, stricter than the public
   * one; refused at once while the IP is over its failed-authentication limit.
   */
  async chargeSignIn(ip: string): Promise<void> {
    const limit = this.limits.signInPerIp;
    const reply = await this.charge(
      this.key('signin', ip),
      limit,
      this.key('authfail', ip),
      this.limits.authFailuresPerIp,
    );
    if (!reply) return;
    const [count, , blocked] = reply;
    if (blocked === 0 && count === limit + 1) {
      this.logger.warn(
        { ip, requests: count, windowMs: this.limits.windowMs },
        'sign-in requests from one address over the limit; refusing it until the window ends',
      );
      this.tellFirstRefusal('sign-in', ip);
    }
    this.refuseOver(reply, limit, 'sign-in');
  }

  /**
   * A failed authentication, counted per client IP. Over the limit it answers
   * 429 instead of 401, and the first refusal of a window is logged as a warning.
   */
  async chargeAuthFailure(ip: string): Promise<void> {
    const limit = this.limits.authFailuresPerIp;
    const reply = await this.charge(this.key('authfail', ip), limit);
    if (!reply) return;
    const [count] = reply;
    if (count === limit + 1) {
      this.logger.warn(
        { ip, failures: count, windowMs: this.limits.windowMs },
        'authentication failures from one address over the limit; refusing it until the window ends',
      );
      this.tellFirstRefusal('authentication failures', ip);
    }
    this.refuseOver(reply, limit, 'authentication failures');
  }

  private tellFirstRefusal(bucket: FirstRefusal['bucket'], ip: string): void {
    const refusal = { bucket, ip, windowSeconds: Math.ceil(this.limits.windowMs / 1000) };
    for (const listener of this.firstRefusalListeners) {
      try {
        listener(refusal);
      } catch (error) {
        this.logger.error({ err: error, bucket }, 'reporting a rate-limit refusal failed');
      }
    }
  }

  private refuseOver([count, ttlMs, blocked]: ChargeReply, limit: number, bucket: string): void {
    if (blocked === 1 || count > limit) {
      throw new DomainError('RATE_LIMITED', 'too many requests', undefined, {
        bucket: blocked === 1 ? 'authentication failures' : bucket,
        retryAfterSeconds: retryAfterSeconds(ttlMs),
      });
    }
  }

  private async charge(
    key: string,
    limit: number,
    blockingKey = key,
    blockingLimit = -1,
  ): Promise<ChargeReply | null> {
    try {
      return await this.redis.wardenRateCharge(
        key,
        blockingKey,
        this.limits.windowMs,
        limit,
        blockingLimit,
      );
    } catch (error) {
      this.outage.report(error);
      return null;
    }
  }

  // IPs and fingerprints are not secret, but hashing keeps keys short and uniform.
  private key(bucket: string, id: string): string {
    return `${this.keyPrefix}rl:${bucket}:${createHash('sha256').update(id).digest('base64url').slice(0, 22)}`;
  }
}

/**
 * Seconds until the window ends, plus up to a quarter of it (at least one
 * second) at random, so that clients refused together do not all come back
 * in the same second.
 */
export function retryAfterSeconds(ttlMs: number): number {
  const base = Math.max(1, Math.ceil(ttlMs / 1000));
  return base + randomInt(0, Math.max(1, Math.ceil(base / 4)) + 1);
}
