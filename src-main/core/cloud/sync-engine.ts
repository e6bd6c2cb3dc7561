// The cloud outbox. Jobs with something to tell the cloud (sync_state outbox, synced, cancel_pending)
// are worked here: created on SDX with their own idempotency key (the same on every retry, so an
// answer lost after the server committed never makes a second job), polled until their timestamps
// say they finished, and canceled there when the user asks. Everything it needs to resume is in the
// jobs table, so nothing is lost across restarts and crashes.
//
// Important: a job is marked `synced` (with no cloud_job_id yet) *before* its create request is
// sent. From then on the cloud may hold it, so a cancel must go through the cloud (JobService sends
// synced jobs to `canceling`), and after a crash the create is simply repeated with the same key.
// Only when the connection was never made (refused, no such host) does the job go back to `outbox`.
//
// Offline: any transient failure (no connection, 5xx after the client's retries, an answer that is
// not the API's, rate limiting that did not clear) pauses the whole engine with capped,
// decorrelated-jitter backoff, then one job probes; its success resumes full speed. New outbox work
// wakes the engine at once, so a job queued when the network returns does not wait out a backoff.
import { setMaxListeners } from 'node:events'
import type { Job, JobError, JobStatus } from '../../contract/job-schema'
import { isFinished, jobError } from '../../contract/job-schema'
import { type Clock, isoAt, systemClock } from '../clock'
import type { EventBus } from '../events/event-bus'
import { type BackoffPolicy, decorrelatedJitterDelay } from '../queue/backoff'
import type { Db } from '../store/database'
import { type JobPatch, type JobRow, type JobStore, rowToJob, SYNC_STATES, SYNC_TERM } from '../store/job-store'
import type { SiteStore } from '../store/site-store'
import type { CancelOutcome, CloudJobRequest } from './cloud-client'
import { CloudApiError, CloudUnreachableError, isTransient } from './cloud-errors'
import type { CloudJob } from './cloud-schemas'
import { WriteBatcher } from './write-batcher'

/** The part of the client the engine uses (a port, so tests may put anything behind it). */
export interface CloudJobsApi {
  createJob(siteId: string, job: CloudJobRequest, signal?: AbortSignal): Promise<CloudJob>
  retrieveJob(siteId: string, jobId: string, signal?: AbortSignal): Promise<CloudJob>
  cancelJob(siteId: string, jobId: string, signal?: AbortSignal): Promise<CancelOutcome>
}

/** What the engine needs of the core (FieldjobsCore has all of it). */
export interface SyncCore {
  db: Db
  jobStore: JobStore
  siteStore: SiteStore
  events: EventBus
  clock: Clock
}

/** Jobs worked on at once when the options do not say; the cloud client sizes its sockets by it. */
export const DEFAULT_SYNC_CONCURRENCY = 8

export interface SyncEngineOptions {
  core: SyncCore
  client: CloudJobsApi
  /** Jobs worked on at once (requests in flight). Default DEFAULT_SYNC_CONCURRENCY. */
  concurrency?: number
  /** How often a job the cloud holds is asked for its state. */
  pollIntervalMs?: number
  /** The pause after a transient failure; grows with decorrelated jitter up to the cap. */
  offlineBackoff?: BackoffPolicy
  /** Looks for work written by other processes (the CLI while the app runs) this often. */
  rescanMs?: number
  random?: () => number
  log?: (line: string) => void
}

export interface SyncStatus {
  /** null until the cloud was tried once. */
  online: boolean | null
  /** Jobs the cloud has not confirmed yet: in the outbox, sent without an answer, or with a cancel to deliver. */
  waiting: number
  last_error: string | null
}

export type SyncEffect = 'created' | 'polled' | 'started' | 'finished' | 'canceled' | 'cancel_refused' | 'rejected' | 'skipped'

export interface SyncRoundSummary extends Record<SyncEffect, number> {
  /** Still waiting for the cloud (it did not answer). */
  waiting: number
  /** On the cloud, not finished yet: nothing to do now but poll later. */
  on_cloud: number
  last_error: string | null
  /**
   * The cloud refused the token (401/403): no job can sync until the user changes it. Every other
   * round error (no answer, a 5xx, rate limiting, a proxy's HTML) only makes jobs wait.
   */
  token_refused: boolean
}

export const defaultOfflineBackoff: BackoffPolicy = { baseMs: 2_000, capMs: 60_000 }
const REFUSED_CANCEL_REASON = 'the job had already started on the router, so the cloud cannot stop it (429 job_already_started)'

export class SyncEngine {
  private readonly db: Db
  private readonly jobs: JobStore
  private readonly clock: Clock
  private readonly concurrency: number
  private readonly pollIntervalMs: number
  private readonly backoff: BackoffPolicy
  private readonly rescanMs: number
  private readonly random: () => number
  private readonly inflight = new Map<string, Promise<void>>()
  private readonly controller = new AbortController()
  private state: 'new' | 'running' | 'stopped' = 'new'
  private dueBuffer: string[] = []
  private pumpQueued = false
  private timer: NodeJS.Timeout | undefined
  private statusTimer: NodeJS.Timeout | undefined
  private unsubscribe: (() => void) | undefined
  private idleWaiters: Array<() => void> = []
  private online: boolean | null = null
  private lastError: string | null = null
  private pausedUntil = 0
  private pauseDelay: number
  private probing = false
  private lastProbeAt = 0
  private lastStatusAt = 0
  private readonly statements
  private readonly markSentBatch: WriteBatcher<{ id: string; cloud_site_id: string; now: string }, JobRow | undefined>
  private readonly storedBatch: WriteBatcher<{ id: string; cloudJob: CloudJob }, JobRow>

  constructor(private readonly options: SyncEngineOptions) {
    const { core } = options
    this.db = core.db
    this.jobs = core.jobStore
    this.clock = core.clock ?? systemClock
    this.concurrency = options.concurrency ?? DEFAULT_SYNC_CONCURRENCY
    this.pollIntervalMs = options.pollIntervalMs ?? 30_000
    this.backoff = options.offlineBackoff ?? defaultOfflineBackoff
    this.rescanMs = options.rescanMs ?? 5_000
    this.random = options.random ?? Math.random
    this.pauseDelay = this.backoff.baseMs
    this.statements = {
      // The partial index jobs_sync_due serves these: its WHERE is repeated word for word.
      due: this.db.prepare(`SELECT id FROM jobs WHERE ${SYNC_TERM} AND next_sync_at <= ? ORDER BY next_sync_at, seq LIMIT 256`),
      all: this.db.prepare(`SELECT id FROM jobs WHERE ${SYNC_TERM} ORDER BY next_sync_at, seq`),
      nextDue: this.db.prepare(`SELECT min(next_sync_at) AS at FROM jobs WHERE ${SYNC_TERM}`),
      markSent: this.db.prepare(
        `UPDATE jobs SET sync_state = 'synced', cloud_site_id = @cloud_site_id, sync_attempts = sync_attempts + 1,
           updated_at = @now
         WHERE id = @id AND sync_state = 'outbox' AND status = 'pending' RETURNING *`,
      ),
      unmarkSent: this.db.prepare(
        `UPDATE jobs SET sync_state = 'outbox' WHERE id = ? AND sync_state = 'synced' AND cloud_job_id IS NULL AND status = 'pending'`,
      ),
      setCloudSite: this.db.prepare('UPDATE jobs SET cloud_site_id = ? WHERE id = ?'),
      // The create's answer, in one statement (the hot path: one per job). A cancel asked meanwhile
      // keeps its cancel_pending; the job otherwise is now synced.
      stored: this.db.prepare(
        `UPDATE jobs SET cloud_job_id = @cloud_job_id, synced_at = @now_iso, next_sync_at = @next_sync_at,
           sync_state = CASE WHEN sync_state = 'cancel_pending' THEN 'cancel_pending' ELSE 'synced' END,
           sync_attempts = 0, error_message = NULL, error_category = NULL, error_line = NULL, error_column = NULL,
           log_url = coalesce(@log_url, log_url), updated_at = @now_iso
         WHERE id = @id RETURNING *`,
      ),
    }
    this.markSentBatch = new WriteBatcher(this.db, (item) => this.statements.markSent.get(item) as JobRow | undefined)
    this.storedBatch = new WriteBatcher(this.db, ({ id, cloudJob }) => this.storeCreated(id, cloudJob))
    setMaxListeners(0, this.controller.signal)
  }

  /** Starts working the outbox now and whenever work arrives. */
  start(): void {
    if (this.state !== 'new') throw new Error('a sync engine starts once')
    this.state = 'running'
    this.unsubscribe = this.options.core.events.subscribe((event) => {
      if (event.type === 'job.created' && event.job.sync_state === 'outbox') this.newWork()
      else if (event.type === 'job.changed' && (event.job.sync_state === 'outbox' || event.job.sync_state === 'cancel_pending')) {
        this.newWork()
      }
    })
    this.wake()
  }

  /** The cancel port: JobService calls this when a job the cloud holds must be canceled there. */
  cloudCancelRequested(): void {
    this.newWork()
  }

  /** Looks for due work soon (after the current synchronous code). */
  wake(): void {
    if (this.state !== 'running' || this.pumpQueued) return
    this.pumpQueued = true
    // setImmediate, not a microtask: answers that arrive together are all settled before the pump
    // refills, so the next creates are marked in one group commit.
    setImmediate(() => {
      this.pumpQueued = false
      this.pump()
    })
  }

  status(): SyncStatus {
    return { online: this.online, waiting: this.jobs.countWaitingToSync(), last_error: this.lastError }
  }

  /** Resolves when nothing is in flight and nothing is due now (a pause counts as nothing due). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve)
      this.wake()
    })
  }

  /** Stops taking work and aborts requests in flight: safe, every request may be repeated. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return
    this.state = 'stopped'
    this.unsubscribe?.()
    clearTimeout(this.timer)
    clearTimeout(this.statusTimer)
    this.controller.abort(new Error('sync stopped'))
    await Promise.allSettled([...this.inflight.values()])
    this.notifyIdle()
  }

  /**
   * One round, for `fieldjobs sync --once`: every job with something to say to the cloud is worked
   * once, due or not (creates, cancels, one poll of each job the cloud holds). Stops early when the
   * cloud does not answer: the rest waits, and the summary says so.
   */
  async runOnce(signal?: AbortSignal): Promise<SyncRoundSummary> {
    if (this.state === 'running') throw new Error('the sync engine is running: a round would race it')
    const summary: SyncRoundSummary = {
      created: 0, polled: 0, started: 0, finished: 0, canceled: 0, cancel_refused: 0, rejected: 0, skipped: 0,
      waiting: 0, on_cloud: 0, last_error: null, token_refused: false,
    }
    const ids = (this.statements.all.all() as Array<{ id: string }>).map((row) => row.id)
    const combined = signal ? AbortSignal.any([signal, this.controller.signal]) : this.controller.signal
    // Every request in flight listens to it: many listeners are expected, not a leak.
    setMaxListeners(0, combined)
    let next = 0
    let stopped = false
    const worker = async () => {
      while (!stopped && next < ids.length) {
        const id = ids[next++] as string
        try {
          for (const effect of await this.work(id, combined, false)) summary[effect]++
          this.succeeded()
        } catch (error) {
          if (combined.aborted) throw combined.reason
          if (!this.isGlobal(error)) throw error
          this.failed(error, false)
          if (error instanceof CloudApiError && error.isAuthProblem) summary.token_refused = true
          stopped = true
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.concurrency, Math.max(ids.length, 1)) }, worker))
    this.publishStatus(true)
    summary.waiting = this.jobs.countWaitingToSync()
    summary.on_cloud = this.jobs.countOnCloud()
    summary.last_error = this.lastError
    return summary
  }

  private newWork(): void {
    // A new job is a reason to try now even while paused, but as one probe, not a flood.
    const now = this.clock.now()
    if (this.pausedUntil > now && now - this.lastProbeAt >= this.backoff.baseMs) this.pausedUntil = 0
    this.wake()
  }

  private pump(): void {
    if (this.state !== 'running') return
    const now = this.clock.now()
    if (now < this.pausedUntil) {
      if (this.inflight.size === 0) this.notifyIdle()
      return this.schedule(this.pausedUntil - now)
    }
    const limit = this.probing ? 1 : this.concurrency
    while (this.inflight.size < limit) {
      const id = this.nextDue(now)
      if (!id) break
      if (this.probing) this.lastProbeAt = now
      this.launch(id)
    }
    if (this.inflight.size === 0) {
      const next = (this.statements.nextDue.get() as { at: number | null }).at
      this.schedule(next === null ? this.rescanMs : Math.min(this.rescanMs, Math.max(1, next - now + 1)))
      this.publishStatus(false)
      this.notifyIdle()
    }
  }

  private nextDue(now: number): string | undefined {
    for (let refills = 0; refills < 2; refills++) {
      while (this.dueBuffer.length > 0) {
        const id = this.dueBuffer.shift() as string
        if (!this.inflight.has(id)) return id
      }
      if (refills === 1) break
      this.dueBuffer = (this.statements.due.all(now) as Array<{ id: string }>).map((row) => row.id)
    }
    return undefined
  }

  private launch(id: string): void {
    const done = this.work(id, this.controller.signal, true)
      .then(
        () => this.succeeded(),
        (error) => {
          if (this.controller.signal.aborted) return
          if (this.isGlobal(error)) return this.failed(error, true)
          // A bug or a refused write for one job must not stop the others; push it back a poll interval.
          this.log(`job ${id}: ${(error as Error).message}`)
          this.deferRow(id)
        },
      )
      .finally(() => {
        this.inflight.delete(id)
        this.wake()
      })
    this.inflight.set(id, done)
  }

  /** Works one job according to its sync state. Throws what concerns the cloud as a whole. */
  private async work(id: string, signal: AbortSignal, onlyIfDue: boolean): Promise<SyncEffect[]> {
    let row = this.row(id)
    if (!row || !(SYNC_STATES as readonly string[]).includes(row.sync_state)) return ['skipped']
    if (onlyIfDue && row.next_sync_at > this.clock.now()) return ['skipped']
    const effects: SyncEffect[] = []
    if (row.sync_state === 'outbox') {
      if (row.status !== 'pending') {
        this.jobs.update(id, { sync_state: 'done' }, { quiet: true })
        return ['skipped']
      }
      const cloudSiteId = this.cloudSiteOf(row)
      if (!cloudSiteId) {
        this.reject(row, `site has no cloud site id any more, so the cloud cannot deliver this job: set one, or run it on the LAN`)
        return ['rejected']
      }
      const sent = await this.markSentBatch.run({ id, cloud_site_id: cloudSiteId, now: isoAt(this.clock.now()) })
      if (!sent) return ['skipped']
      row = sent
    }
    if (row.cloud_job_id === null) {
      const created = await this.create(row, signal)
      effects.push(created.effect)
      if (!created.row) return effects
      row = created.row
    }
    if (row.sync_state === 'cancel_pending') effects.push(await this.cancel(row, signal))
    else if (effects.length === 0) effects.push(...(await this.poll(row, signal)))
    return effects
  }

  private async create(row: JobRow, signal: AbortSignal): Promise<{ effect: SyncEffect; row?: JobRow }> {
    const cloudSiteId = this.cloudSiteOf(row)
    if (!cloudSiteId) {
      this.reject(row, 'site has no cloud site id any more, so the cloud cannot deliver this job')
      return { effect: 'rejected' }
    }
    let cloudJob: CloudJob
    try {
      cloudJob = await this.options.client.createJob(
        cloudSiteId,
        {
          idempotency_key: row.idempotency_key,
          description: row.description,
          script: row.script,
          needs_acknowledgement: row.needs_acknowledgement === 1,
          should_backup: row.should_backup === 1,
          express_execute: row.express_execute === 1,
        },
        signal,
      )
    } catch (error) {
      if (error instanceof CloudUnreachableError && error.sent === 'no') this.neverSent(row.id)
      if (this.isGlobal(error) || signal.aborted) throw error
      // The cloud refused the job itself (400 and the like): no retry can change that.
      const current = this.row(row.id) as JobRow
      const reason = error instanceof CloudApiError ? error.describe() : (error as Error).message
      if (current.status === 'canceling') {
        this.jobs.transition(row.id, 'canceled', { canceled_at: this.nowIso(), sync_state: 'done', next_sync_at: 0 })
        return { effect: 'canceled' }
      }
      this.reject(current, `the cloud refused the job (${reason})`)
      return { effect: 'rejected' }
    }
    const stored = await this.storedBatch.run({ id: row.id, cloudJob })
    return { effect: 'created', row: stored }
  }

  /** Records the create's answer (runs inside a group-commit transaction). */
  private storeCreated(id: string, cloudJob: CloudJob): JobRow {
    const now = this.clock.now()
    const after = this.statements.stored.get({
      id,
      cloud_job_id: cloudJob.id,
      now_iso: isoAt(now),
      next_sync_at: now + this.pollIntervalMs,
      log_url: cloudJob.log_url ?? null,
    }) as JobRow
    this.options.core.events.publish({ type: 'job.changed', job: rowToJob(after), from: after.status })
    // The create's answer is the job as the cloud holds it: it counts as the first poll.
    if (after.sync_state === 'synced' && (cloudJob.started_at || cloudJob.completed_at || cloudJob.failed_at)) {
      this.applyCloudState(id, cloudJob)
      return this.row(id) as JobRow
    }
    return after
  }

  private async poll(row: JobRow, signal: AbortSignal): Promise<SyncEffect[]> {
    let cloudJob: CloudJob
    try {
      cloudJob = await this.options.client.retrieveJob(this.cloudSiteOf(row) as string, row.cloud_job_id as string, signal)
    } catch (error) {
      if (error instanceof CloudApiError && error.status === 404) return [this.vanished(row)]
      throw error
    }
    return ['polled', ...this.db.transaction(() => this.applyCloudState(row.id, cloudJob))()]
  }

  private async cancel(row: JobRow, signal: AbortSignal): Promise<SyncEffect> {
    const result = await this.options.client.cancelJob(this.cloudSiteOf(row) as string, row.cloud_job_id as string, signal)
    const current = this.row(row.id) as JobRow
    if (result.outcome === 'refused') {
      if (current.status === 'canceling') {
        this.jobs.transition(row.id, 'in_progress', {
          cancel_refused_reason: REFUSED_CANCEL_REASON,
          ran_route: 'cloud',
          sync_state: 'synced',
          // Poll now: the job runs, its finish is the next thing to learn.
          next_sync_at: 0,
        })
      } else {
        this.jobs.update(row.id, { sync_state: 'synced', next_sync_at: 0 }, { quiet: true })
      }
      return 'cancel_refused'
    }
    // 204 (deleted) or 404 (already gone): either way it will not run.
    if (current.status === 'canceling' || current.status === 'pending') {
      this.jobs.transition(row.id, 'canceled', { canceled_at: this.nowIso(), sync_state: 'done', next_sync_at: 0 })
    } else {
      this.jobs.update(row.id, { sync_state: 'done' }, { quiet: true })
    }
    return 'canceled'
  }

  /**
   * The state the cloud reports, from its timestamps (SDX has no status field): failed_at -> failed,
   * completed_at -> completed, started_at -> in_progress, none -> still pending.
   */
  private applyCloudState(id: string, cloudJob: CloudJob): SyncEffect[] {
    const row = this.row(id) as JobRow
    const now = this.clock.now()
    const facts: JobPatch = {
      started_at: cloudJob.started_at ?? row.started_at,
      completed_at: cloudJob.completed_at ?? null,
      failed_at: cloudJob.failed_at ?? null,
      ...(cloudJob.associated_backup !== undefined ? { associated_backup: cloudJob.associated_backup } : {}),
      ...(cloudJob.log_url !== undefined ? { log_url: cloudJob.log_url } : {}),
    }
    if (isFinished(row.status)) {
      this.jobs.update(id, { sync_state: 'done' }, { quiet: true })
      return []
    }
    const target: JobStatus = cloudJob.failed_at ? 'failed' : cloudJob.completed_at ? 'completed' : cloudJob.started_at ? 'in_progress' : 'pending'
    if (target === 'failed' || target === 'completed') {
      this.jobs.transition(id, target, {
        ...facts,
        ran_route: 'cloud',
        sync_state: 'done',
        next_sync_at: 0,
        error: target === 'failed' ? deviceFailure(cloudJob) : null,
      })
      return ['finished']
    }
    const later = { next_sync_at: now + this.pollIntervalMs }
    if (target === 'in_progress' && row.status === 'pending') {
      this.jobs.transition(id, 'in_progress', { ...facts, ran_route: 'cloud', ...later })
      return ['started']
    }
    const changed = facts.started_at !== row.started_at || (facts.log_url !== undefined && facts.log_url !== row.log_url)
    this.jobs.update(id, changed ? { ...facts, ...later } : later, { quiet: !changed })
    return []
  }

  /** GET answered 404: the cloud no longer has the job (deleted in SDX, say). */
  private vanished(row: JobRow): SyncEffect {
    const error = jobError('the cloud no longer has this job (deleted in SDX?)', 'cloud')
    const done = { sync_state: 'done' as const, next_sync_at: 0, error }
    if (row.status === 'pending' || row.status === 'canceling') {
      this.jobs.transition(row.id, 'canceled', { ...done, canceled_at: this.nowIso() })
      return 'canceled'
    }
    if (row.status === 'in_progress') {
      // It had started: whether it ran to the end is not known.
      this.jobs.transition(row.id, 'unknown', { ...done, error: { ...error, message: `${error.message}: it had started, its outcome is unknown` } })
      return 'finished'
    }
    this.jobs.update(row.id, { sync_state: 'done' }, { quiet: true })
    return 'skipped'
  }

  /** The connection was never made: nothing reached the cloud, so the job is back in the outbox. */
  private neverSent(id: string): void {
    this.statements.unmarkSent.run(id)
    const row = this.row(id)
    if (row && row.status === 'canceling' && row.sync_state === 'cancel_pending' && row.cloud_job_id === null) {
      this.jobs.transition(id, 'canceled', { canceled_at: this.nowIso(), sync_state: 'done', next_sync_at: 0 })
    }
  }

  private reject(row: JobRow, message: string): void {
    const error = jobError(message, 'cloud')
    if (row.status === 'pending') {
      this.jobs.transition(row.id, 'failed', { failed_at: this.nowIso(), error, sync_state: 'done', next_sync_at: 0 })
    } else {
      this.jobs.update(row.id, { error, sync_state: 'done', next_sync_at: 0 })
    }
  }

  /**
   * The cloud site a job lives on: the one it was created under, else its site's current one. The
   * site store's cache is right across processes (it re-reads when data_version moves), so a cloud
   * id changed by the CLI while the app runs is the one used here.
   */
  private cloudSiteOf(row: JobRow): string | null {
    if (row.cloud_site_id) return row.cloud_site_id
    let siteId: string | null
    try {
      siteId = this.options.core.siteStore.get(row.site_id).cloud_site_id
    } catch {
      return null
    }
    if (siteId && row.cloud_job_id !== null) this.statements.setCloudSite.run(siteId, row.id)
    return siteId
  }

  /** Errors that say nothing about one job but about the cloud or our access to it. */
  private isGlobal(error: unknown): boolean {
    return isTransient(error) || (error instanceof CloudApiError && (error.isAuthProblem || error.status === 0))
  }

  private succeeded(): void {
    if (this.online === true && this.lastError === null && !this.probing) return
    this.online = true
    this.lastError = null
    this.probing = false
    this.pausedUntil = 0
    this.pauseDelay = this.backoff.baseMs
    this.publishStatus(true)
    this.wake()
  }

  private failed(error: unknown, pause: boolean): void {
    const answered = error instanceof CloudApiError
    this.online = answered
    this.lastError = error instanceof CloudApiError ? `cloud: ${error.describe()}` : (error as Error).message
    this.log(`sync waits: ${this.lastError}`)
    if (pause) {
      this.pauseDelay = decorrelatedJitterDelay(this.pauseDelay, this.backoff, this.random)
      this.pausedUntil = this.clock.now() + this.pauseDelay
      this.probing = true
      this.dueBuffer = []
    }
    this.publishStatus(true)
  }

  private deferRow(id: string): void {
    try {
      this.jobs.update(id, { next_sync_at: this.clock.now() + this.pollIntervalMs }, { quiet: true })
    } catch {
      // The job is gone: nothing to defer.
    }
  }

  private publishStatus(force: boolean): void {
    const now = this.clock.now()
    if (!force && now - this.lastStatusAt < 250) {
      if (!this.statusTimer && this.state === 'running') {
        this.statusTimer = setTimeout(() => {
          this.statusTimer = undefined
          this.publishStatus(true)
        }, 250)
        this.statusTimer.unref()
      }
      return
    }
    this.lastStatusAt = now
    if (this.online === null) return
    const status = this.status()
    this.options.core.events.publish({ type: 'sync.status', online: this.online, waiting: status.waiting, last_error: status.last_error })
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.wake(), Math.min(ms, 2 ** 31 - 1))
    this.timer.unref()
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }

  private row(id: string): JobRow | undefined {
    return this.jobs.getRow(id)
  }

  private nowIso(): string {
    return isoAt(this.clock.now())
  }

  private log(line: string): void {
    this.options.log?.(line)
  }
}

function deviceFailure(cloudJob: CloudJob): JobError {
  const where = cloudJob.log_url ? `; its log in SDX: ${cloudJob.log_url}` : ''
  return jobError(`the router reported a failure through the cloud${where}`, 'script')
}
