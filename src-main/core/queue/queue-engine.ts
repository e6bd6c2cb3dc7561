// The queue engine: claims runnable jobs, runs them through an executor with a lease, settles their
// outcome, and retries only what never reached the router. One job at a time per site, up to
// `concurrency` sites at once. It wakes on `job.created` (no polling delay) and on a timer for the
// next job whose backoff ends.
import type { Job, JobError, JobStatus } from '../../contract/job-schema'
import { type Clock, isoAt, systemClock } from '../clock'
import type { EventBus } from '../events/event-bus'
import type { Db } from '../store/database'
import type { JobPatch, JobStore } from '../store/job-store'
import type { SiteStore } from '../store/site-store'
import { type BackoffPolicy, defaultBackoff, fullJitterDelay } from './backoff'
import { JobClaimer } from './claim'
import type { ExecutionOutcome, JobExecutor } from './executor'
import { newLeaseOwner } from './lease-owner'
import { reconcileAbandonedJobs } from './reconcile'

export interface QueueEngineOptions {
  db: Db
  jobs: JobStore
  sites: SiteStore
  events: EventBus
  executor: JobExecutor
  clock?: Clock
  /** Sites worked on at once. */
  concurrency?: number
  /** How long a claim holds without renewal; renewed every third of it while the job runs. */
  leaseMs?: number
  backoff?: BackoffPolicy
  random?: () => number
  /**
   * Looks for jobs written by other processes (`fieldjobs job create` while the app or `fieldjobs
   * run` runs) this often: their job.created events reach only their own process. Default 2 s.
   */
  rescanMs?: number
}

interface RunningJob {
  controller: AbortController
  done: Promise<void>
}

export class QueueEngine {
  readonly owner = newLeaseOwner()
  private readonly claimer: JobClaimer
  private readonly clock: Clock
  private concurrency: number
  private readonly leaseMs: number
  private readonly backoff: BackoffPolicy
  private readonly random: () => number
  private readonly running = new Map<string, RunningJob>()
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new'
  private pumpQueued = false
  private dueTimer: NodeJS.Timeout | undefined
  private reconcileTimer: NodeJS.Timeout | undefined
  private renewTimer: NodeJS.Timeout | undefined
  private rescanTimer: NodeJS.Timeout | undefined
  private unsubscribe: (() => void) | undefined
  private idleWaiters: Array<() => void> = []

  constructor(private readonly options: QueueEngineOptions) {
    this.claimer = new JobClaimer(options.db)
    this.clock = options.clock ?? systemClock
    this.concurrency = options.concurrency ?? 16
    this.leaseMs = options.leaseMs ?? 30_000
    this.backoff = options.backoff ?? defaultBackoff
    this.random = options.random ?? Math.random
  }

  /** Reconciles jobs abandoned by a dead process, then starts taking work. */
  start(): Job[] {
    if (this.state !== 'new') throw new Error('a queue engine starts once')
    this.state = 'running'
    const reconciled = this.reconcile()
    this.unsubscribe = this.options.events.subscribe((event) => {
      if (event.type === 'job.created') this.wake()
      // A job handed back to the queue (a retry now due, a site freed) is a reason to look again.
      else if (event.type === 'job.changed' && event.job.status === 'pending') this.wake()
    })
    // Leases of other processes on the same data folder expire too; look now and then.
    this.reconcileTimer = setInterval(() => this.reconcile(), this.leaseMs)
    this.reconcileTimer.unref()
    // One timer renews every running job's lease: a timer per job would be created and cleared for
    // each job, which costs more than the claim itself when jobs are short.
    this.renewTimer = setInterval(() => this.renewLeases(), this.leaseMs / 3)
    this.renewTimer.unref()
    this.rescanTimer = setInterval(() => this.rescan(), this.options.rescanMs ?? 2_000)
    this.rescanTimer.unref()
    this.wake()
    return reconciled
  }

  /** Asks the engine to look for work soon (after the current synchronous code). */
  wake(): void {
    if (this.state !== 'running' || this.pumpQueued) return
    this.pumpQueued = true
    queueMicrotask(() => {
      this.pumpQueued = false
      this.pump()
    })
  }

  /** Aborts a running job's executor; the job store already says `canceling`. */
  abort(jobId: string, reason = 'canceled'): boolean {
    const running = this.running.get(jobId)
    if (!running) return false
    running.controller.abort(new Error(reason))
    return true
  }

  /** Resolves once nothing runs and nothing is runnable now (jobs waiting out a backoff are not). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve)
      this.wake()
    })
  }

  /**
   * Sites worked on at once from now on (a changed setting). Fewer: running jobs finish, and no new
   * claim is made until fewer run. More: the engine claims at once.
   */
  setConcurrency(concurrency: number): void {
    this.concurrency = concurrency
    this.wake()
  }

  /** How many jobs this engine is running now. */
  get runningCount(): number {
    return this.running.size
  }

  /**
   * Stops taking work and waits for running jobs to settle. After `graceMs` (Infinity: no limit), or
   * once `abandon` aborts, it stops waiting: those jobs keep their lease, and the next start
   * reconciles them as unknown, which is the truth.
   */
  async stop(graceMs = 10_000, abandon?: AbortSignal): Promise<void> {
    if (this.state === 'stopped') return
    this.state = 'stopping'
    this.unsubscribe?.()
    clearTimeout(this.dueTimer)
    clearInterval(this.reconcileTimer)
    clearInterval(this.rescanTimer)
    const settled = Promise.all([...this.running.values()].map((running) => running.done))
    let timer: NodeJS.Timeout | undefined
    let onAbandon: (() => void) | undefined
    const gaveUp = new Promise<void>((resolve) => {
      // Important: setTimeout takes Infinity (and anything past 2^31-1 ms) as 1 ms.
      if (Number.isFinite(graceMs)) timer = setTimeout(resolve, graceMs)
      if (abandon?.aborted) resolve()
      onAbandon = resolve
      abandon?.addEventListener('abort', onAbandon, { once: true })
    })
    await Promise.race([settled, gaveUp])
    clearTimeout(timer)
    if (onAbandon) abandon?.removeEventListener('abort', onAbandon)
    // Jobs still running keep their lease in the database; stop renewing it, since the database is
    // about to close. The next start reconciles them.
    clearInterval(this.renewTimer)
    this.state = 'stopped'
    this.notifyIdle()
  }

  private reconcile(): Job[] {
    return reconcileAbandonedJobs(this.claimer, this.options.jobs, this.clock, this.owner)
  }

  /**
   * Another process's doings reach this one only through the database: jobs it created (wake up
   * and claim) and cancels it asked for (stop the running job now, not at the next lease renewal).
   */
  private rescan(): void {
    for (const [jobId, running] of this.running) {
      if (this.claimer.statusOf(jobId) === 'canceling') running.controller.abort(new Error('canceled'))
    }
    this.wake()
  }

  /** Extends each running job's lease, and stops one whose lease was lost or that was canceled elsewhere. */
  private renewLeases(): void {
    if (this.state === 'stopped') return
    const expires = this.clock.now() + this.leaseMs
    for (const [jobId, running] of this.running) {
      const lease = this.claimer.renew(jobId, this.owner, expires)
      if (!lease) running.controller.abort(new Error('lease lost'))
      else if (lease.status === 'canceling') running.controller.abort(new Error('canceled'))
    }
  }

  private pump(): void {
    if (this.state !== 'running') return
    while (this.running.size < this.concurrency) {
      const job = this.claimer.claim(this.owner, this.clock.now(), this.leaseMs)
      if (!job) {
        // Nothing runnable now: wake again when the next backoff ends.
        this.scheduleNextDue()
        if (this.running.size === 0) this.notifyIdle()
        return
      }
      this.launch(job)
    }
  }

  private scheduleNextDue(): void {
    clearTimeout(this.dueTimer)
    const now = this.clock.now()
    const due = this.claimer.nextDueAt(now)
    if (due === undefined) return
    // Timers beyond about 24.8 days overflow; a backoff is never near that, but cap it anyway.
    this.dueTimer = setTimeout(() => this.wake(), Math.min(due - now + 1, 2 ** 31 - 1))
    this.dueTimer.unref()
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }

  private launch(job: Job): void {
    const { jobs, sites, events } = this.options
    events.publish({ type: 'job.changed', job, from: 'pending' })
    const controller = new AbortController()

    const done = (async () => {
      let outcome: ExecutionOutcome
      try {
        const site = sites.get(job.site_id)
        outcome = await this.options.executor.execute({
          job,
          site,
          signal: controller.signal,
          progress: (message) =>
            events.publish({ type: 'job.progress', job_id: job.id, message, at: isoAt(this.clock.now()) }),
          record: (facts) => jobs.update(job.id, facts, { leaseOwner: this.owner }),
        })
      } catch (error) {
        outcome = {
          kind: 'failed',
          error: { message: `internal error: ${(error as Error).message}`, category: 'internal', line: null, column: null },
        }
      }
      if (this.state === 'stopped') return
      try {
        this.settle(job, outcome)
      } catch (error) {
        // A fenced-out or refused settle leaves the stored truth as it is; never crash the engine.
        events.publish({
          type: 'job.progress',
          job_id: job.id,
          message: `could not record the outcome: ${(error as Error).message}`,
          at: isoAt(this.clock.now()),
        })
      }
    })().finally(() => {
      this.running.delete(job.id)
      this.wake()
    })
    this.running.set(job.id, { controller, done })
  }

  private settle(job: Job, outcome: ExecutionOutcome): void {
    const { jobs, sites } = this.options
    const now = this.clock.now()
    const fence = { leaseOwner: this.owner }
    const released = { lease_owner: null, lease_expires_at: null }

    switch (outcome.kind) {
      case 'completed':
        return this.settleRun(job, 'completed', outcome.output, { completed_at: isoAt(now), error: null })
      case 'failed':
        return this.settleRun(job, 'failed', outcome.output, { failed_at: isoAt(now), error: outcome.error })
      case 'canceled':
        // Leaves `error` as it is.
        return this.settleRun(job, 'canceled', outcome.output, { canceled_at: isoAt(now) })
      case 'reverted':
        return this.settleRun(job, 'reverted', outcome.output, { failed_at: isoAt(now), error: outcome.error })
      case 'not_delivered': {
        if (this.claimer.statusOf(job.id) === 'canceling') {
          // Nothing reached the router and the user wants it stopped: it is simply canceled.
          jobs.transition(job.id, 'canceled', { ...released, canceled_at: isoAt(now), started_at: null }, fence)
          return
        }
        if (!outcome.retryable) {
          jobs.transition(job.id, 'failed', { ...released, failed_at: isoAt(now), error: outcome.error }, fence)
          return
        }
        const site = sites.get(job.site_id)
        // Not a job with a revert window: the cloud has no commit-confirmed, so it would run the script
        // without the safety net the engineer asked for. Such a job waits for the LAN instead.
        if (job.route === 'auto' && site.cloud_site_id && job.revert_after_s === null) {
          // The router does not answer on the LAN: let the cloud deliver it instead.
          jobs.transition(
            job.id,
            'pending',
            { ...released, started_at: null, error: outcome.error, sync_state: 'outbox', next_sync_at: 0 },
            fence,
          )
          return
        }
        jobs.transition(
          job.id,
          'pending',
          {
            ...released,
            started_at: null,
            error: waitingError(outcome.error),
            next_attempt_at: now + fullJitterDelay(job.attempts, this.backoff, this.random),
          },
          fence,
        )
        return
      }
    }
  }

  /** Settles a job the LAN executor took to an end: its lease released, its output kept. */
  private settleRun(job: Job, to: JobStatus, output: string | undefined, patch: JobPatch): void {
    this.options.jobs.transition(
      job.id,
      to,
      { lease_owner: null, lease_expires_at: null, ...patch, output: output ?? null, ran_route: 'lan' },
      { leaseOwner: this.owner },
    )
  }
}

/** A retryable failure is shown on the waiting job, so the engineer sees why it has not run. */
const waitingError = (error: JobError): JobError => ({
  ...error,
  message: `${error.message} (nothing reached the router; it will be retried)`,
})
