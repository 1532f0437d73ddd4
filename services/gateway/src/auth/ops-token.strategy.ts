import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { type Operator, verifyOperatorToken } from './operator-tokens';

export const OPS_TOKEN_STRATEGY = 'ops-token';

/** `Authorization: Bearer <operator token>` for the provider's ops API. */
@Injectable()
export class OpsTokenStrategy extends PassportStrategy(Strategy, OPS_TOKEN_STRATEGY) {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    super();
  }

  validate(token: string): Operator | false {
    return verifyOperatorToken(token, this.config.opsTokenHashes) ?? false;
  }
}
