// A job error's position is printed as far as it is known: `(line 3 column 7)`, `(line 3)` when the
// column is unknown (never `column null`), nothing when the line is unknown too.
import { describe, expect, it } from 'vitest'
import { printEvent } from '../../src-main/cli/commands/run'
import { errorPosition, jobDetail } from '../../src-main/cli/format'
import type { CliIo } from '../../src-main/cli/io'
import type { Job, JobError } from '../../src-main/contract/job-schema'

const failedJob = (error: JobError): Job => ({
  id: '7f1c2f5e-93a1-4c55-9d0e-2b6f4d1f0a11',
  token: 'FJ-7K3M',
  site_id: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f',
  idempotency_key: '0b6e2f3c-1d4a-4e5b-8c7d-9e0f1a2b3c4d',
  description: 'set identity',
  express_execute: false,
  needs_acknowledgement: true,
  should_backup: false,
  associated_backup: null,
  started_at: '2025-01-01T10:00:00.000Z',
  completed_at: null,
  failed_at: '2025-01-01T10:00:01.000Z',
  created_at: '2025-01-01T09:59:00.000Z',
  log_url: null,
  script: '/system identity set name=a\n/bogus\n',
  seq: 1,
  status: 'failed',
  route: 'lan',
  ran_route: 'lan',
  attempts: 1,
  next_attempt_at: null,
  error,
  output: null,
  cancel_requested_at: null,
  canceled_at: null,
  cancel_refused_reason: null,
  cloud_job_id: null,
  sync_state: 'local',
  synced_at: null,
  revert_after_s: null,
  batch_id: null,
  updated_at: '2025-01-01T10:00:01.000Z',
})

function runOutput(job: Job): string {
  let out = ''
  const io = { out: (text: string) => (out += text), err: () => {}, env: {}, readStdin: async () => '', signal: new AbortController().signal } satisfies CliIo
  printEvent(io, { type: 'job.changed', job, from: 'in_progress' }, false, new Map(), new Map())
  return out
}

describe('a job error position', () => {
  it.each([
    [{ line: 3, column: 7 }, ' (line 3 column 7)'],
    [{ line: 3, column: null }, ' (line 3)'],
    [{ line: null, column: null }, ''],
  ])('%o is said as "%s"', (position, said) => {
    expect(errorPosition(position)).toBe(said)
  })

  it('fieldjobs run prints the line alone when the column is unknown', () => {
    const line = runOutput(failedJob({ message: 'bad command name bogus', category: 'script', line: 2, column: null }))
    expect(line).toContain('\tbad command name bogus (line 2)\n')
    expect(line).not.toContain('column')
  })

  it('fieldjobs run and job show say a known position the same way', () => {
    const job = failedJob({ message: 'bad command name bogus', category: 'script', line: 2, column: 1 })
    expect(runOutput(job)).toContain('\tbad command name bogus (line 2 column 1)\n')
    expect(jobDetail(job)).toContain('bad command name bogus (line 2 column 1) [script]\n')
  })
})
