import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, LOGGER, type Logger } from '@warden/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AgentAdmission } from '../agent/agent-admission';
import { DeviceDirectory, type KnownDevice } from '../agent/device-directory';
import { parseDeviceToken, secretMatches } from '../agent/device-token';
import { RateLimiter } from '../edge/rate-limiter';
import { bearerTokenFrom } from './bearer-token';
import { SiteResolvers } from '../console/site-resolvers';
import {
  adminCallerOf,
  ConsoleSessionGuard,
  type ConsoleRequest,
  sessionClaimsOf,
} from './console-auth';
import { checkConsolePermission, checkResourcePermission } from './console-permission';
import type { DeviceRequest } from './device-auth';
import type { Operator } from './operator-tokens';
import { OpsTokenGuard } from './ops-auth';
import { type RouteAccess, routeAccessOf } from './route-access';
import { SessionRevocations } from './session-revocations';

/**
 * The gateway's one guard (APP_GUARD): deny by default. A route passes only
 * by what it declares (`@Public()`, `@OpsAuthenticated()`, `@SuperAdmin()`,
 * `@SiteAccess()`, …), and the rate limits that go with each kind of caller
 * are charged here.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly opsToken: OpsTokenGuard,
    private readonly consoleSession: ConsoleSessionGuard,
    private readonly revocations: SessionRevocations,
    private readonly limiter: RateLimiter,
    private readonly admission: AgentAdmission,
    private readonly devices: DeviceDirectory,
    private readonly siteResolvers: SiteResolvers,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Each handler's declaration, read once (reflect-metadata lookups cost every request otherwise). */
  private readonly declarations = new WeakMap<object, RouteAccess | undefined>();

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const handler = context.getHandler();
    let access = this.declarations.get(handler);
    if (access === undefined && !this.declarations.has(handler)) {
      access = routeAccessOf(this.reflector, context);
      this.declarations.set(handler, access);
    }
    // The agent API without a promise where nothing waits: a check-in of a known device.
    if (access?.kind === 'device') return this.admitDevice(context);
    return this.check(context, access);
  }

  private async check(
    context: ExecutionContext,
    access: RouteAccess | undefined,
  ): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Operator }>();
    switch (access?.kind) {
      case undefined:
        this.logger.error(
          { route: request.routeOptions.url, handler: context.getHandler().name },
          'route declares no access (@Public, @OpsAuthenticated…); denied',
        );
        throw new DomainError('FORBIDDEN', 'access denied');
      case 'public':
        if (access.rateLimit) await this.limiter.chargePublic(request.ip);
        return true;
      case 'sign-in':
        await this.limiter.chargeSignIn(request.ip);
        return true;
      case 'ops': {
        try {
          await this.opsToken.canActivate(context);
        } catch (error) {
          await this.limiter.chargeAuthFailure(request.ip);
          throw error;
        }
        await this.limiter.chargeOperator(request.user!.fingerprint, request.ip);
        return true;
      }
      case 'console': {
        await this.checkConsoleSession(context);
        // Signed in: what the route asks of this administrator (403/404, never charged as a guess).
        const consoleRequest = context.switchToHttp().getRequest<ConsoleRequest>();
        const claims = sessionClaimsOf(consoleRequest);
        const permission = access.permission;
        if (permission.kind === 'site' && 'resource' in permission.from) {
          const { from, level } = permission;
          await checkResourcePermission(
            claims,
            { level, from },
            consoleRequest,
            this.siteResolvers.of(from.resource),
            adminCallerOf(claims, consoleRequest.ip),
          );
        } else {
          checkConsolePermission(claims, permission, consoleRequest);
        }
        return true;
      }
      // The agent API: admission control first (nothing is spent on a request refused),
      // then the device token from memory, then that device's own bucket. No Redis.
      case 'agent-enrolment':
        this.admission.admitEnrolment(context.switchToHttp().getResponse<FastifyReply>().raw);
        return true;
      case 'device':
        return this.admitDevice(context);
    }
  }

  /** Admission control, the device token (from memory once known), the device's bucket. */
  private admitDevice(context: ExecutionContext): boolean | Promise<boolean> {
    const http = context.switchToHttp();
    this.admission.admit(http.getResponse<FastifyReply>().raw);
    const request = http.getRequest<DeviceRequest>();
    const admit = (device: KnownDevice): boolean => {
      this.admission.charge(device.deviceId);
      request.device = device;
      return true;
    };
    const found = this.deviceOf(request);
    return found instanceof Promise ? found.then(admit) : admit(found);
  }

  /** The device whose token this is (from memory once known), else 401. */
  private deviceOf(request: DeviceRequest): KnownDevice | Promise<KnownDevice> {
    const presented = parseDeviceToken(bearerTokenFrom(request.headers) ?? '');
    if (!presented) throw invalidDeviceToken();
    const check = (device: KnownDevice | null): KnownDevice => {
      if (device === null || !secretMatches(presented.secret, device.tokenSha256)) {
        throw invalidDeviceToken();
      }
      return device;
    };
    // Asking inventory costs a read: counted per client address (made-up device ids).
    const found = this.devices.find(presented.deviceId, () =>
      this.admission.chargeLookup(request.ip),
    );
    return found instanceof Promise ? found.then(check) : check(found);
  }

  /** A valid access token (passport) of a session that has not ended (the revocation list). */
  private async checkConsoleSession(context: ExecutionContext): Promise<void> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    try {
      await this.consoleSession.canActivate(context);
      if (await this.revocations.isRevoked(request.user!.sid)) {
        request.user = undefined;
        throw new DomainError('UNAUTHENTICATED', 'authentication required');
      }
    } catch (error) {
      await this.limiter.chargeAuthFailure(request.ip);
      throw error;
    }
  }
}

function invalidDeviceToken(): DomainError {
  return new DomainError('DEVICE_TOKEN_INVALID', 'the device token is not valid');
}
