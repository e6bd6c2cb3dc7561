// kill -9 in the middle of a sync, with answers dropped after commit: after a restart every job
// exists exactly once on the cloud (the fake's per-key counters) and none is lost.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { expect, it } from 'vitest'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import type { JobRow } from '../../src-main/core/store/job-store'
import { repoRoot } from '../support/repo-root'
import { useCloud } from './harness'

const cloud = useCloud()
const JOBS = 300

function worker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/cloud/sync-worker.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stderr?.setEncoding('utf8')
  return child
}

it('a sync killed with SIGKILL mid-way finishes after a restart: each job once on the cloud, none lost', async () => {
  const fake = await cloud.fake({ faults: { dropAfterCommitRate: 0.1, seed: 7 } })
  const dir = cloud.dataDir()
  const setup = FieldjobsCore.open({ dataDir: dir })
  const site = cloud.site(setup)
  setup.db.transaction(() => {
    for (let i = 0; i < JOBS; i++) cloud.cloudJob(setup, site.id, { description: `crash test job ${i}` })
  })()
  await setup.close()
  const env = { FIELDJOBS_DATA_DIR: dir, FIELDJOBS_API_URL: fake.url, FIELDJOBS_API_TOKEN: fake.token }

  // First run: killed right after the cloud committed its 100th job, before that job's answer left.
  const first = worker(env)
  let stderr = ''
  first.stderr?.on('data', (text: string) => (stderr += text))
  fake.on('created', () => {
    if (fake.counters.jobsCreated === 100) {
      fake.pauseAnswers()
      first.kill('SIGKILL')
    }
  })
  const [, signal] = (await once(first, 'exit')) as [number | null, string | null]
  expect(signal, stderr).toBe('SIGKILL')
  fake.removeAllListeners('created')

  // The crash hit the window that matters: jobs the cloud holds whose local row has no cloud id yet.
  const between = FieldjobsCore.open({ dataDir: dir })
  const rows = between.db.prepare('SELECT * FROM jobs').all() as JobRow[]
  const inDoubt = rows.filter((row) => row.cloud_job_id === null && fake.jobByKey(row.idempotency_key) !== undefined)
  expect(inDoubt.length).toBeGreaterThanOrEqual(1)
  expect(rows.filter((row) => row.cloud_job_id === null).length).toBeGreaterThan(0)
  await between.close()
  fake.resumeAnswers()

  // Restart: it finishes, with answers still dropped after commit now and then.
  const second = worker(env)
  let output = ''
  second.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text))
  second.stderr?.on('data', (text: string) => (stderr += text))
  const [code] = (await once(second, 'exit')) as [number | null]
  expect(code, stderr).toBe(0)
  expect(output).toMatch(/"waiting":0/)

  const after = FieldjobsCore.open({ dataDir: dir })
  try {
    const jobs = after.db.prepare('SELECT * FROM jobs').all() as JobRow[]
    expect(jobs).toHaveLength(JOBS)
    expect(fake.duplicates()).toEqual([])
    expect(fake.jobs()).toHaveLength(JOBS)
    expect(Object.keys(fake.counters.createdByKey)).toHaveLength(JOBS)
    expect(fake.counters.dropsAfterCommit).toBeGreaterThan(0)
    for (const job of jobs) {
      expect(job.sync_state).toBe('synced')
      expect(fake.counters.createdByKey[job.idempotency_key]).toBe(1)
      expect(job.cloud_job_id).toBe(fake.jobByKey(job.idempotency_key)?.id)
    }
  } finally {
    await after.close()
  }
})
