import { describe, expect, it } from 'vitest'
import type { JobStatus } from '../../src-main/contract/job-schema'
import { jobStatuses } from '../../src-main/contract/job-values'
import { allowedMoves, assertMove, canMove } from '../../src-main/core/jobs/job-states'

// The full table, written out independently of the module, so a changed move fails here.
const expected: Record<JobStatus, JobStatus[]> = {
  pending: ['in_progress', 'canceling', 'canceled', 'completed', 'failed'],
  in_progress: ['completed', 'failed', 'canceling', 'pending', 'unknown', 'reverted'],
  canceling: ['canceled', 'completed', 'failed', 'unknown', 'reverted', 'in_progress'],
  completed: [],
  failed: [],
  canceled: [],
  unknown: [],
  reverted: [],
}

describe('job state machine', () => {
  for (const from of jobStatuses) {
    for (const to of jobStatuses) {
      if (from === to) continue
      const allowed = expected[from].includes(to)
      it(`${from} -> ${to} is ${allowed ? 'allowed' : 'refused'}`, () => {
        expect(canMove(from, to)).toBe(allowed)
        if (allowed) expect(() => assertMove(from, to)).not.toThrow()
        else expect(() => assertMove(from, to)).toThrow(/cannot become/)
      })
    }
  }

  it('gives a reason for every allowed move', () => {
    for (const from of jobStatuses) {
      for (const [to, reason] of Object.entries(allowedMoves[from])) {
        expect(reason, `${from} -> ${to}`).toMatch(/\w{5,}/)
      }
    }
  })

  it('finished states have no way out: a canceled job is never restarted', () => {
    for (const status of ['completed', 'failed', 'canceled', 'unknown', 'reverted'] as const) {
      expect(Object.keys(allowedMoves[status])).toEqual([])
    }
  })
})
