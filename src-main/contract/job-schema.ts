// The job's shape and validation rules, shared by the main process, the CLI and the renderer, so a
// message the UI shows is the one the core would give. The rules are the cloud API's
// (../shared/spec/altostrat-jobs.yaml): a job that passes here is a job SDX accepts.
import * as z from 'zod'
import { errorCategories, jobRoutes, jobStatuses, syncStates, windowExample } from './job-values'

/** RouterOS refuses executed scripts over 64 KB, and so do we, before anything is queued. */
export const SCRIPT_MAX_BYTES = 64 * 1024
export const DESCRIPTION_MIN = 3
export const DESCRIPTION_MAX = 100

export const JobStatus = z.enum(jobStatuses)
export type JobStatus = z.infer<typeof JobStatus>

export const JobRoute = z.enum(jobRoutes, { error: `must be one of ${jobRoutes.join(', ')}` })
export type JobRoute = z.infer<typeof JobRoute>
export const RanRoute = z.enum(['lan', 'cloud'])
export type RanRoute = z.infer<typeof RanRoute>

export const SyncState = z.enum(syncStates)
export type SyncState = z.infer<typeof SyncState>

export const ErrorCategory = z.enum(errorCategories)
export type ErrorCategory = z.infer<typeof ErrorCategory>

export const JobError = z.object({
  message: z.string(),
  category: ErrorCategory,
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
})
export type JobError = z.infer<typeof JobError>

/** How a script error begins when the router refused the script while compiling it: nothing of it ran. */
export const SCRIPT_DID_NOT_PARSE = 'the script did not parse'

/** How a script error ends when every line before the failing one only chose a menu: nothing ran. */
export const ONLY_MENUS_BEFORE = 'the lines before it only choose a menu, so nothing of the script changed the router'

/**
 * Which lines of a failed script ran before the failing one, in words ("line 1 ran", "lines 1-4
 * ran"), or undefined when none did: the failure is not a script's own, the router refused the
 * script while compiling it (RouterOS compiles all of it before running any), or it failed at line 1.
 */
export function linesThatRan(error: Pick<JobError, 'message' | 'category' | 'line'>): string | undefined {
  if (error.category !== 'script' || error.line === null || error.line <= 1) return undefined
  if (error.message.startsWith(SCRIPT_DID_NOT_PARSE) || error.message.endsWith(ONLY_MENUS_BEFORE)) return undefined
  return error.line === 2 ? 'line 1 ran' : `lines 1-${error.line - 1} ran`
}

/** A JobError that points at no line of the script (everything but a script's own failure). */
export const jobError = (message: string, category: ErrorCategory): JobError => ({ message, category, line: null, column: null })

const utf8 = new TextEncoder()

/** Counts code points, as a person (and the cloud API) counts characters. */
const characterCount = (text: string) => [...text].length

export const Description = z
  .string({ error: 'description is required' })
  .refine((text) => characterCount(text.trim()) >= DESCRIPTION_MIN, {
    message: `description must be at least ${DESCRIPTION_MIN} characters`,
  })
  .refine((text) => characterCount(text) <= DESCRIPTION_MAX, {
    message: `description must be at most ${DESCRIPTION_MAX} characters`,
  })

export const Script = z
  .string({ error: 'script is required' })
  .refine((text) => text.trim().length > 0, { message: 'script is empty: give the RouterOS commands to run' })
  .refine((text) => utf8.encode(text).byteLength <= SCRIPT_MAX_BYTES, {
    message: `script is larger than ${SCRIPT_MAX_BYTES / 1024} KB, RouterOS's limit for one script: split it into several jobs`,
  })

export const Uuid = z.uuid({ error: 'must be a UUID, like 7c7c1e4e-1918-4918-8a18-1e1818181818' })

/** Seconds before a commit-confirmed job's router restores its snapshot, unless the app confirms. */
export const RevertAfterSeconds = z
  .number()
  .int()
  .min(30, { message: 'revert after must be at least 30 seconds: the router needs time to answer' })
  .max(3600, { message: 'revert after must be at most 3600 seconds' })

export const NewJobInput = z.object({
  site_id: Uuid,
  description: Description,
  script: Script,
  idempotency_key: Uuid.optional(),
  needs_acknowledgement: z.boolean().default(true),
  should_backup: z.boolean().default(false),
  express_execute: z.boolean().default(false),
  route: JobRoute.default('auto'),
  // Absent means "the settings' default" (JobService fills it in), null means no revert: so no
  // default here, or every caller that parses first (IPC, batches) would turn absent into null.
  revert_after_s: RevertAfterSeconds.nullable().optional(),
  batch_id: z.string().nullable().default(null),
  /** A maintenance window's start: the job waits, pending, until then (ISO 8601 with an offset). */
  not_before: z.iso
    .datetime({ offset: true, error: () => `not_before must be a date and time like ${windowExample()}Z or ${windowExample()}+01:00` })
    .nullable()
    .optional(),
})
export type NewJobInput = z.input<typeof NewJobInput>
export type ValidNewJob = z.output<typeof NewJobInput>

/** A job as stored: every field of the cloud's Job schema plus what Fieldjobs needs. */
export const Job = z.object({
  // The cloud API's Job schema.
  id: Uuid,
  token: z.string().length(10),
  site_id: Uuid,
  idempotency_key: Uuid,
  description: z.string(),
  express_execute: z.boolean(),
  needs_acknowledgement: z.boolean(),
  should_backup: z.boolean(),
  associated_backup: z.string().nullable(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  failed_at: z.string().nullable(),
  created_at: z.string(),
  log_url: z.string().nullable(),
  script: z.string(),
  // Fieldjobs' own.
  seq: z.number().int(),
  status: JobStatus,
  route: JobRoute,
  ran_route: RanRoute.nullable(),
  attempts: z.number().int(),
  next_attempt_at: z.string().nullable(),
  error: JobError.nullable(),
  output: z.string().nullable(),
  cancel_requested_at: z.string().nullable(),
  canceled_at: z.string().nullable(),
  cancel_refused_reason: z.string().nullable(),
  cloud_job_id: z.string().nullable(),
  sync_state: SyncState,
  synced_at: z.string().nullable(),
  revert_after_s: z.number().int().nullable(),
  batch_id: z.string().nullable(),
  /** When a maintenance window lets the job start (null: as soon as it can). */
  not_before: z.string().nullable(),
  /** A batch's canary is still running: this job starts only if every canary job succeeds. */
  waiting_for_canary: z.boolean(),
  /** The template the script was rendered from, and each placeholder's value (null: not a template). */
  template: z.string().nullable(),
  template_values: z.record(z.string(), z.string()).nullable(),
  updated_at: z.string(),
})
export type Job = z.infer<typeof Job>

/** Statuses from which nothing more happens to a job. */
export const finishedStatuses: readonly JobStatus[] = ['completed', 'failed', 'canceled', 'unknown', 'reverted']
export const isFinished = (status: JobStatus) => finishedStatuses.includes(status)
