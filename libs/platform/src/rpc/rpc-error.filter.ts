import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';
import { DomainError, toErrorBody } from '../errors/domain-error';
import type { Logger } from '../logging/logger';

/**
 * Every error leaving a handler goes out as `{ code, message, details }`.
 * Expected refusals (DomainError) are not logged as failures; anything else
 * is logged here with its stack and reaches the caller only as `INTERNAL`.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown): Observable<never> {
    const body = toErrorBody(exception);
    if (!(exception instanceof DomainError) && body.code === 'INTERNAL') {
      this.logger.error({ err: exception }, 'unhandled error in rpc handler');
    }
    return throwError(() => body);
  }
}
