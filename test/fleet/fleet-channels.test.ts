// The window's fleet channels on the real core: preview a template per site, queue it as a batch,
// follow the batch, cancel it. Tags and variables travel on sites:update.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApiHandlers, type ApiHandlers } from '../../src-main/api/api-handlers'
import { dispatch } from '../../src-main/api/dispatch'
import type { Site } from '../../src-main/contract/site-schema'
import { BatchService } from '../../src-main/core/batch/batch-service'
import { addSite, openTempCore, type TempCore } from '../support/temp-core'

let temp: TempCore
let handlers: ApiHandlers
beforeEach(() => {
  temp = openTempCore()
  handlers = createApiHandlers({ core: temp.core, batches: new BatchService(temp.core) })
})
afterEach(() => temp.cleanup())

const value = async <T>(channel: string, payload: unknown): Promise<T> => {
  const answer = await dispatch(handlers, channel, payload)
  if (!answer.ok) throw new Error(JSON.stringify(answer.error))
  return answer.value as T
}

describe('the fleet channels', () => {
  it('set tags and variables, preview a template, queue, follow and cancel a batch', async () => {
    const [a, b] = ['a', 'b'].map((name) => addSite(temp.core, name))
    const tagged = await value<Site>('sites:update', { id: a!.id, tags: ['north', 'north', 'core'], vars: { dns: '1.1.1.1' } })
    expect(tagged).toMatchObject({ tags: ['core', 'north'], vars: { dns: '1.1.1.1' } })
    const refused = await dispatch(handlers, 'sites:update', { id: b!.id, vars: { 'bad key': 'x' } })
    expect(refused.ok).toBe(false)

    const preview = await value<{ is_template: boolean; sites: Array<{ script: string | null; missing: Array<{ key: string }> }> }>('jobs:previewTemplate', {
      script: '/ip dns set servers={{var.dns}}',
      site_ids: [a!.id, b!.id],
    })
    expect(preview.is_template).toBe(true)
    expect(preview.sites.map((site) => site.script)).toEqual(['/ip dns set servers=1.1.1.1', null])
    expect(preview.sites[1]!.missing.map((entry) => entry.key)).toEqual(['var.dns'])

    const refusedBatch = await dispatch(handlers, 'jobs:createBatch', { description: 'dns', script: '/ip dns set servers={{var.dns}}', site_ids: [a!.id, b!.id] })
    expect(refusedBatch.ok).toBe(false)
    expect(temp.core.jobStore.count()).toBe(0)

    await value('sites:update', { id: b!.id, vars: { dns: '9.9.9.9' } })
    const batch = await value<{ batch_id: string }>('jobs:createBatch', {
      description: 'dns',
      script: '/ip dns set servers={{var.dns}}',
      site_ids: [a!.id, b!.id],
      route: 'lan',
      canary: 1,
      concurrency: 1,
    })
    const detail = await value<{ total: number; canary: number; concurrency: number; jobs: Array<{ script: string; waiting_for_canary: boolean }> }>('batches:get', batch)
    expect(detail).toMatchObject({ total: 2, canary: 1, concurrency: 1 })
    expect(detail.jobs.map((job) => [job.script, job.waiting_for_canary])).toEqual([
      ['/ip dns set servers=1.1.1.1', false],
      ['/ip dns set servers=9.9.9.9', true],
    ])
    expect(await value<unknown[]>('batches:list', {})).toHaveLength(1)
    const canceled = await value<Array<{ outcome: string }>>('batches:cancel', batch)
    expect(canceled.map((result) => result.outcome)).toEqual(['canceled', 'canceled'])
  })
})
