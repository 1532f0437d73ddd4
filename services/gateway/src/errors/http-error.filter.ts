import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { ErrorBody } from '@warden/contracts';
import { DomainError, type Logger, toErrorBody } from '@warden/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteTable } from '../edge/route-table';
import { codeForHttpStatus, edgeError, EDGE_ERRORS, errorEnvelope } from './error-reply';
import { HTTP_STATUS_BY_CODE } from './http-status.table';

interface Described {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

/**
 * Every HTTP error leaves as `{ error: { code, message, details?, requestId } }`.
 * 5xx are logged (unknown errors with their stack) and unknown errors are
 * answered as a bare `INTERNAL`; internal names (NATS subjects) go to the log
 * line only.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly routes?: RouteTable,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest | undefined>();
    const { status, body, headers = {} } = this.describe(exception, request);

    if (status >= 500) this.logFailure(exception, request?.id);
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    if (status === 401) {
      const presented = request?.headers.authorization !== undefined;
      void reply.header(
        'www-authenticate',
        presented ? 'Bearer realm="warden", error="invalid_token"' : 'Bearer realm="warden"',
      );
    }
    void reply.status(status).send(errorEnvelope(body, request?.id ?? 'unknown'));
  }

  private describe(exception: unknown, request: FastifyRequest | undefined): Described {
    if (exception instanceof DomainError) return describeDomainError(exception);
    // Nest hands Fastify's own refusals (body parsing, content type, size) over as
    // HttpExceptions with Fastify's status; the unknown route is its NotFoundException.
    const status =
      exception instanceof HttpException
        ? exception.getStatus()
        : isFastifyClientError(exception)
          ? exception.statusCode
          : undefined;
    if (status === undefined) return { status: 500, body: toErrorBody(exception) };
    if (status === 404) return this.unknownRoute(request);
    if (status === 400) {
      // Bad JSON, an empty JSON body, `__proto__` keys: the body is what is wrong.
      return {
        status,
        body: { code: 'VALIDATION_FAILED', message: 'the request body is not valid JSON' },
      };
    }
    const code = codeForHttpStatus(status);
    return { status: HTTP_STATUS_BY_CODE[code], body: { code, message: messageFor(code) } };
  }

  /** No route for this method and path: 405 (with `Allow`) when the path exists, else 404. */
  private unknownRoute(request: FastifyRequest | undefined): Described {
    const allowed = request && this.routes ? this.routes.methodsFor(request.url) : [];
    if (allowed.length > 0) {
      return { ...edgeError('METHOD_NOT_ALLOWED'), headers: { allow: allowed.join(', ') } };
    }
    return edgeError('ROUTE_NOT_FOUND');
  }

  private logFailure(exception: unknown, requestId: string | undefined): void {
    if (exception instanceof DomainError) {
      this.logger.error(
        { requestId, code: exception.code, ...exception.logContext },
        exception.message,
      );
    } else {
      this.logger.error({ requestId, err: exception }, 'unhandled error in http handler');
    }
  }
}

function describeDomainError(error: DomainError): Described {
  const body = error.toBody();
  const status = HTTP_STATUS_BY_CODE[body.code];
  if (body.code === 'RATE_LIMITED') {
    const seconds = error.logContext?.['retryAfterSeconds'];
    const retryAfter = typeof seconds === 'number' ? seconds : jitteredSeconds();
    return { status, body, headers: { 'retry-after': String(retryAfter) } };
  }
  if (body.code === 'SERVICE_UNAVAILABLE') {
    // Jittered so that a fleet of agents told to come back does not return at once.
    return { status, body, headers: { 'retry-after': String(jitteredSeconds()) } };
  }
  return { status, body };
}

function messageFor(code: ErrorBody['code']): string {
  return code in EDGE_ERRORS ? EDGE_ERRORS[code as keyof typeof EDGE_ERRORS] : 'request refused';
}

function jitteredSeconds(): number {
  return 1 + Math.floor(Math.random() * 5);
}

function isFastifyClientError(error: unknown): error is { statusCode: number } {
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}
