import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AppError,
  contentHash,
  type DocTransaction,
  isAppError,
  isInProgress,
  type Logger,
  type StoredDoc,
} from '@storyreel/shared';
import { type Job, type JobLog, type JobResult, type StepName, type StepState, withLog } from './job.js';
import { claimableJobs, claimJob, leaseUntil } from './jobLease.js';
import type { GenerateMissingImages, StepContext, StepDefinition } from './jobStep.js';
import type { JobStore } from './jobStore.js';
import type { MeshCalls } from './meshCalls.js';

/**
 * The one runner of jobs: it walks a job's steps in order and owns
 * everything around them: the lease (renewed while a step runs, and every
 * write refused once it is lost), tries with backoff, progress, resume (a
 * finished step is never run again) and interruption (cancel, a lost lease,
 * shutdown).
 */

export interface RunnerSettings {
  /** How long a claim lasts without renewal: the time a dead worker's job waits for another. */
  leaseMs: number;
  /** How often a running job's document is checked (cancel from another instance) and its lease renewed. */
  watchMs: number;
  /** Tries per step before the job fails. */
  tries: number;
  /** Wait before the second try; doubled before each next one. */
  retryBaseMs: number;
  /** The clock of lease decisions. */
  now(): number;
}

export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = {
  leaseMs: 60_000,
  watchMs: 1_000,
  tries: 3,
  retryBaseMs: 2_000,
  now: Date.now,
};

/** What a finished job leaves behind besides itself. */
export interface JobOutcomes {
  result(job: Job): JobResult;
  /** Writes that commit in the same transaction as the job's success. */
  recordSuccess(tx: DocTransaction, job: Job, result: JobResult): void;
  /** Runs once the job succeeded or failed; its own failures are logged and never change the job. */
  ended(job: Job): Promise<void>;
}

export interface RunnerDeps {
  store: JobStore;
  steps: readonly StepDefinition[];
  calls: MeshCalls;
  generateMissingImages: GenerateMissingImages;
  mediaBucket: string;
  outcomes: JobOutcomes;
  logger: Logger;
  workerId: string;
  settings: RunnerSettings;
}

/** How a run of a job ended: on its own, or handed back (released), or taken away (cancelled, lost). */
export type RunEnd = 'succeeded' | 'failed' | 'cancelled' | 'lost' | 'released';

export interface JobRunner {
  readonly workerId: string;
  claim(jobId: string): Promise<StoredDoc<Job> | null>;
  /** Claims the oldest job that is free to take, if any. */
  claimNext(): Promise<StoredDoc<Job> | null>;
  /** Runs a job this worker claimed; `stop` hands it back to the queue. */
  run(doc: StoredDoc<Job>, stop: AbortSignal): Promise<RunEnd>;
}

/** Why a run stopped before its job ended. */
class Interrupted extends Error {
  constructor(readonly why: 'cancelled' | 'lost' | 'released') {
    super(`job run interrupted: ${why}`);
  }
}

class StepFailed extends Error {
  constructor(
    readonly step: StepName,
    readonly readable: string,
  ) {
    super(readable);
  }
}

/** A downstream refusal (bad input, missing object) fails the same way every time; anything else may pass. */
const isPermanent = (err: unknown) => isAppError(err) && err.status < 500 && err.status !== 408 && err.status !== 429;

/** The longest Retry-After a step waits for before its next try; a longer one is not worth holding a worker. */
const MAX_ASKED_WAIT_MS = 60_000;

/**
 * How long the failure asked to be left alone (Retry-After): an open circuit
 * breaker answers at once until its reset timeout, so a try sooner than that
 * is lost without reaching the service.
 */
const askedWaitMs = (err: unknown) =>
  isAppError(err) ? Math.min((err.retryAfterSeconds ?? 0) * 1000, MAX_ASKED_WAIT_MS) : 0;

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(2))} s`;

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

const withStep = (job: Job, name: StepName, state: StepState) => ({ ...job.steps, [name]: state });

/** Overall percent from the steps' weights: finished and skipped steps count whole, the running one by its fraction. */
export function jobProgress(
  job: Job,
  steps: readonly StepDefinition[],
  running?: { name: StepName; fraction: number },
) {
  const total = steps.reduce((sum, s) => sum + s.weight, 0);
  let done = 0;
  for (const step of steps) {
    const { status } = job.steps[step.name];
    if (status === 'done' || status === 'skipped') done += step.weight;
    else if (step.name === running?.name) done += step.weight * Math.min(1, Math.max(0, running.fraction));
  }
  // 100 means the movie is ready: only the success write says so.
  const percent = Math.min(99, Math.floor((100 * done) / total));
  return Math.max(job.progress, percent);
}

/** Racing the step, so an interruption stops the job even when a step ignores its signal. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const PROGRESS_WRITE_MS = 250;

const failedAfter = (step: StepName, tries: number, why: string) =>
  `step "${step}" failed after ${tries} tries: ${why}`;

/** One worker's run of one claimed job. */
class JobRun {
  private job: Job;
  private readonly controller = new AbortController();
  /** Writes go one at a time, each only while this worker still holds the job. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;

  constructor(
    private readonly deps: RunnerDeps,
    doc: StoredDoc<Job>,
  ) {
    this.job = doc.data;
    this.log = deps.logger.child({ jobId: doc.id, workerId: deps.workerId });
  }

  private get signal() {
    return this.controller.signal;
  }

  async run(stop: AbortSignal): Promise<RunEnd> {
    const unwatch = this.watch();
    const onStop = () => this.interrupt('released');
    if (stop.aborted) onStop();
    stop.addEventListener('abort', onStop, { once: true });
    try {
      for (const step of this.deps.steps) {
        this.checkpoint();
        const { status } = this.job.steps[step.name];
        if (status === 'done' || status === 'skipped') continue;
        const reason = step.skip?.(this.job);
        if (reason) await this.skip(step, reason);
        else await this.runStep(step);
      }
      this.checkpoint();
      return await this.succeed();
    } catch (err) {
      const reason = this.signal.aborted ? (this.signal.reason as Interrupted) : undefined;
      if (reason?.why === 'released') return await this.release();
      if (reason) return reason.why;
      return await this.fail(err);
    } finally {
      unwatch();
      stop.removeEventListener('abort', onStop);
    }
  }

  private interrupt(why: Interrupted['why']) {
    if (!this.signal.aborted) this.controller.abort(new Interrupted(why));
  }

  private checkpoint() {
    if (this.signal.aborted) throw this.signal.reason;
  }

  private held(current: Job) {
    if (current.status === 'cancelled') throw new Interrupted('cancelled');
    if (current.status !== 'running' || current.lease?.owner !== this.deps.workerId) throw new Interrupted('lost');
  }

  /** False (and the run interrupted) once the job was cancelled or taken by another worker. */
  private stillHeld(current: Job): boolean {
    try {
      this.held(current);
      return true;
    } catch (err) {
      if (err instanceof Interrupted) this.interrupt(err.why);
      return false;
    }
  }

  private write(change: (current: Job) => Partial<Job> | undefined, also?: (tx: DocTransaction, job: Job) => void) {
    const next = this.queue.then(async () => {
      try {
        const written = await this.deps.store.mutate(
          this.job.id,
          (current) => {
            this.held(current);
            return change(current);
          },
          also,
        );
        this.job = written.data;
      } catch (err) {
        if (err instanceof Interrupted) this.interrupt(err.why);
        throw err;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private note(level: JobLog['level'], message: string) {
    return this.write((current) => ({ logs: withLog(current, level, message, new Date()) }));
  }

  /**
   * Hears a cancel at once when it is made in this process, and within a
   * tick when made elsewhere; renews the lease at half its life, and stops
   * the run if the lease ran out before it could be renewed.
   */
  private watch(): () => void {
    const { store, settings, workerId } = this.deps;
    let leaseExpiresAt = Date.parse(this.job.lease?.expiresAt ?? '');
    let ticking = false;
    const tick = async (now: number) => {
      const doc = await store.get(this.job.id);
      if (!doc || !this.stillHeld(doc.data)) return;
      if (Date.parse(doc.data.lease?.expiresAt ?? '') - now > settings.leaseMs / 2) return;
      await this.write(() => ({ lease: leaseUntil(workerId, now, settings.leaseMs) }));
      leaseExpiresAt = Date.parse(this.job.lease?.expiresAt ?? '');
    };
    const timer = setInterval(() => {
      const now = settings.now();
      // Not renewed in time: another worker may already have it, so this one must stop touching it.
      if (now >= leaseExpiresAt) this.interrupt('lost');
      if (ticking || this.signal.aborted) return;
      ticking = true;
      tick(now)
        .catch((err) => {
          if (!(err instanceof Interrupted)) this.log.warn({ err }, 'could not renew the job lease');
        })
        .finally(() => {
          ticking = false;
        });
    }, settings.watchMs);
    timer.unref();
    const unsubscribe = store.onChange(this.job.id, (changed) => this.stillHeld(changed.data));
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }

  private skip(step: StepDefinition, reason: string) {
    return this.write((current) => {
      const steps = withStep(current, step.name, {
        status: 'skipped',
        attempts: current.steps[step.name].attempts,
        finishedAt: new Date().toISOString(),
      });
      return {
        steps,
        progress: jobProgress({ ...current, steps }, this.deps.steps),
        logs: withLog(current, 'info', `${step.name} skipped: ${reason}`, new Date()),
      };
    });
  }

  /** Tries the step until it is done, fails for good, or the run is interrupted. */
  private async runStep(step: StepDefinition): Promise<void> {
    const { tries, retryBaseMs } = this.deps.settings;
    for (;;) {
      const state = this.job.steps[step.name];
      // Tries count across workers: a step that kills its worker every time does not loop forever.
      if (state.attempts >= tries) {
        throw new StepFailed(step.name, failedAfter(step.name, state.attempts, state.error ?? 'its worker stopped'));
      }
      const attempt = state.attempts + 1;
      const started = Date.now();
      const startedAt = new Date(started).toISOString();
      await this.write((current) => ({
        stage: step.name,
        steps: withStep(current, step.name, {
          status: 'running',
          attempts: attempt,
          startedAt,
          ...(current.steps[step.name].output === undefined ? {} : { output: current.steps[step.name].output }),
        }),
        logs: withLog(
          current,
          'info',
          attempt === 1 ? `${step.name} started` : `${step.name}: try ${attempt} of ${tries}`,
          new Date(),
        ),
      }));
      try {
        const output = await untilAborted(step.run(this.stepContext(step)), this.signal);
        await this.write((current) => {
          const steps = withStep(current, step.name, {
            status: 'done',
            attempts: attempt,
            output,
            startedAt,
            finishedAt: new Date().toISOString(),
          });
          return {
            steps,
            progress: jobProgress({ ...current, steps }, this.deps.steps),
            logs: withLog(current, 'info', `${step.name} done in ${seconds(Date.now() - started)}`, new Date()),
          };
        });
        return;
      } catch (err) {
        this.checkpoint();
        if (isInProgress(err)) {
          await this.waitForEarlierTry(step, attempt, err);
          continue;
        }
        const message = describe(err);
        const permanent = isPermanent(err);
        const last = permanent || attempt >= tries;
        const waitMs = Math.max(retryBaseMs * 2 ** (attempt - 1), askedWaitMs(err));
        await this.write((current) => ({
          steps: withStep(current, step.name, {
            ...current.steps[step.name],
            status: last ? 'failed' : 'running',
            error: message,
          }),
          logs: withLog(
            current,
            last ? 'error' : 'warn',
            last
              ? `${step.name} failed: ${message}`
              : `${step.name} failed (try ${attempt} of ${tries}): ${message}; trying again in ${seconds(waitMs)}`,
            new Date(),
          ),
        }));
        if (last) {
          throw new StepFailed(
            step.name,
            permanent ? `step "${step.name}" failed: ${message}` : failedAfter(step.name, attempt, message),
          );
        }
        await sleep(waitMs, undefined, { signal: this.signal }).catch(() => this.checkpoint());
      }
    }
  }

  /**
   * A worker that died mid-step leaves its request running downstream; the
   * same idempotency key then answers "in progress" until that request ends
   * and its answer can be replayed. Waiting for it is not a failed try.
   */
  private async waitForEarlierTry(step: StepDefinition, attempt: number, err: unknown): Promise<void> {
    const waitMs = ((err as AppError).retryAfterSeconds ?? 2) * 1000;
    const message = `${step.name}: an earlier try is still running; waiting for its result`;
    await this.write((current) => ({
      steps: withStep(current, step.name, { ...current.steps[step.name], attempts: attempt - 1 }),
      // One line per wait, not one per poll.
      logs: current.logs.at(-1)?.message === message ? current.logs : withLog(current, 'info', message, new Date()),
    }));
    await sleep(waitMs, undefined, { signal: this.signal }).catch(() => this.checkpoint());
  }

  private stepContext(step: StepDefinition): StepContext {
    const { job, deps } = this;
    let lastProgressWrite = 0;
    return {
      job,
      calls: deps.calls,
      generateMissingImages: deps.generateMissingImages,
      mediaBucket: deps.mediaBucket,
      signal: this.signal,
      saved: job.steps[step.name].output,
      call: (input) => ({
        idempotencyKey: `${job.id}:${step.name}:${contentHash(input)}`,
        signal: this.signal,
        user: { uid: job.owner, plan: job.plan },
      }),
      progress: (fraction) => {
        const percent = jobProgress(this.job, deps.steps, { name: step.name, fraction });
        if (percent <= this.job.progress || Date.now() - lastProgressWrite < PROGRESS_WRITE_MS) return;
        lastProgressWrite = Date.now();
        this.write((current) => ({ progress: Math.max(current.progress, percent) })).catch(() => undefined);
      },
      save: (partial) =>
        this.write((current) => ({
          steps: withStep(current, step.name, { ...current.steps[step.name], output: partial }),
        })),
      log: (message) => this.note('info', message),
    };
  }

  private async succeed(): Promise<RunEnd> {
    const { outcomes } = this.deps;
    const result = outcomes.result(this.job);
    await this.write(
      (current) => ({
        status: 'succeeded',
        stage: 'done',
        progress: 100,
        result,
        error: null,
        lease: null,
        finishedAt: new Date().toISOString(),
        logs: withLog(current, 'info', 'the movie is ready', new Date()),
      }),
      (tx, succeeded) => outcomes.recordSuccess(tx, succeeded, result),
    );
    await this.ended();
    return 'succeeded';
  }

  private async fail(err: unknown): Promise<RunEnd> {
    const readable =
      err instanceof StepFailed ? err.readable : `the job stopped on an internal error: ${describe(err)}`;
    if (!(err instanceof StepFailed)) this.log.error({ err }, 'job failed on an internal error');
    try {
      await this.write((current) => ({
        status: 'failed',
        ...(err instanceof StepFailed
          ? { steps: withStep(current, err.step, { ...current.steps[err.step], status: 'failed' }) }
          : {}),
        error: readable,
        lease: null,
        finishedAt: new Date().toISOString(),
        logs: withLog(current, 'error', readable, new Date()),
      }));
    } catch (writeErr) {
      // The lease runs out and another worker takes the job from its last finished step.
      this.log.error({ err: writeErr }, 'could not record the failure of a job');
      return 'lost';
    }
    await this.ended();
    return 'failed';
  }

  private async ended(): Promise<void> {
    try {
      await this.deps.outcomes.ended(this.job);
    } catch (err) {
      this.log.error({ err }, 'recording the end of a job failed');
    }
  }

  /** Shutdown: the job goes back to the queue at once instead of waiting out its lease. */
  private async release(): Promise<RunEnd> {
    const { store, steps, workerId } = this.deps;
    await this.queue;
    try {
      await store.mutate(this.job.id, (current) => {
        if (current.status !== 'running' || current.lease?.owner !== workerId) return undefined;
        const states = { ...current.steps };
        for (const step of steps) {
          const state = states[step.name];
          // An interrupted try is not a failed one.
          if (state.status === 'running') {
            states[step.name] = { ...state, status: 'pending', attempts: Math.max(0, state.attempts - 1) };
          }
        }
        return {
          status: 'queued',
          stage: 'queued',
          lease: null,
          steps: states,
          logs: withLog(current, 'info', `${workerId} stopped; the job waits for another worker`, new Date()),
        };
      });
    } catch (err) {
      this.log.warn({ err }, 'could not hand the job back; its lease will run out instead');
    }
    return 'released';
  }
}

export function createJobRunner(deps: RunnerDeps): JobRunner {
  const { store, settings, workerId } = deps;
  const claim = (jobId: string) => claimJob(store, jobId, workerId, settings.now(), settings.leaseMs);
  return {
    workerId,
    claim,
    async claimNext() {
      for (const doc of await claimableJobs(store, settings.now())) {
        const claimed = await claim(doc.id);
        if (claimed) return claimed;
      }
      return null;
    },
    run: (doc, stop) => new JobRun(deps, doc).run(stop),
  };
}
