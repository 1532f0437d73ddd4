import { Injectable } from '@nestjs/common';
import type { Caller, ErrorCode, ReplyOf, RequestOf, RpcContract } from '@warden/contracts';
import { DomainError, NatsRpcClient } from '@warden/platform';
import { RateLimiter } from '../edge/rate-limiter';

/**
 * Identity's answers that mean "a secret was wrong" (a password, a security
 * code, a TOTP code, a refresh token): each is a failed authentication of the
 * caller's address, counted like a wrong token (RATE_LIMIT_AUTH_FAILURES).
 */
const WRONG_SECRET: ReadonlySet<ErrorCode> = new Set([
  'LOGIN_FAILED',
  'SESSION_INVALID',
  'CREDENTIALS_INCORRECT',
]);

/**
 * Identity's RPCs as the console API makes them. Past the limit of failed
 * authentications the caller gets 429 instead of the failure (and its
 * address is refused on every sign-in route until the window ends), so
 * guessing stops being worth it long before an account's own lockout.
 */
@Injectable()
export class IdentityClient {
  constructor(
    private readonly rpc: NatsRpcClient,
    private readonly limiter: RateLimiter,
  ) {}

  async request<C extends RpcContract>(
    contract: C,
    payload: RequestOf<C> & { caller: Caller },
  ): Promise<ReplyOf<C>> {
    try {
      return await this.rpc.request(contract, payload);
    } catch (error) {
      const { caller } = payload as { caller: Caller };
      const ip = caller.sourceIp;
      if (error instanceof DomainError && WRONG_SECRET.has(error.code) && ip !== undefined) {
        await this.limiter.chargeAuthFailure(ip);
      }
      throw error;
    }
  }
}
