// The port between the queue engine and whatever runs a job (the LAN executor, the batch runner's
// tests, a no-op in benchmarks). The engine owns leases, states and retries; an executor only runs.
import type { Job, JobError } from '../../contract/job-schema'
import type { Site } from '../../contract/site-schema'

export interface JobRun {
  readonly job: Job
  readonly site: Site
  /** Aborted when the job is canceled, or when the engine shuts down. */
  readonly signal: AbortSignal
  /** A line for the job's live progress (connected, backup taken, script sent...). */
  progress(message: string): void
  /** Records a fact as soon as it is known, so a crash keeps it (the backup path, partial output). */
  record(facts: { associated_backup?: string; output?: string; started_at?: string }): void
}

export type ExecutionOutcome =
  /** The router ran the script (or, without acknowledgement, has it). */
  | { kind: 'completed'; output: string }
  /** The router or the script failed. Never retried: the script may have partly run. */
  | { kind: 'failed'; error: JobError; output?: string }
  /**
   * Nothing reached the router (connection refused, time-out before login). Safe to retry, unless
   * `retryable` is false (a wrong password will not fix itself).
   */
  | { kind: 'not_delivered'; error: JobError; retryable: boolean }
  /** The job was canceled: the router's script job was stopped, or it never started. */
  | { kind: 'canceled'; output?: string }
  /** A commit-confirmed job whose router restored its snapshot. */
  | { kind: 'reverted'; error: JobError; output?: string }

export interface JobExecutor {
  execute(run: JobRun): Promise<ExecutionOutcome>
}
