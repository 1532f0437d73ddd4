import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Caller } from '@warden/contracts';
import { DomainError } from '@warden/platform';
import type { FastifyRequest } from 'fastify';
import { ApiErrorResponses } from '../http/openapi';
import type { Operator } from './operator-tokens';
import { OPS_TOKEN_STRATEGY } from './ops-token.strategy';
import { ROUTE_ACCESS, type RouteAccess } from './route-access';

/**
 * Passport's check of the operator token. The global AccessGuard runs it on
 * `@OpsAuthenticated()` routes. A wrong or missing token gets 401 and nothing
 * else: no hint of what was wrong.
 */
@Injectable()
export class OpsTokenGuard extends AuthGuard(OPS_TOKEN_STRATEGY) {
  override handleRequest<T>(error: unknown, operator: T | false): T {
    if (error || !operator) throw new DomainError('UNAUTHENTICATED', 'authentication required');
    return operator;
  }
}

/** Marks a route as the provider's: operator token required (the global AccessGuard checks it). */
export function OpsAuthenticated(): MethodDecorator & ClassDecorator {
  const access: RouteAccess = { kind: 'ops' };
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, access),
    ApiBearerAuth('ops-token'),
    // 401 for a missing or wrong token; 429 past this token's or this client's limits.
    ApiErrorResponses(['UNAUTHENTICATED', 'RATE_LIMITED']),
  );
}

/**
 * The caller of an ops route, from its operator token (never from the path or
 * body): sent with every request to a service (`service.verb(caller, input)`).
 */
export const OperatorCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller => {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Operator }>();
    if (!request.user) throw new DomainError('UNAUTHENTICATED', 'authentication required');
    return { actor: { type: 'operator', id: request.user.fingerprint }, sourceIp: request.ip };
  },
);
