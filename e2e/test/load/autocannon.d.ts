/**
 * The part of autocannon 9 the load test uses (the package ships no types and
 * @types/autocannon is not a dependency): one run with a fixed request rate,
 * per-response latencies from the 'response' event, error counts from the result.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface Options {
    url: string;
    headers?: Record<string, string>;
    overallRate?: number;
    /** Seconds. */
    duration?: number;
    connections?: number;
    /** Seconds. */
    timeout?: number;
  }

  interface Result {
    errors: number;
    non2xx: number;
    timeouts: number;
  }

  interface Instance extends EventEmitter, PromiseLike<Result> {
    on(
      event: 'response',
      listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void,
    ): this;
  }

  export default function autocannon(options: Options): Instance;
}
