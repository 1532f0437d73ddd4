import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Caller } from '@warden/contracts';
import { DomainError } from '@warden/platform';
import type { FastifyRequest } from 'fastify';
import type { KnownDevice } from '../agent/device-directory';
import { ApiErrorResponses } from '../http/openapi';
import { ROUTE_ACCESS, type RouteAccess } from './route-access';

/** A request on a `@Device()` route, once the AccessGuard let it through. */
export type DeviceRequest = FastifyRequest & { device?: KnownDevice };

/** The OpenAPI security scheme of device tokens (app.ts declares it). */
export const DEVICE_TOKEN_SCHEME = 'device-token';

/**
 * Marks a route as an enrolled agent's: `Authorization: Bearer
 * <deviceId>.<secret>`, checked by the AccessGuard against the device
 * directory (401 DEVICE_TOKEN_INVALID for a missing, malformed, unknown or
 * replaced token), then the agent API's admission control (503) and the
 * device's token bucket (429).
 */
export function Device(): MethodDecorator & ClassDecorator {
  const access: RouteAccess = { kind: 'device' };
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, access),
    ApiBearerAuth(DEVICE_TOKEN_SCHEME),
    ApiErrorResponses(['DEVICE_TOKEN_INVALID', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE']),
  );
}

/**
 * Marks the enrolment route: anyone with a keycode (licensing checks it),
 * admitted by the agent API's admission control (503 when too many
 * enrolments are in flight), not by the per-IP limits.
 */
export function AgentEnrolment(): MethodDecorator & ClassDecorator {
  const access: RouteAccess = { kind: 'agent-enrolment' };
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, access),
    ApiErrorResponses(['SERVICE_UNAVAILABLE']),
  );
}

/** The device of a `@Device()` route, as the AccessGuard found it. */
export const CurrentDevice = createParamDecorator(
  (_: unknown, context: ExecutionContext): KnownDevice => {
    const device = context.switchToHttp().getRequest<DeviceRequest>().device;
    if (!device) throw new DomainError('DEVICE_TOKEN_INVALID', 'device token required');
    return device;
  },
);

/** The caller of a device's request to a service: the device, in its console. */
export function deviceCaller(device: KnownDevice, sourceIp: string): Caller {
  return { actor: { type: 'device', id: device.deviceId }, consoleId: device.consoleId, sourceIp };
}
