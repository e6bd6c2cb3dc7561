// A batch is created in one commit: its jobs all appear together, or (refused) none does.
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreEvent } from '../../src-main/contract/events'
import { BatchService } from '../../src-main/core/batch/batch-service'
import { DATABASE_FILE } from '../../src-main/core/app/data-dir'
import { addSite, openTempCore, type TempCore } from '../support/temp-core'

let temp: TempCore
beforeEach(() => {
  temp = openTempCore()
})
afterEach(() => temp.cleanup())

describe('batch create', () => {
  it('commits the batch and all its jobs once, then announces each job', () => {
    const siteIds = Array.from({ length: 20 }, (_, i) => addSite(temp.core, `site-${i}`).id)
    // Another connection's view: data_version moves once per commit made elsewhere.
    const other = new Database(`${temp.dataDir}/${DATABASE_FILE}`, { readonly: true })
    const created: string[] = []
    temp.core.events.subscribe((event: CoreEvent) => {
      if (event.type === 'job.created') created.push(event.job.site_id)
    })
    try {
      const commits = () => other.pragma('data_version', { simple: true }) as number
      const before = commits()
      const { batch_id, jobs } = new BatchService(temp.core).create({ description: 'one commit', script: ':put 1\n', site_ids: siteIds })
      expect(commits()).toBe(before + 1)
      expect(jobs.map((job) => job.site_id)).toEqual(siteIds)
      expect(created).toEqual(siteIds)
      expect(temp.core.jobStore.count()).toBe(20)
      expect(jobs.every((job) => job.batch_id === batch_id && job.status === 'pending')).toBe(true)
      expect(new Set(jobs.map((job) => job.token)).size).toBe(20)
    } finally {
      other.close()
    }
  })
})
