import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { HeaderBearerStrategy } from './bearer-token';
import { type Operator, verifyOperatorToken } from './operator-tokens';

export const OPS_TOKEN_STRATEGY = 'ops-token';

/** `Authorization: Bearer <operator token>` for the provider's ops API. */
@Injectable()
export class OpsTokenStrategy extends PassportStrategy(HeaderBearerStrategy, OPS_TOKEN_STRATEGY) {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    super();
  }

  validate(token: string): Operator | false {
    return verifyOperatorToken(token, this.config.opsTokenHashes) ?? false;
  }
}
