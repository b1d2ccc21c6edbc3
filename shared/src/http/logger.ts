import pino, { type Logger } from 'pino';
import type { RequestContext } from './requestContext.js';

export type { Logger } from 'pino';

/** pino level -> Cloud Logging severity, so log-based alerts and filters work on Cloud Run. */
const SEVERITY: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/** Fields that must never reach a log line, wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-serverless-authorization"]',
  'req.headers["x-firebase-appcheck"]',
  'headers.authorization',
  'apiKey',
  '*.apiKey',
  'key',
  '*.key',
  'plaintext',
  '*.plaintext',
  'secret',
  '*.secret',
];

export function createLogger(service: string, level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ severity: SEVERITY[label] ?? 'DEFAULT' }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}

/** A child logger whose lines Cloud Logging groups under the request's trace. */
export function requestLogger(logger: Logger, projectId: string, ctx: RequestContext): Logger {
  return logger.child({
    requestId: ctx.requestId,
    'logging.googleapis.com/trace': `projects/${projectId}/traces/${ctx.traceId}`,
    'logging.googleapis.com/spanId': ctx.spanId,
  });
}
