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
  // The headers provider SDKs send keys in, as an error's request config carries them.
  'headers["x-goog-api-key"]',
  'headers["xi-api-key"]',
  '*.headers.authorization',
  '*.headers["x-goog-api-key"]',
  '*.headers["xi-api-key"]',
  'err.config.headers.authorization',
  'err.config.headers["x-goog-api-key"]',
  'err.config.headers["xi-api-key"]',
  'apiKey',
  '*.apiKey',
  'key',
  '*.key',
  'plaintext',
  '*.plaintext',
  'secret',
  '*.secret',
];

/**
 * Provider keys by their shape (Google `AIza…`, ElevenLabs `sk_…`, fal
 * `<uuid>:<secret>`), wherever they sit in a line: the last guard for a key
 * that reached a log under a name redaction does not know (an SDK error's
 * request headers or URL, a message).
 */
export const PROVIDER_KEY_SHAPES: readonly RegExp[] = [
  /AIza[0-9A-Za-z_-]{35}/g,
  /sk_[0-9a-f]{48}/g,
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[0-9a-f]{32}/gi,
];

export function scrubProviderKeys(line: string): string {
  return PROVIDER_KEY_SHAPES.reduce((text, shape) => text.replace(shape, '[redacted]'), line);
}

/** Every serialized line passes the key scrub on its way out. */
function scrubbing(destination: pino.DestinationStream): pino.DestinationStream {
  return { write: (line: string) => destination.write(scrubProviderKeys(line)) };
}

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
    scrubbing(destination ?? pino.destination(1)),
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
