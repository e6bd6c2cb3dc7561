// The crash verdict's rules, one case each: a harness whose checks cannot fail proves nothing, so
// every untruth the harness looks for is shown here to be caught.
import { describe, expect, it } from 'vitest'
import type { JobStatus } from '../../src-main/contract/job-schema'
import { type CloudJobSeen, type CrashEvidence, judgeCrashRun } from './crash-checks'
import type { CrashJobKind, CreatedJob } from './crash-jobs'

const KEY = '11111111-1111-4111-8111-111111111111'

function evidenceFor(
  kind: CrashJobKind,
  status: JobStatus | 'missing',
  seen: { router?: number[]; cloudCreates?: number; cloudJob?: CloudJobSeen; interrupted?: boolean; cloudJobId?: string } = {},
): CrashEvidence {
  const job: CreatedJob = {
    n: 7,
    kind,
    site: { id: 'site', name: 'crash-site-1', router: 0 },
    backup: false,
    id: 'job-7',
    idempotency_key: KEY,
    via: 'core',
    round: 3,
  }
  const stored = new Map(
    status === 'missing'
      ? []
      : [[job.id, { id: job.id, status, sync_state: 'done', cloud_job_id: seen.cloudJobId ?? seen.cloudJob?.id ?? null, error_message: null }]],
  )
  const creates = seen.cloudCreates ?? (seen.cloudJob ? 1 : 0)
  return {
    created: [job],
    stored,
    effects: () => seen.router ?? [0, 0],
    numbersOnRouters: (seen.router ?? []).some((count) => count > 0) ? [7] : [],
    cloudCreatesByKey: creates ? { [KEY]: creates } : {},
    cloudJobsByNumber: new Map(seen.cloudJob ? [[7, Math.max(1, creates)]] : []),
    cloudJobByKey: () => seen.cloudJob,
    interrupted: new Set(seen.interrupted ? [job.id] : []),
  }
}

const finished = (outcome: 'completed' | 'failed'): CloudJobSeen => ({
  id: 'cloud-7',
  started_at: 'x',
  completed_at: outcome === 'completed' ? 'x' : null,
  failed_at: outcome === 'failed' ? 'x' : null,
})

describe('truthful outcomes pass', () => {
  it.each([
    ['lan completed, its change once', evidenceFor('lan', 'completed', { router: [1, 0] })],
    ['lan unknown after a kill, change made', evidenceFor('lan-delay-after', 'unknown', { router: [1, 0], interrupted: true })],
    ['lan unknown after a kill, change not made', evidenceFor('lan-delay-first', 'unknown', { interrupted: true })],
    ['lan canceled before delivery', evidenceFor('lan', 'canceled')],
    ['failing script failed', evidenceFor('lan-fails', 'failed')],
    ['cloud completed once', evidenceFor('cloud', 'completed', { cloudJob: finished('completed') })],
    ['cloud job failed by the device', evidenceFor('cloud-fails', 'failed', { cloudJob: finished('failed') })],
    ['cloud canceled, deleted there', evidenceFor('cloud', 'canceled', { cloudCreates: 1 })],
    ['auto job caught on the LAN', evidenceFor('auto-offline', 'unknown', { interrupted: true })],
  ])('%s', (_name, evidence) => {
    const verdict = judgeCrashRun(evidence)
    expect(verdict.problems).toEqual([])
    expect([verdict.lost, verdict.duplicates, verdict.re_runs]).toEqual([0, 0, 0])
  })
})

describe('untruths are caught', () => {
  it.each([
    ['a job missing from the database', evidenceFor('lan', 'missing'), { lost: 1 }, /not in the database/],
    ['a job left pending', evidenceFor('lan', 'pending'), { lost: 1 }, /still pending/],
    ['a LAN script run twice', evidenceFor('lan', 'completed', { router: [2, 0] }), { re_runs: 1 }, /more than once/],
    ['run twice, then unknown', evidenceFor('lan', 'unknown', { router: [2, 0], interrupted: true }), { re_runs: 1 }, /more than once/],
    ['completed without its change', evidenceFor('lan', 'completed'), {}, /0 times \(must be once\)/],
    ['failed with its change made', evidenceFor('lan-fails', 'failed', { router: [1, 0] }), {}, /failed, but its change/],
    ['canceled with its change made', evidenceFor('lan', 'canceled', { router: [1, 0] }), {}, /canceled, but its change/],
    ['unknown though never caught running', evidenceFor('lan', 'unknown'), {}, /no kill ever caught it/],
    ['caught running, then claimed completed', evidenceFor('lan', 'completed', { router: [1, 0], interrupted: true }), {}, /caught it running, yet it ended completed/],
    ['run on the wrong router', evidenceFor('lan', 'completed', { router: [1, 1] }), {}, /another router/],
    ['a LAN job on the cloud', evidenceFor('lan', 'completed', { router: [1, 0], cloudJob: finished('completed') }), {}, /reached the cloud/],
    ['created twice on the cloud', evidenceFor('cloud', 'completed', { cloudJob: finished('completed'), cloudCreates: 2 }), { duplicates: 1 }, /2 times/],
    ['cloud completed, cloud never did', evidenceFor('cloud', 'completed', { cloudJob: { ...finished('completed'), completed_at: null } }), {}, /has not completed/],
    ['cloud canceled, cloud still holds it', evidenceFor('cloud', 'canceled', { cloudJob: finished('completed') }), {}, /still holds it/],
    ['cloud id not the cloud\'s', evidenceFor('cloud', 'completed', { cloudJob: finished('completed'), cloudJobId: 'other' }), {}, /is not the cloud's/],
  ])('%s', (_name, evidence, counts, message) => {
    const verdict = judgeCrashRun(evidence)
    expect(verdict.problems.map((problem) => problem.problem).join('\n')).toMatch(message)
    expect({ lost: verdict.lost, duplicates: verdict.duplicates, re_runs: verdict.re_runs }).toEqual({ lost: 0, duplicates: 0, re_runs: 0, ...counts })
  })
})

it('counts the unknown jobs the router had run apart from those it had not', () => {
  expect(judgeCrashRun(evidenceFor('lan-delay-after', 'unknown', { router: [1, 0], interrupted: true })).unknown_ran).toBe(1)
  expect(judgeCrashRun(evidenceFor('lan-delay-first', 'unknown', { interrupted: true })).unknown_ran).toBe(0)
})
