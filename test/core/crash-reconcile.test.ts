import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { INTERRUPTED_MESSAGE } from '../../src-main/core/queue/reconcile'
import { addSite, validJob } from '../support/temp-core'
import { useTempDirs } from '../support/temp-dirs'

const worker = fileURLToPath(new URL('./fixtures/crash-worker.ts', import.meta.url))
const tempDir = useTempDirs()
const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

function startWorker(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  const lines: string[] = []
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = []
  let buffer = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    let newline: number
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline)
      buffer = buffer.slice(newline + 1)
      lines.push(line)
      for (const waiter of [...waiters]) if (waiter.test(line)) waiters.splice(waiters.indexOf(waiter), 1) && waiter.resolve(line)
    }
  })
  const line = (test: (line: string) => boolean) =>
    new Promise<string>((resolve) => {
      const seen = lines.find(test)
      if (seen) resolve(seen)
      else waiters.push({ test, resolve })
    })
  return { child, line }
}

describe('crash reconciliation', () => {
  it('a job running when its process is killed is found after restart, marked unknown, and never re-run', async () => {
    const dataDir = tempDir()
    const setup = FieldjobsCore.open({ dataDir })
    const office = addSite(setup, 'office')
    const tower = addSite(setup, 'tower')
    const running = setup.jobs.create(validJob(office.id, { description: 'runs when killed' })).job
    const waiting = setup.jobs.create(validJob(office.id, { description: 'queued behind it' })).job
    await setup.close()

    const first = startWorker(dataDir)
    expect(await first.line((l) => l.startsWith('started '))).toBe(`started ${running.id}`)
    first.child.kill('SIGKILL')
    await new Promise((resolve) => first.child.once('exit', resolve))

    // Restart, in this process, with an executor that records every job it is given.
    const core = FieldjobsCore.open({ dataDir })
    const executed: string[] = []
    const { engine, reconciled } = core.startQueue({
      execute: async (run) => {
        executed.push(run.job.id)
        return { kind: 'completed', output: '' }
      },
    })
    core.jobs.create(validJob(tower.id, { description: 'new after restart' }))
    await engine.whenIdle()

    expect(reconciled.map((job) => job.id)).toEqual([running.id])
    const found = core.jobStore.get(running.id)!
    expect(found.status).toBe('unknown')
    expect(found.error?.message).toBe(INTERRUPTED_MESSAGE)
    expect(found.attempts).toBe(1)
    // Not lost, not re-run; the job queued behind it and a new one run normally.
    expect(executed).not.toContain(running.id)
    expect(executed).toContain(waiting.id)
    expect(core.jobStore.get(waiting.id)?.status).toBe('completed')
    expect(core.jobStore.count()).toBe(3)
    await core.close()
  })
})
