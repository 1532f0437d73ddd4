import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@warden/platform';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import { BODY_SCHEMA, QUERY_SCHEMA } from './openapi';
import { unknownNamesError } from './zod-validation.pipe';

/**
 * Refuses what a route does not declare, the same way on every route: a query
 * parameter not in its `@ApiZodQuery` schema, or a body on a route without
 * `@ApiZodBody`, is VALIDATION_FAILED naming it, as a strict body schema names
 * an unknown property. Without this, `?stauts=` would be silently ignored.
 * Runs after the access guard, so an unauthenticated caller learns nothing.
 */
@Injectable()
export class RequestShapeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      const handler = context.getHandler();
      const query = this.reflector.get<z.AnyZodObject | undefined>(QUERY_SCHEMA, handler);
      const given: unknown = request.query;
      const names = typeof given === 'object' && given !== null ? Object.keys(given) : [];
      const unknown = names.filter((name) => !query || !Object.hasOwn(query.shape as object, name));
      if (unknown.length > 0) throw unknownNamesError(unknown, 'query');
      if (!this.reflector.get<unknown>(BODY_SCHEMA, handler)) refuseBody(request.body);
    }
    return next.handle();
  }
}

/** A route that takes no body accepts none, or `{}`. */
function refuseBody(body: unknown): void {
  if (body === undefined) return;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const names = Object.keys(body);
    if (names.length > 0) throw unknownNamesError(names, 'body');
    return;
  }
  throw new DomainError('VALIDATION_FAILED', 'this route takes no body');
}
