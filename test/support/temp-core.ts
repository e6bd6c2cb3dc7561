// A fresh FieldjobsCore in its own temporary data folder per test, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jobError } from '../../src-main/contract/job-schema'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import type { Clock } from '../../src-main/core/clock'
import type { JobExecutor } from '../../src-main/core/queue/executor'
import { MemorySecretStore } from './memory-secret-store'

export interface TempCore {
  core: FieldjobsCore
  dataDir: string
  cleanup(): Promise<void>
}

export function tempDataDir(prefix = 'fieldjobs-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function openTempCore(options: { clock?: Clock; dataDir?: string } = {}): TempCore {
  const dataDir = options.dataDir ?? tempDataDir()
  const core = FieldjobsCore.open({ dataDir, clock: options.clock, secrets: new MemorySecretStore() })
  return {
    core,
    dataDir,
    async cleanup() {
      await core.close(100)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A clock that only moves when told. */
export class ManualClock implements Clock {
  constructor(private ms = Date.parse('2026-11-22T10:00:00Z')) {}
  now() {
    return this.ms
  }
  advance(ms: number) {
    this.ms += ms
  }
}

export const validJob = (siteId: string, overrides: Record<string, unknown> = {}) => ({
  site_id: siteId,
  description: 'set the identity',
  script: '/system identity set name=fieldjobs',
  ...overrides,
})

export const addSite = (core: FieldjobsCore, name = 'office', overrides: Record<string, unknown> = {}) =>
  core.addSite({ name, host: '127.0.0.1', username: 'admin', password: 'pw', ...overrides })

/** An executor whose router never answers: every run is not delivered, and may be retried. */
export const unreachableRouter: JobExecutor = {
  execute: async () => ({
    kind: 'not_delivered',
    retryable: true,
    error: jobError('connect ETIMEDOUT', 'timeout'),
  }),
}

/** A site as `sites:add` takes it, password included. */
export const siteInput = (name = 'hq-core') => ({
  name,
  host: '127.0.0.1',
  api_port: 8728,
  username: 'admin',
  password: 'router-password',
})
