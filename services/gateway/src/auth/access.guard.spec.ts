import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createLogger, DomainError } from '@warden/platform';
import type { RateLimiter } from '../edge/rate-limiter';
import { AccessGuard } from './access.guard';
import { OpsAuthenticated, type OpsTokenGuard } from './ops-auth';
import { Public } from './route-access';

class Routes {
  undeclared(): void {}
  @Public()
  open(): void {}
  @Public({ rateLimit: false })
  probe(): void {}
  @OpsAuthenticated()
  operatorsOnly(): void {}
}

function contextFor(handler: keyof Routes): ExecutionContext {
  const request = { ip: '192.0.2.1', routeOptions: { url: `/${handler}` } };
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('AccessGuard', () => {
  const charged: string[] = [];
  const limiter = {
    chargePublic: (ip: string) => Promise.resolve(void charged.push(`public ${ip}`)),
    chargeOperator: (fp: string, ip: string) =>
      Promise.resolve(void charged.push(`ops ${fp} ${ip}`)),
    chargeAuthFailure: (ip: string) => Promise.resolve(void charged.push(`authfail ${ip}`)),
  } as unknown as RateLimiter;
  let tokenValid = true;
  const opsToken = {
    canActivate: (context: ExecutionContext) => {
      if (!tokenValid) throw new DomainError('UNAUTHENTICATED', 'authentication required');
      const request = context.switchToHttp().getRequest<{ user?: object }>();
      request.user = { fingerprint: 'op_123456789abc' };
      return Promise.resolve(true);
    },
  } as unknown as OpsTokenGuard;
  const sut = new AccessGuard(new Reflector(), opsToken, limiter, createLogger('test', 'fatal'));

  beforeEach(() => {
    charged.length = 0;
    tokenValid = true;
  });

  it('denies a route that declares nothing', async () => {
    await expect(sut.canActivate(contextFor('undeclared'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('lets anyone call a public route, counted per IP unless it is a probe', async () => {
    await expect(sut.canActivate(contextFor('open'))).resolves.toBe(true);
    await expect(sut.canActivate(contextFor('probe'))).resolves.toBe(true);

    expect(charged).toEqual(['public 192.0.2.1']);
  });

  it('counts an operator per token, and a failed authentication per IP', async () => {
    await expect(sut.canActivate(contextFor('operatorsOnly'))).resolves.toBe(true);
    tokenValid = false;
    await expect(sut.canActivate(contextFor('operatorsOnly'))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });

    expect(charged).toEqual(['ops op_123456789abc 192.0.2.1', 'authfail 192.0.2.1']);
  });
});
