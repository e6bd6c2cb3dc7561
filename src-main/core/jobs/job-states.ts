// Every move a job's status may make, as data. Code that changes a status asks `assertMove` first
// (the job store does, for every write), so a move not listed here cannot happen anywhere.
import type { JobStatus } from '../../contract/job-schema'
import { FieldjobsError } from '../errors'

/** from -> the statuses it may move to, each with why. */
export const allowedMoves: Readonly<Record<JobStatus, Readonly<Partial<Record<JobStatus, string>>>>> = {
  pending: {
    in_progress: 'a worker claimed it, or the cloud reports started_at',
    canceled: 'canceled before it started (never sent anywhere, or deleted on the cloud)',
    canceling: 'cancel asked of a job the cloud holds: waits for the cloud to delete it',
    // The cloud may report a finished job whose start we never saw between two polls.
    completed: 'the cloud reports completed_at',
    failed: 'refused before it ran (the cloud rejected it, or the site is gone)',
  },
  in_progress: {
    completed: 'the router ran the script (or, without acknowledgement, has it)',
    failed: 'the router or the cloud reported a failure',
    canceling: 'cancel asked while it runs: the executor is told through its AbortSignal',
    // Only when nothing reached the router (connection refused, time-out before login).
    pending: 'nothing reached the router; it waits to be retried',
    unknown: 'the process running it died, or lost its lease: the script may have run',
    reverted: 'the router restored its snapshot after the app lost it',
  },
  canceling: {
    canceled: 'the executor stopped it',
    completed: 'it finished before the cancel took effect: the real outcome stays',
    failed: 'it failed before the cancel took effect: the real outcome stays',
    unknown: 'the process running it died, or lost its lease',
    reverted: 'the router restored its snapshot after the app lost it',
    // The cloud answered 429 job_already_started: the cancel is refused and the job keeps running.
    in_progress: 'the cancel was refused (the cloud job had already started)',
  },
  completed: {},
  failed: {},
  canceled: {},
  unknown: {},
  reverted: {},
}

export const canMove = (from: JobStatus, to: JobStatus): boolean => allowedMoves[from][to] !== undefined

export function assertMove(from: JobStatus, to: JobStatus): void {
  if (from === to) return
  if (!canMove(from, to)) {
    throw new FieldjobsError('invalid_state', `a ${describe(from)} job cannot become ${describe(to)}`)
  }
}

const describe = (status: JobStatus) => status.replace('_', ' ')
