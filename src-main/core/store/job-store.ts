// Jobs in SQLite: create (idempotent), read, list, and every status change. Each status change is
// checked against the move table and published as an event, here, so no caller can skip either.
import { createHash, randomUUID } from 'node:crypto'
import type { Statement } from 'better-sqlite3'
import type { CoreEvent } from '../../contract/events'
import type {
  ErrorCategory,
  Job,
  JobError,
  JobRoute,
  JobStatus,
  RanRoute,
  SyncState,
  ValidNewJob,
} from '../../contract/job-schema'
import { jobStatuses } from '../../contract/job-values'
import { type Clock, isoAt } from '../clock'
import { FieldjobsError } from '../errors'
import { assertMove, canMove } from '../jobs/job-states'
import { newJobToken } from '../jobs/job-token'
import type { Db } from './database'
import { OPEN_TERM, statusIndexTerm, term } from './job-status-indexes'

/** Sync states with something to tell the cloud: the partial index jobs_sync_due holds exactly these. */
export const SYNC_STATES = ['outbox', 'synced', 'cancel_pending'] as const satisfies readonly SyncState[]
/** jobs_sync_due's WHERE, word for word: SQLite uses a partial index only for its verbatim term. */
export const SYNC_TERM = term('sync_state', SYNC_STATES)

/** A job row as SQLite returns it. */
export interface JobRow {
  seq: number
  id: string
  token: string
  site_id: string
  idempotency_key: string
  payload_hash: string
  description: string
  script: string
  express_execute: number
  needs_acknowledgement: number
  should_backup: number
  associated_backup: string | null
  created_at: string
  started_at: string | null
  completed_at: string | null
  failed_at: string | null
  log_url: string | null
  status: JobStatus
  route: JobRoute
  ran_route: RanRoute | null
  attempts: number
  next_attempt_at: number
  lease_owner: string | null
  lease_expires_at: number | null
  error_message: string | null
  error_category: ErrorCategory | null
  error_line: number | null
  error_column: number | null
  output: string | null
  cancel_requested_at: string | null
  canceled_at: string | null
  cancel_refused_reason: string | null
  cloud_job_id: string | null
  /** The cloud site the job was created under (set when it is sent). */
  cloud_site_id: string | null
  sync_state: SyncState
  sync_attempts: number
  next_sync_at: number
  synced_at: string | null
  revert_after_s: number | null
  batch_id: string | null
  not_before: number | null
  template: string | null
  template_values: string | null
  batch_concurrency: number | null
  updated_at: string
}

/**
 * next_attempt_at of a job held back by its batch's canary: later than any real time, so the claim
 * (`next_attempt_at <= now`) never takes it and nextDueAt never waits for it. Releasing it sets its
 * real start (its not_before, or 0).
 */
export const HELD_FOR_CANARY = 8_640_000_000_000_000

/** next_attempt_at as the Job shows it: absent, held for a canary, or a time. */
const nextAttemptIso = (ms: number) => (ms > 0 && ms < HELD_FOR_CANARY ? isoAt(ms) : null)

/** What a job is created with besides its validated input: the rendered template's record, and the batch's limits. */
export interface JobExtras {
  template?: string | null
  template_values?: Record<string, string> | null
  batch_concurrency?: number | null
  held_for_canary?: boolean
}

/** What create() inserts; every other column starts at its default. */
type NewJobRow = Pick<
  JobRow,
  | 'id' | 'token' | 'site_id' | 'idempotency_key' | 'payload_hash' | 'description' | 'script' | 'express_execute'
  | 'needs_acknowledgement' | 'should_backup' | 'created_at' | 'route' | 'sync_state' | 'revert_after_s' | 'batch_id'
  | 'not_before' | 'next_attempt_at' | 'template' | 'template_values' | 'batch_concurrency'
>

/**
 * The Job a fresh insert stored, built from what was inserted instead of read back: the row as
 * SQLite holds it, each column not inserted at its default (job-store.test.ts compares the result
 * with the stored row for every kind of job). Spelled out rather than spread from `row` on purpose:
 * a spread into this many fields sent V8 down its slow path (measured: 33 µs per job, more than the
 * insert itself).
 */
function newJobAsStored(seq: number, row: NewJobRow): Job {
  return rowToJob({
    seq,
    id: row.id,
    token: row.token,
    site_id: row.site_id,
    idempotency_key: row.idempotency_key,
    payload_hash: row.payload_hash,
    description: row.description,
    script: row.script,
    express_execute: row.express_execute,
    needs_acknowledgement: row.needs_acknowledgement,
    should_backup: row.should_backup,
    created_at: row.created_at,
    route: row.route,
    sync_state: row.sync_state,
    revert_after_s: row.revert_after_s,
    batch_id: row.batch_id,
    not_before: row.not_before,
    next_attempt_at: row.next_attempt_at,
    template: row.template,
    template_values: row.template_values,
    batch_concurrency: row.batch_concurrency,
    updated_at: row.created_at,
    status: 'pending',
    associated_backup: null,
    started_at: null,
    completed_at: null,
    failed_at: null,
    log_url: null,
    ran_route: null,
    attempts: 0,
    lease_owner: null,
    lease_expires_at: null,
    error_message: null,
    error_category: null,
    error_line: null,
    error_column: null,
    output: null,
    cancel_requested_at: null,
    canceled_at: null,
    cancel_refused_reason: null,
    cloud_job_id: null,
    cloud_site_id: null,
    sync_attempts: 0,
    next_sync_at: 0,
    synced_at: null,
  })
}

export function rowToJob(row: JobRow): Job {
  return {
    id: row.id,
    token: row.token,
    site_id: row.site_id,
    idempotency_key: row.idempotency_key,
    description: row.description,
    express_execute: row.express_execute === 1,
    needs_acknowledgement: row.needs_acknowledgement === 1,
    should_backup: row.should_backup === 1,
    associated_backup: row.associated_backup,
    started_at: row.started_at,
    completed_at: row.completed_at,
    failed_at: row.failed_at,
    created_at: row.created_at,
    log_url: row.log_url,
    script: row.script,
    seq: row.seq,
    status: row.status,
    route: row.route,
    ran_route: row.ran_route,
    attempts: row.attempts,
    next_attempt_at: nextAttemptIso(row.next_attempt_at),
    error:
      row.error_message === null
        ? null
        : {
            message: row.error_message,
            category: row.error_category ?? 'internal',
            line: row.error_line,
            column: row.error_column,
          },
    output: row.output,
    cancel_requested_at: row.cancel_requested_at,
    canceled_at: row.canceled_at,
    cancel_refused_reason: row.cancel_refused_reason,
    cloud_job_id: row.cloud_job_id,
    sync_state: row.sync_state,
    synced_at: row.synced_at,
    revert_after_s: row.revert_after_s,
    batch_id: row.batch_id,
    not_before: row.not_before === null ? null : isoAt(row.not_before),
    waiting_for_canary: row.next_attempt_at === HELD_FOR_CANARY,
    template: row.template,
    template_values: row.template_values === null ? null : (JSON.parse(row.template_values) as Record<string, string>),
    updated_at: row.updated_at,
  }
}

/**
 * Reads job rows as value arrays (better-sqlite3's raw mode) straight into Jobs. A row object of
 * 40 named columns costs more to build than the statement that fetched it (measured: 15.7 against
 * 9.1 µs per SELECT *), and the hot path (a create's announcement, a claim, a completion) then
 * builds the Job from it anyway. Only the statement's column order is looked up, once.
 */
export function jobReader(statement: Statement): (values: unknown[]) => Job {
  statement.raw(true)
  const names = statement.columns().map((column) => column.name)
  const at = (name: keyof JobRow) => {
    const index = names.indexOf(name)
    if (index < 0) throw new Error(`a job statement must return ${name}`)
    return index
  }
  const i = Object.fromEntries(
    (
      [
        'seq', 'id', 'token', 'site_id', 'idempotency_key', 'description', 'script', 'express_execute',
        'needs_acknowledgement', 'should_backup', 'associated_backup', 'created_at', 'started_at', 'completed_at',
        'failed_at', 'log_url', 'status', 'route', 'ran_route', 'attempts', 'next_attempt_at', 'error_message',
        'error_category', 'error_line', 'error_column', 'output', 'cancel_requested_at', 'canceled_at',
        'cancel_refused_reason', 'cloud_job_id', 'sync_state', 'synced_at', 'revert_after_s', 'batch_id', 'updated_at',
        'not_before', 'template', 'template_values',
      ] as const
    ).map((name) => [name, at(name)]),
  ) as Record<keyof JobRow, number>
  return (v) => {
    const nextAttemptAt = v[i.next_attempt_at] as number
    const errorMessage = v[i.error_message] as string | null
    return {
      id: v[i.id] as string,
      token: v[i.token] as string,
      site_id: v[i.site_id] as string,
      idempotency_key: v[i.idempotency_key] as string,
      description: v[i.description] as string,
      express_execute: v[i.express_execute] === 1,
      needs_acknowledgement: v[i.needs_acknowledgement] === 1,
      should_backup: v[i.should_backup] === 1,
      associated_backup: v[i.associated_backup] as string | null,
      started_at: v[i.started_at] as string | null,
      completed_at: v[i.completed_at] as string | null,
      failed_at: v[i.failed_at] as string | null,
      created_at: v[i.created_at] as string,
      log_url: v[i.log_url] as string | null,
      script: v[i.script] as string,
      seq: v[i.seq] as number,
      status: v[i.status] as JobStatus,
      route: v[i.route] as JobRoute,
      ran_route: v[i.ran_route] as RanRoute | null,
      attempts: v[i.attempts] as number,
      next_attempt_at: nextAttemptIso(nextAttemptAt),
      error:
        errorMessage === null
          ? null
          : {
              message: errorMessage,
              category: (v[i.error_category] as ErrorCategory | null) ?? 'internal',
              line: v[i.error_line] as number | null,
              column: v[i.error_column] as number | null,
            },
      output: v[i.output] as string | null,
      cancel_requested_at: v[i.cancel_requested_at] as string | null,
      canceled_at: v[i.canceled_at] as string | null,
      cancel_refused_reason: v[i.cancel_refused_reason] as string | null,
      cloud_job_id: v[i.cloud_job_id] as string | null,
      sync_state: v[i.sync_state] as SyncState,
      synced_at: v[i.synced_at] as string | null,
      revert_after_s: v[i.revert_after_s] as number | null,
      batch_id: v[i.batch_id] as string | null,
      not_before: v[i.not_before] === null ? null : isoAt(v[i.not_before] as number),
      waiting_for_canary: nextAttemptAt === HELD_FOR_CANARY,
      template: v[i.template] as string | null,
      template_values: v[i.template_values] === null ? null : (JSON.parse(v[i.template_values] as string) as Record<string, string>),
      updated_at: v[i.updated_at] as string,
    }
  }
}

/** What a status change may also write. Columns not named stay as they are. */
export interface JobPatch {
  started_at?: string | null
  completed_at?: string | null
  failed_at?: string | null
  associated_backup?: string | null
  output?: string | null
  error?: JobError | null
  ran_route?: RanRoute | null
  attempts?: number
  next_attempt_at?: number
  lease_owner?: string | null
  lease_expires_at?: number | null
  cancel_requested_at?: string | null
  canceled_at?: string | null
  cancel_refused_reason?: string | null
  cloud_job_id?: string | null
  sync_state?: SyncState
  sync_attempts?: number
  next_sync_at?: number
  synced_at?: string | null
  log_url?: string | null
}

export interface JobListFilter {
  site_id?: string
  statuses?: readonly JobStatus[]
  route?: JobRoute
  /** Matches token, description or script, case-insensitively. */
  search?: string
  /** Keyset paging: only jobs older than this seq. */
  before_seq?: number
  limit?: number
}

export interface CreateResult {
  job: Job
  /** false when the idempotency key named an existing job with the same payload. */
  created: boolean
}

/** The part of a job its idempotency key vouches for: the same key must mean the same job. */
function payloadHash(job: ValidNewJob): string {
  const payload = [
    job.site_id,
    job.description,
    job.script,
    job.express_execute,
    job.needs_acknowledgement,
    job.should_backup,
    job.route,
    job.revert_after_s,
    // Appended only when set, so a job created before maintenance windows keeps its hash.
    ...(job.not_before ? [job.not_before] : []),
  ]
  return createHash('sha256').update(JSON.stringify(payload)).digest('hex')
}

const patchColumns = (patch: JobPatch): Record<string, unknown> => {
  const columns: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    if (key === 'error') {
      const error = value as JobError | null
      columns.error_message = error?.message ?? null
      columns.error_category = error?.category ?? null
      columns.error_line = error?.line ?? null
      columns.error_column = error?.column ?? null
    } else {
      columns[key] = value
    }
  }
  return columns
}

export class JobStore {
  private readonly insert: Statement
  /** Read, check the move, write: one transaction, so no other writer slips in between. */
  private readonly transitionInTransaction: (
    id: string,
    to: JobStatus,
    patch: JobPatch,
    options: { leaseOwner?: string },
  ) => { job: Job; from: JobStatus } | undefined
  private readonly byId: Statement
  private readonly guardById: Statement
  private readonly byKey: Statement
  private readonly statementCache = new Map<string, Statement>()
  private readonly jobWriteCache = new Map<string, { statement: Statement; read: (values: unknown[]) => Job }>()

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly publish: (event: CoreEvent) => void,
  ) {
    this.insert = db.prepare(`INSERT INTO jobs (
        id, token, site_id, idempotency_key, payload_hash, description, script, express_execute,
        needs_acknowledgement, should_backup, created_at, status, route, sync_state, revert_after_s,
        batch_id, updated_at, log_url, not_before, next_attempt_at, template, template_values, batch_concurrency
      ) VALUES (
        @id, @token, @site_id, @idempotency_key, @payload_hash, @description, @script, @express_execute,
        @needs_acknowledgement, @should_backup, @created_at, 'pending', @route, @sync_state, @revert_after_s,
        @batch_id, @created_at, NULL, @not_before, @next_attempt_at, @template, @template_values, @batch_concurrency
      ) ON CONFLICT (idempotency_key) DO NOTHING RETURNING seq`)
      // Only seq: every other column of a new job is what create() wrote or a default, and returning
      // all 45 of them cost a fifth of an enqueue (measured: 94 against 87 µs per insert).
      .pluck()
    this.byId = db.prepare('SELECT * FROM jobs WHERE id = ?')
    // A write checks only these two before it moves a job: reading the whole row would cost more than the write.
    this.guardById = db.prepare('SELECT status, lease_owner FROM jobs WHERE id = ?')
    this.byKey = db.prepare('SELECT * FROM jobs WHERE idempotency_key = ?')
    this.transitionInTransaction = db.transaction(this.transitionUnchecked.bind(this))
  }

  /**
   * Creates a job, or returns the job its idempotency key already names when the payload is the
   * same. A different payload under a known key is refused (the IETF idempotency draft's 422).
   */
  create(input: ValidNewJob, extras: JobExtras = {}): CreateResult {
    const idempotencyKey = input.idempotency_key ?? randomUUID()
    const hash = payloadHash(input)
    const now = isoAt(this.clock.now())
    const notBeforeMs = input.not_before ? Date.parse(input.not_before) : null
    for (let attempt = 0; ; attempt++) {
      try {
        const values: NewJobRow = {
          id: randomUUID(),
          token: newJobToken(),
          site_id: input.site_id,
          idempotency_key: idempotencyKey,
          payload_hash: hash,
          description: input.description,
          script: input.script,
          express_execute: input.express_execute ? 1 : 0,
          needs_acknowledgement: input.needs_acknowledgement ? 1 : 0,
          should_backup: input.should_backup ? 1 : 0,
          created_at: now,
          route: input.route,
          // A cloud job enters the outbox at once; auto jobs only when the LAN does not answer.
          sync_state: input.route === 'cloud' ? 'outbox' : 'local',
          revert_after_s: input.revert_after_s ?? null,
          batch_id: input.batch_id,
          not_before: notBeforeMs,
          // The queue waits through next_attempt_at, as for a backoff: no new claim condition.
          next_attempt_at: extras.held_for_canary ? HELD_FOR_CANARY : (notBeforeMs ?? 0),
          template: extras.template ?? null,
          template_values: extras.template_values ? JSON.stringify(extras.template_values) : null,
          batch_concurrency: extras.batch_concurrency ?? null,
        }
        const seq = this.insert.get(values) as number | undefined
        if (seq !== undefined) {
          const job = newJobAsStored(seq, values)
          this.publish({ type: 'job.created', job })
          return { job, created: true }
        }
        break
      } catch (error) {
        const message = (error as Error).message
        // A token collision (about 1 in 1e17 per pair) is a retry; anything else is a real error.
        if (message.includes('jobs.token') && attempt < 5) continue
        if (message.includes('FOREIGN KEY')) {
          throw new FieldjobsError('not_found', `site ${input.site_id} does not exist: add it first, or pick another`)
        }
        throw error
      }
    }
    const existing = this.byKey.get(idempotencyKey) as JobRow
    if (existing.payload_hash !== hash) {
      throw new FieldjobsError(
        'idempotency_mismatch',
        `idempotency key ${idempotencyKey} was already used for job ${existing.token} with a different payload; ` +
          'use a new key for a different job (or leave it out and one is generated)',
      )
    }
    return { job: rowToJob(existing), created: false }
  }

  /** Lets a batch's held jobs start (its canary succeeded): each at its not_before, or now. */
  releaseHeld(batchId: string): Job[] {
    const rows = this.db
      .prepare(
        `UPDATE jobs SET next_attempt_at = coalesce(not_before, 0), updated_at = ?
          WHERE batch_id = ? AND status = 'pending' AND next_attempt_at = ${HELD_FOR_CANARY} RETURNING *`,
      )
      .all(isoAt(this.clock.now()), batchId) as JobRow[]
    const jobs = rows.map(rowToJob)
    for (const job of jobs) this.publish({ type: 'job.changed', job, from: 'pending' })
    return jobs
  }

  get(id: string): Job | undefined {
    const row = this.byId.get(id) as JobRow | undefined
    return row && rowToJob(row)
  }

  getRow(id: string): JobRow | undefined {
    return this.byId.get(id) as JobRow | undefined
  }

  /** Whether a job was created with this idempotency key (its create would return that job). */
  hasKey(idempotencyKey: string): boolean {
    return this.byKey.get(idempotencyKey) !== undefined
  }

  /** Finds a job by its id or its 10-character token. */
  find(idOrToken: string): Job {
    const row = this.cached('SELECT * FROM jobs WHERE id = ? OR token = ?').get(idOrToken, idOrToken) as
      | JobRow
      | undefined
    if (!row) throw new FieldjobsError('not_found', `no job with id or token ${idOrToken}`)
    return rowToJob(row)
  }

  list(filter: JobListFilter = {}): Job[] {
    const { where, params } = this.whereClause(filter)
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000)
    const sql = `SELECT * FROM jobs ${where} ORDER BY seq DESC LIMIT ${limit}`
    return (this.cached(sql).all(params) as JobRow[]).map(rowToJob)
  }

  count(filter: Omit<JobListFilter, 'before_seq' | 'limit'> = {}): number {
    const { where, params } = this.whereClause(filter)
    return (this.cached(`SELECT count(*) AS n FROM jobs ${where}`).get(params) as { n: number }).n
  }

  /** Waiting and running jobs, counted from the small index of open jobs (the status bar asks often). */
  countOpen(): { pending: number; in_progress: number; canceling: number } {
    const rows = this.cached(`SELECT status, count(*) AS n FROM jobs WHERE ${OPEN_TERM} GROUP BY status`).all() as Array<{
      status: 'pending' | 'in_progress' | 'canceling'
      n: number
    }>
    const counts = { pending: 0, in_progress: 0, canceling: 0 }
    for (const row of rows) counts[row.status] = row.n
    return counts
  }

  /**
   * Jobs the cloud has not confirmed: in the outbox, sent without an answer, or a cancel to deliver.
   * Read from the table, so it is right even when no sync engine runs in this process.
   */
  countWaitingToSync(): number {
    return (this.cached(`SELECT count(*) AS n FROM jobs WHERE ${SYNC_TERM} AND (sync_state <> 'synced' OR cloud_job_id IS NULL)`).get() as { n: number }).n
  }

  /** Jobs the cloud holds and has confirmed: sent, with its job id, not yet settled. */
  countOnCloud(): number {
    return (this.cached(`SELECT count(*) AS n FROM jobs WHERE ${SYNC_TERM} AND sync_state = 'synced' AND cloud_job_id IS NOT NULL`).get() as { n: number }).n
  }

  countByStatus(): Record<JobStatus, number> {
    const rows = this.cached('SELECT status, count(*) AS n FROM jobs GROUP BY status').all() as Array<{
      status: JobStatus
      n: number
    }>
    const counts = Object.fromEntries(jobStatuses.map((status) => [status, 0])) as Record<JobStatus, number>
    for (const row of rows) counts[row.status] = row.n
    return counts
  }

  /**
   * Moves a job to `to` and writes `patch`, in one statement. With `leaseOwner`, the write happens
   * only while that owner still holds the job's lease: a worker that lost its lease (the job was
   * reconciled as unknown meanwhile) cannot overwrite the truth. Returns undefined when fenced out.
   */
  transition(id: string, to: JobStatus, patch: JobPatch = {}, options: { leaseOwner?: string } = {}): Job | undefined {
    const moved =
      (options.leaseOwner !== undefined && this.moveFromRunning(id, to, patch, options.leaseOwner)) ||
      this.transitionInTransaction(id, to, patch, options)
    if (!moved) return undefined
    // Published after the commit, so a listener that writes (a batch's canary canceling the rest)
    // starts its own transaction instead of nesting in this one.
    this.publish({ type: 'job.changed', job: moved.job, from: moved.from })
    return moved.job
  }

  /**
   * The common fenced move, a worker settling the job it runs: one statement whose WHERE holds
   * both the move's start (in_progress) and the lease, so it needs neither a transaction nor a read
   * first. Anything else (a cancel arrived, the lease is gone, no such job, a move the table
   * refuses) writes nothing here and is decided by the guarded transaction.
   */
  private moveFromRunning(id: string, to: JobStatus, patch: JobPatch, leaseOwner: string): { job: Job; from: JobStatus } | undefined {
    if (to !== 'in_progress' && !canMove('in_progress', to)) return undefined
    const columns = { ...patchColumns(patch), status: to, updated_at: isoAt(this.clock.now()) }
    const names = Object.keys(columns)
    const write = this.cachedJobWrite(
      `UPDATE jobs SET ${names.map((name) => `${name} = @${name}`).join(', ')}` +
        ` WHERE id = @id AND status = 'in_progress' AND lease_owner = @lease_holder RETURNING *`,
    )
    const row = write.statement.get({ ...columns, id, lease_holder: leaseOwner }) as unknown[] | undefined
    return row && { job: write.read(row), from: 'in_progress' }
  }

  private transitionUnchecked(
    id: string,
    to: JobStatus,
    patch: JobPatch,
    options: { leaseOwner?: string },
  ): { job: Job; from: JobStatus } | undefined {
    const from = this.guard(id, options.leaseOwner)
    if (from === undefined) return undefined
    assertMove(from, to)
    const columns = { ...patchColumns(patch), status: to, updated_at: isoAt(this.clock.now()) }
    return { job: this.write(id, columns), from }
  }

  /**
   * Writes fields that are not a status change (a backup path, partial output, sync bookkeeping).
   * With `leaseOwner`, as for transition(): nothing is written unless that owner holds the lease.
   * One statement, fenced in its WHERE; the row is read back only to announce it (not when quiet).
   */
  update(id: string, patch: JobPatch, options: { leaseOwner?: string; quiet?: boolean } = {}): void {
    const columns = { ...patchColumns(patch), updated_at: isoAt(this.clock.now()) }
    const names = Object.keys(columns)
    const fenced = options.leaseOwner !== undefined
    const sql =
      `UPDATE jobs SET ${names.map((name) => `${name} = @${name}`).join(', ')} WHERE id = @id` +
      (fenced ? ' AND lease_owner = @owner' : '')
    const params = { ...columns, id, ...(fenced ? { owner: options.leaseOwner } : {}) }
    if (options.quiet) {
      if (this.cached(sql).run(params).changes === 0) this.assertExists(id)
      return
    }
    const write = this.cachedJobWrite(`${sql} RETURNING *`)
    const row = write.statement.get(params) as unknown[] | undefined
    if (!row) {
      this.assertExists(id)
      return
    }
    const job = write.read(row)
    // update() never moves the status, so the job was already in the one it is in now.
    this.publish({ type: 'job.changed', job, from: job.status })
  }

  /** Nothing written: not_found when there is no such job, else the write was fenced out. */
  private assertExists(id: string): void {
    if (!this.guardById.get(id)) throw new FieldjobsError('not_found', `no job with id ${id}`)
  }

  /**
   * The status a write to job `id` starts from. Throws not_found for no such job; undefined when
   * `leaseOwner` is given and no longer holds the job's lease (the write is fenced out).
   */
  private guard(id: string, leaseOwner: string | undefined): JobStatus | undefined {
    const before = this.guardById.get(id) as Pick<JobRow, 'status' | 'lease_owner'> | undefined
    if (!before) throw new FieldjobsError('not_found', `no job with id ${id}`)
    if (leaseOwner !== undefined && before.lease_owner !== leaseOwner) return undefined
    return before.status
  }

  private write(id: string, columns: Record<string, unknown>): Job {
    const names = Object.keys(columns)
    const write = this.cachedJobWrite(`UPDATE jobs SET ${names.map((name) => `${name} = @${name}`).join(', ')} WHERE id = @id RETURNING *`)
    return write.read(write.statement.get({ ...columns, id }) as unknown[])
  }

  private whereClause(filter: Omit<JobListFilter, 'limit'>) {
    const clauses: string[] = []
    const params: Record<string, unknown> = {}
    if (filter.site_id) {
      clauses.push('site_id = @site_id')
      params.site_id = filter.site_id
    }
    if (filter.statuses && filter.statuses.length > 0) {
      const names = filter.statuses.map((status, i) => {
        params[`status${i}`] = status
        return `@status${i}`
      })
      clauses.push(`status IN (${names.join(', ')})`)
      const indexTerm = statusIndexTerm(filter.statuses)
      if (indexTerm) clauses.push(indexTerm)
    }
    if (filter.route) {
      clauses.push('route = @route')
      params.route = filter.route
    }
    if (filter.search && filter.search.trim() !== '') {
      clauses.push(`(token = @search_exact OR description LIKE @search ESCAPE '\\' OR script LIKE @search ESCAPE '\\')`)
      params.search_exact = filter.search.trim()
      params.search = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    }
    if (filter.before_seq !== undefined) {
      clauses.push('seq < @before_seq')
      params.before_seq = filter.before_seq
    }
    return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params }
  }

  /** A write that returns the job, read as values (jobReader); compiled once per SQL text, as cached(). */
  private cachedJobWrite(sql: string): { statement: Statement; read: (values: unknown[]) => Job } {
    let write = this.jobWriteCache.get(sql)
    if (!write) {
      const statement = this.db.prepare(sql)
      write = { statement, read: jobReader(statement) }
      this.jobWriteCache.set(sql, write)
    }
    return write
  }

  /** Statements are compiled once per distinct SQL text; the set of texts is small and bounded. */
  private cached(sql: string): Statement {
    let statement = this.statementCache.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statementCache.set(sql, statement)
    }
    return statement
  }
}
