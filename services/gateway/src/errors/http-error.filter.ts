import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { ErrorBody, ErrorCode, ErrorEnvelope } from '@warden/contracts';
import { DomainError, type Logger, toErrorBody } from '@warden/platform';
import type { FastifyReply } from 'fastify';
import { HTTP_STATUS_BY_CODE } from './http-status.table';

/** Codes for errors Nest or Fastify raise before our code runs (bad JSON, unknown route…). */
function codeForHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 413:
    case 415:
      return 'VALIDATION_FAILED';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
    case 405:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return 'INTERNAL';
  }
}

/**
 * Every HTTP error leaves as `{ error: { code, message, details } }`. Unknown
 * errors are logged with their stack and answered as a bare `INTERNAL`.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = this.describe(exception);
    if (status >= 500 && body.code === 'INTERNAL') {
      this.logger.error({ err: exception }, 'unhandled error in http handler');
    }
    const envelope: ErrorEnvelope = { error: body };
    if (body.code === 'SERVICE_UNAVAILABLE' || body.code === 'RATE_LIMITED') {
      // Jittered so that a fleet of agents told to come back does not return at once.
      void reply.header('retry-after', String(1 + Math.floor(Math.random() * 5)));
    }
    void reply.status(status).send(envelope);
  }

  private describe(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = codeForHttpStatus(status);
      const message = status === 404 ? 'no such route' : exception.message;
      return { status, body: { code, message } };
    }
    const body = toErrorBody(exception);
    if (!(exception instanceof DomainError) && isFastifyClientError(exception)) {
      const status = exception.statusCode;
      return { status, body: { code: codeForHttpStatus(status), message: exception.message } };
    }
    return { status: HTTP_STATUS_BY_CODE[body.code], body };
  }
}

function isFastifyClientError(error: unknown): error is { statusCode: number; message: string } {
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}
