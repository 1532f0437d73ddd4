import type { LoggerService } from '@nestjs/common';
import pino from 'pino';
import type { LogLevel } from '../config/parse-env';
import { currentRequestId } from './request-context';

export type Logger = pino.Logger;

/**
 * JSON lines on stdout (or `destination`, for tests), one logger per service,
 * with the service name on every line and the request id on every line
 * written while handling a request.
 */
export function createLogger(
  service: string,
  level: LogLevel,
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const requestId = currentRequestId();
      return requestId === undefined ? {} : { requestId };
    },
    // Config objects carry connection strings; never let them reach a log line whole.
    redact: ['*.password', '*.token', '*.uri', 'config', '*.authorization'],
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Lets Nest's own messages (module init, route mapping) go through the same logger. */
export class NestLoggerAdapter implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
