// A batch with an idempotency key is created once: a form sent twice gets the same batch and jobs.
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BatchService } from '../../src-main/core/batch/batch-service'
import { addSite, openTempCore, type TempCore } from '../support/temp-core'

let temp: TempCore
beforeEach(() => {
  temp = openTempCore()
})
afterEach(() => temp.cleanup())

describe('batch idempotency', () => {
  it('the same key answers with the batch it created; each job has its own derived key', () => {
    const sites = [addSite(temp.core, 'a'), addSite(temp.core, 'b')]
    const batches = new BatchService(temp.core)
    const key = randomUUID()
    const input = { site_ids: sites.map((site) => site.id), description: 'twice sent', script: ':put x', idempotency_key: key }
    const first = batches.create(input)
    const second = batches.create(input)
    expect(second.batch_id).toBe(key)
    expect(second.jobs.map((job) => job.id)).toEqual(first.jobs.map((job) => job.id))
    expect(temp.core.jobStore.count()).toBe(2)
    const keys = first.jobs.map((job) => job.idempotency_key)
    expect(new Set(keys).size).toBe(2)
    for (const jobKey of keys) expect(jobKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('another script under a used key is refused and creates nothing', () => {
    const site = addSite(temp.core, 'a')
    const batches = new BatchService(temp.core)
    const key = randomUUID()
    batches.create({ site_ids: [site.id], description: 'first', script: ':put 1', idempotency_key: key })
    expect(() => batches.create({ site_ids: [site.id], description: 'first', script: ':put 2', idempotency_key: key })).toThrow(/already used for batch/)
    expect(temp.core.jobStore.count()).toBe(1)
  })

  it('without a key every call is a new batch', () => {
    const site = addSite(temp.core, 'a')
    const batches = new BatchService(temp.core)
    const input = { site_ids: [site.id], description: 'no key', script: ':put 1' }
    expect(batches.create(input).batch_id).not.toBe(batches.create(input).batch_id)
  })
})
