import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { jobError } from '../../src-main/contract/job-schema'
import type { ExecutionOutcome, JobExecutor, JobRun } from '../../src-main/core/queue/executor'
import { QueueEngine } from '../../src-main/core/queue/queue-engine'
import { nextEvent } from '../support/job-events'
import { addSite, ManualClock, openTempCore, type TempCore, unreachableRouter, validJob } from '../support/temp-core'

let temp: TempCore
afterEach(() => temp.cleanup())

/** Records the order jobs start in and lets the test finish each one. */
class RecordingExecutor implements JobExecutor {
  order: string[] = []
  active = new Set<string>()
  maxActivePerSite = new Map<string, number>()
  maxActive = 0
  private pending = new Map<string, (outcome: ExecutionOutcome) => void>()
  private startWaiters: Array<{ count: number; resolve: () => void }> = []

  execute(run: JobRun): Promise<ExecutionOutcome> {
    this.order.push(run.job.description)
    this.active.add(run.job.id)
    this.maxActive = Math.max(this.maxActive, this.active.size)
    const perSite = [...this.active].filter((id) => this.siteOf.get(id) === run.job.site_id).length + 1
    this.siteOf.set(run.job.id, run.job.site_id)
    this.maxActivePerSite.set(run.job.site_id, Math.max(this.maxActivePerSite.get(run.job.site_id) ?? 0, perSite))
    for (const waiter of [...this.startWaiters]) {
      if (this.order.length >= waiter.count) {
        this.startWaiters.splice(this.startWaiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
    return new Promise((resolve) => this.pending.set(run.job.id, resolve))
  }
  private siteOf = new Map<string, string>()
  started(count: number): Promise<void> {
    if (this.order.length >= count) return Promise.resolve()
    return new Promise((resolve) => this.startWaiters.push({ count, resolve }))
  }
  finishAll() {
    for (const [id, resolve] of this.pending) {
      this.pending.delete(id)
      this.active.delete(id)
      resolve({ kind: 'completed', output: 'ok' })
    }
  }
}

describe('queue engine', () => {
  beforeEach(() => {
    temp = openTempCore()
  })

  it('runs express jobs first, then oldest first', async () => {
    const site = addSite(temp.core)
    for (const [description, express] of [['first', false], ['second', false], ['urgent', true], ['third', false]] as const) {
      temp.core.jobs.create(validJob(site.id, { description, express_execute: express }))
    }
    const order: string[] = []
    const { engine } = temp.core.startQueue({
      execute: async (run) => {
        order.push(run.job.description)
        return { kind: 'completed', output: '' }
      },
    })
    await engine.whenIdle()
    expect(order).toEqual(['urgent', 'first', 'second', 'third'])
  })

  it('runs one job at a time per site and many sites in parallel, up to the concurrency', async () => {
    const sites = [addSite(temp.core, 'a'), addSite(temp.core, 'b'), addSite(temp.core, 'c'), addSite(temp.core, 'd')]
    for (const site of sites) for (let i = 0; i < 3; i++) temp.core.jobs.create(validJob(site.id, { description: `job ${site.name}${i}` }))
    const executor = new RecordingExecutor()
    const { engine } = temp.core.startQueue(executor, { concurrency: 3 })
    await executor.started(3)
    // Three sites at once (the cap), never two jobs of one site.
    expect(executor.active.size).toBe(3)
    while (executor.order.length < 12) {
      const before = executor.order.length
      executor.finishAll()
      await executor.started(Math.min(before + 1, 12))
    }
    executor.finishAll()
    await engine.whenIdle()
    expect(executor.maxActive).toBe(3)
    expect(Math.max(...executor.maxActivePerSite.values())).toBe(1)
    expect(temp.core.jobStore.countByStatus().completed).toBe(12)
  })

  it('starts a job created while idle without a polling delay (woken by the event)', async () => {
    const site = addSite(temp.core)
    const executor = new RecordingExecutor()
    temp.core.startQueue(executor)
    temp.core.jobs.create(validJob(site.id))
    // No timers involved: the engine claims on the job.created event, in a microtask.
    await new Promise<void>((resolve) => setImmediate(resolve))
    expect(executor.order).toEqual(['set the identity'])
    executor.finishAll()
  })

  it('records the outcome, output and error of each job', async () => {
    const site = addSite(temp.core)
    const ok = temp.core.jobs.create(validJob(site.id, { description: 'works' })).job
    const bad = temp.core.jobs.create(validJob(addSite(temp.core, 'other').id, { description: 'breaks' })).job
    const { engine } = temp.core.startQueue({
      execute: async (run) =>
        run.job.description === 'works'
          ? { kind: 'completed', output: 'hello\r\n' }
          : {
              kind: 'failed',
              error: { message: 'bad command name foo (line 3 column 2)', category: 'script', line: 3, column: 2 },
            },
    })
    await engine.whenIdle()
    const done = temp.core.jobStore.get(ok.id)!
    expect(done).toMatchObject({ status: 'completed', output: 'hello\r\n', ran_route: 'lan', attempts: 1 })
    expect(done.started_at).not.toBeNull()
    expect(done.completed_at).not.toBeNull()
    const failed = temp.core.jobStore.get(bad.id)!
    expect(failed).toMatchObject({ status: 'failed', error: { line: 3, column: 2, category: 'script' } })
    expect(failed.failed_at).not.toBeNull()
  })
})

describe('retries', () => {
  it('retries a job nothing reached the router for, with capped jittered backoff', async () => {
    const clock = new ManualClock()
    temp = openTempCore({ clock })
    const site = addSite(temp.core)
    const { job } = temp.core.jobs.create(validJob(site.id))
    let calls = 0
    const { engine } = temp.core.startQueue(
      {
        execute: async () => {
          calls++
          if (calls < 3) {
            return { kind: 'not_delivered', retryable: true, error: jobError('connect ECONNREFUSED', 'connection') }
          }
          return { kind: 'completed', output: '' }
        },
      },
      { backoff: { baseMs: 1000, capMs: 4000 }, random: () => 1 },
    )
    await engine.whenIdle()
    let waiting = temp.core.jobStore.get(job.id)!
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, started_at: null })
    expect(waiting.error?.message).toMatch(/ECONNREFUSED \(nothing reached the router; it will be retried\)/)
    // Full jitter with random()=1 waits the whole window: base * 2^1 = 2 s after the first attempt.
    expect(Date.parse(waiting.next_attempt_at!) - clock.now()).toBe(2000)
    // Not runnable yet, so idle; then due.
    clock.advance(2000)
    engine.wake()
    await engine.whenIdle()
    waiting = temp.core.jobStore.get(job.id)!
    expect(waiting.attempts).toBe(2)
    // Capped at 4 s although 2^2 * 1 s = 4 s, and 2^3 would be 8 s.
    expect(Date.parse(waiting.next_attempt_at!) - clock.now()).toBe(4000)
    clock.advance(4000)
    engine.wake()
    await engine.whenIdle()
    expect(temp.core.jobStore.get(job.id)).toMatchObject({ status: 'completed', attempts: 3, error: null })
  })

  it('does not retry a wrong password', async () => {
    temp = openTempCore()
    const site = addSite(temp.core)
    const { job } = temp.core.jobs.create(validJob(site.id))
    let calls = 0
    const { engine } = temp.core.startQueue({
      execute: async () => {
        calls++
        return {
          kind: 'not_delivered',
          retryable: false,
          error: jobError('invalid user name or password (6)', 'auth'),
        }
      },
    })
    await engine.whenIdle()
    expect(calls).toBe(1)
    expect(temp.core.jobStore.get(job.id)).toMatchObject({ status: 'failed', error: { category: 'auth' } })
  })

  it('hands an auto job to the cloud outbox when the router does not answer and the site has a cloud id', async () => {
    temp = openTempCore()
    const site = addSite(temp.core, 'remote', { cloud_site_id: '9a9a3e6f-1b1a-4b1a-8c1a-1e1a1a1a1a1a' })
    const { job } = temp.core.jobs.create(validJob(site.id))
    const { engine } = temp.core.startQueue(unreachableRouter)
    await engine.whenIdle()
    expect(temp.core.jobStore.get(job.id)).toMatchObject({ status: 'pending', sync_state: 'outbox', attempts: 1 })
  })
})

describe('leases', () => {
  it('an expired lease is reconciled as unknown, and the old worker cannot overwrite it', async () => {
    const clock = new ManualClock()
    temp = openTempCore({ clock })
    const site = addSite(temp.core)
    const { job } = temp.core.jobs.create(validJob(site.id))
    let finish: (outcome: ExecutionOutcome) => void = () => {}
    const { engine } = temp.core.startQueue(
      { execute: () => new Promise((resolve) => (finish = resolve)) },
      { leaseMs: 5_000 },
    )
    await nextEvent(temp.core.events, (event) => event.type === 'job.changed' && event.job.status === 'in_progress')
    const claimed = temp.core.jobStore.getRow(job.id)!
    expect(claimed.lease_owner).toBe(engine.owner)
    expect(claimed.lease_expires_at).toBe(clock.now() + 5_000)

    // Another engine (another process on the same data folder) sees the lease still valid...
    const other = new QueueEngine({ ...engineParts(), clock, executor: { execute: async () => ({ kind: 'completed', output: '' }) } })
    expect(other.start()).toEqual([])
    await other.stop()
    // ...and, once it has expired, reconciles the job as unknown.
    clock.advance(5_001)
    const third = new QueueEngine({ ...engineParts(), clock, executor: { execute: async () => ({ kind: 'completed', output: '' }) } })
    const reconciled = third.start()
    await third.stop()
    expect(reconciled.map((j) => j.id)).toEqual([job.id])
    expect(temp.core.jobStore.get(job.id)).toMatchObject({ status: 'unknown' })

    // The first worker finishes late: fenced out, the truth stays.
    finish({ kind: 'completed', output: 'late' })
    await engine.whenIdle()
    expect(temp.core.jobStore.get(job.id)).toMatchObject({ status: 'unknown', output: null })
  })
})

function engineParts() {
  const { core } = temp
  return { db: core.db, jobs: core.jobStore, sites: core.siteStore, events: core.events }
}
