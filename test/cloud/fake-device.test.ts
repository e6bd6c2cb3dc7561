// The cloud fake's simulated device must behave as a router does: a job deleted before the device
// picked it up is never started. It used to throw from its timer instead, an uncaught error that
// landed in whichever test ran next (the crash harness cancels jobs at random moments).
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { useCloud } from './harness'

const cloud = useCloud()

describe('the cloud fake device', () => {
  it('never starts a job deleted before its start time, and raises nothing', async () => {
    // Long enough that the cancel lands before the start on a busy machine (30 ms did not, once in
    // a full run): the kept job's completion, not a fixed sleep, says when to look.
    const fake = await cloud.fake({ device: { startAfterMs: 400, finishAfterMs: 10 } })
    const steps: string[] = []
    let keptDone: () => void = () => {}
    const keptFinished = new Promise<void>((resolve) => (keptDone = resolve))
    let keptId = ''
    fake.on('device', ({ job, step }: { job: { id: string }; step: string }) => {
      steps.push(`${job.id} ${step}`)
      if (job.id === keptId && step === 'completed') keptDone()
    })
    const uncaught: unknown[] = []
    const onUncaught = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', onUncaught)
    try {
      const api = cloud.client(fake)
      const siteId = randomUUID()
      const request = { description: 'deleted before it starts', script: '/log info "x"', needs_acknowledgement: true, should_backup: false, express_execute: false }
      const deleted = await api.createJob(siteId, { ...request, idempotency_key: randomUUID() })
      const kept = await api.createJob(siteId, { ...request, idempotency_key: randomUUID() })
      keptId = kept.id
      expect(await api.cancelJob(siteId, deleted.id)).toEqual({ outcome: 'deleted' })
      await keptFinished
      // The deleted job's timer would have fired by now, and it started nothing.
      await sleep(50)
      expect(steps).toEqual([`${kept.id} start`, `${kept.id} completed`])
      expect(uncaught).toEqual([])
    } finally {
      process.off('uncaughtException', onUncaught)
    }
  })
})
