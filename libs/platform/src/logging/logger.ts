import type { LoggerService } from '@nestjs/common';
import pino from 'pino';
import type { LogLevel } from '../config/parse-env';

export type Logger = pino.Logger;

/** JSON lines on stdout, one logger per service, with the service name on every line. */
export function createLogger(service: string, level: LogLevel): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Config objects carry connection strings; never let them reach a log line whole.
    redact: ['*.password', '*.token', '*.uri', 'config'],
  });
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
