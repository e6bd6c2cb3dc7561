import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import type { ExecutionOutcome, JobExecutor, JobRun } from '../../src-main/core/queue/executor'
import { MemorySecretStore } from '../support/memory-secret-store'
import { nextEvent } from '../support/job-events'
import { addSite, openTempCore, type TempCore, validJob } from '../support/temp-core'

let temp: TempCore
beforeEach(() => {
  temp = openTempCore()
})
afterEach(() => temp.cleanup())

/** An executor that holds each job until the test releases it, and reports aborts. */
class HeldExecutor implements JobExecutor {
  started: JobRun[] = []
  private waiters: Array<(run: JobRun) => void> = []
  private releases = new Map<string, (outcome: ExecutionOutcome) => void>()

  execute(run: JobRun): Promise<ExecutionOutcome> {
    this.started.push(run)
    for (const waiter of this.waiters.splice(0)) waiter(run)
    return new Promise((resolve) => {
      this.releases.set(run.job.id, resolve)
      run.signal.addEventListener('abort', () => resolve({ kind: 'canceled', output: 'script job removed' }))
    })
  }
  nextStart(): Promise<JobRun> {
    return new Promise((resolve) => this.waiters.push(resolve))
  }
  finish(jobId: string, outcome: ExecutionOutcome) {
    this.releases.get(jobId)?.(outcome)
  }
}

describe('cancel, in each state', () => {
  it('pending: canceled at once, and never run', async () => {
    const site = addSite(temp.core)
    const { job } = temp.core.jobs.create(validJob(site.id))
    const result = temp.core.jobs.cancel(job.token)
    expect(result.outcome).toBe('canceled')
    expect(result.job).toMatchObject({ status: 'canceled' })
    expect(result.job.canceled_at).not.toBeNull()
    const executor = new HeldExecutor()
    const { engine } = temp.core.startQueue(executor)
    await engine.whenIdle()
    expect(executor.started).toHaveLength(0)
  })

  it('canceled: canceling again is an idempotent success', () => {
    const site = addSite(temp.core)
    const { job } = temp.core.jobs.create(validJob(site.id))
    temp.core.jobs.cancel(job.id)
    const again = temp.core.jobs.cancel(job.id)
    expect(again.outcome).toBe('already_canceled')
    expect(again.job.status).toBe('canceled')
  })

  it.each(['completed', 'failed'] as const)('%s: refused with a clear error', async (finalStatus) => {
    const site = addSite(temp.core)
    const { job } = temp.core.jobs.create(validJob(site.id))
    const outcome: ExecutionOutcome =
      finalStatus === 'completed'
        ? { kind: 'completed', output: '' }
        : { kind: 'failed', error: { message: 'bad command name foo', category: 'script', line: 1, column: 1 } }
    const { engine } = temp.core.startQueue({ execute: async () => outcome })
    await engine.whenIdle()
    expect(() => temp.core.jobs.cancel(job.id)).toThrow(`job ${job.token} has already ${finalStatus}: a finished job cannot be canceled`)
    expect(temp.core.jobStore.get(job.id)?.status).toBe(finalStatus)
  })

  it('in progress: moves to canceling, aborts the executor, ends canceled', async () => {
    const site = addSite(temp.core)
    const executor = new HeldExecutor()
    const { engine } = temp.core.startQueue(executor)
    const started = executor.nextStart()
    const { job } = temp.core.jobs.create(validJob(site.id))
    const run = await started
    const result = temp.core.jobs.cancel(job.id)
    expect(result.outcome).toBe('canceling')
    expect(result.job.status).toBe('canceling')
    expect(run.signal.aborted).toBe(true)
    await engine.whenIdle()
    const after = temp.core.jobStore.get(job.id)!
    expect(after.status).toBe('canceled')
    expect(after.output).toBe('script job removed')
    expect(after.cancel_requested_at).not.toBeNull()
    // A canceled job is never restarted.
    expect(executor.started).toHaveLength(1)
  })

  it('in progress, canceled from another process (the CLI beside the app): stopped at the next rescan', async () => {
    const site = addSite(temp.core)
    const executor = new HeldExecutor()
    // The lease renewal (a third of leaseMs) would notice too, but only after ten seconds.
    const { engine } = temp.core.startQueue(executor, { rescanMs: 20, leaseMs: 600_000 })
    const started = executor.nextStart()
    const { job } = temp.core.jobs.create(validJob(site.id))
    const run = await started
    const cli = FieldjobsCore.open({ dataDir: temp.dataDir, secrets: new MemorySecretStore() })
    try {
      expect(cli.jobs.cancel(job.token).outcome).toBe('canceling')
    } finally {
      await cli.close()
    }
    await new Promise<void>((resolve) => run.signal.addEventListener('abort', () => resolve(), { once: true }))
    await engine.whenIdle()
    expect(temp.core.jobStore.get(job.id)!.status).toBe('canceled')
  })

  it('in progress: a job that finished before the cancel took effect keeps its real outcome', async () => {
    const site = addSite(temp.core)
    const { engine } = temp.core.startQueue({
      // Ignores the abort: the router finished the script first.
      execute: (run) =>
        new Promise((resolve) => run.signal.addEventListener('abort', () => resolve({ kind: 'completed', output: 'done' }))),
    })
    const started = nextEvent(temp.core.events, (event) => event.type === 'job.changed' && event.job.status === 'in_progress')
    const { job } = temp.core.jobs.create(validJob(site.id))
    await started
    temp.core.jobs.cancel(job.id)
    await engine.whenIdle()
    expect(temp.core.jobStore.get(job.id)).toMatchObject({ status: 'completed', output: 'done' })
  })

  it('canceling: canceling again reports canceling and changes nothing', async () => {
    const site = addSite(temp.core)
    const executor = new HeldExecutor()
    temp.core.startQueue(executor)
    const started = executor.nextStart()
    const { job } = temp.core.jobs.create(validJob(site.id))
    await started
    // The executor here ignores nothing: detach it so the job stays canceling for a moment.
    temp.core.jobStore.transition(job.id, 'canceling')
    expect(temp.core.jobs.cancel(job.id).outcome).toBe('canceling')
  })

  it('unknown: refused, the outcome stays unknown', () => {
    const site = addSite(temp.core)
    const { job } = temp.core.jobs.create(validJob(site.id))
    temp.core.db.prepare(`UPDATE jobs SET status = 'unknown' WHERE id = ?`).run(job.id)
    expect(() => temp.core.jobs.cancel(job.id)).toThrow(/unknown outcome: a finished job cannot be canceled/)
  })

  it('unknown job reference: a clear not-found error', () => {
    expect(() => temp.core.jobs.cancel('nosuchjob1')).toThrow(/no job with id or token nosuchjob1/)
  })
})
