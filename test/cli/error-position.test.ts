// A job error's position is printed as far as it is known: `(line 3 column 7)`, `(line 3)` when the
// column is unknown (never `column null`), nothing when the line is unknown too.
import { describe, expect, it } from 'vitest'
import { printEvent } from '../../src-main/cli/commands/run'
import { errorPosition, jobDetail } from '../../src-main/cli/format'
import type { CliIo } from '../../src-main/cli/io'
import type { Job, JobError } from '../../src-main/contract/job-schema'
import { jobFixture } from '../support/job-fixture'

const failedJob = (error: JobError): Job =>
  jobFixture({
    description: 'set identity',
    started_at: '2025-01-01T10:00:00.000Z',
    failed_at: '2025-01-01T10:00:01.000Z',
    script: '/system identity set name=a\n/bogus\n',
    status: 'failed',
    route: 'lan',
    ran_route: 'lan',
    attempts: 1,
    error,
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
