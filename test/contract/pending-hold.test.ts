// One answer to "what holds this pending job?", read by `job list`'s STARTS column and the window's
// job list: the order of the holds matters, because a job can carry more than one.
import { describe, expect, it } from 'vitest'
import type { Job } from '../../src-main/contract/job-schema'
import { pendingHold } from '../../src-main/contract/job-wording'
import { jobStarts } from '../../src-main/cli/format'

type Holds = Pick<Job, 'status' | 'waiting_for_canary' | 'error' | 'next_attempt_at' | 'not_before'>
const pending: Holds = { status: 'pending', waiting_for_canary: false, error: null, next_attempt_at: null, not_before: null }
const refused = { message: 'connection refused', category: 'connection', line: null, column: null } as const
const window = '2026-12-08T02:00:00.000Z'
const retry = '2026-12-08T02:05:00.000Z'

describe('pendingHold', () => {
  it('is nothing for a job that nothing holds, or that is not pending', () => {
    expect(pendingHold(pending)).toBeUndefined()
    expect(pendingHold({ ...pending, status: 'completed', not_before: window })).toBeUndefined()
  })

  it('names the canary first: the job waits for it whatever its times say', () => {
    expect(pendingHold({ ...pending, waiting_for_canary: true, not_before: window })).toEqual({ kind: 'canary' })
  })

  it("names a retry's next attempt before the window it already entered", () => {
    expect(pendingHold({ ...pending, error: refused, next_attempt_at: retry, not_before: window })).toEqual({ kind: 'retry', at: retry })
  })

  it('names the maintenance window when no retry waits', () => {
    expect(pendingHold({ ...pending, not_before: window })).toEqual({ kind: 'window', at: window })
    // An error without a next attempt is not a retry's wait.
    expect(pendingHold({ ...pending, error: refused, not_before: window })).toEqual({ kind: 'window', at: window })
  })

  it("is what job list's STARTS column prints", () => {
    const job = (holds: Partial<Holds>) => ({ ...pending, ...holds }) as Job
    expect(jobStarts(job({ waiting_for_canary: true }))).toBe('after canary')
    expect(jobStarts(job({ error: refused, next_attempt_at: retry, not_before: window }))).toBe(retry)
    expect(jobStarts(job({ not_before: window }))).toBe(window)
    expect(jobStarts(job({}))).toBe('')
  })
})
