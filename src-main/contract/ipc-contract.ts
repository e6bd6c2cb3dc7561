// The one contract between the window and the core. Each call is declared once, with its request and
// response schema; the preload's allow-list, the renderer's typed `window.api`, the main-side
// handlers and the browser bridge (`fieldjobs serve`) are all derived from this table, so they
// cannot drift. Importable from the renderer: zod and types only, no Node.
import * as z from 'zod'
import { Job, JobRoute, JobStatus, NewJobInput, RevertAfterSeconds, Uuid } from './job-schema'
import { NewSiteInput, Site, SiteUpdate } from './site-schema'
import { DiscoveryScanRequest, DiscoveryScanResult } from './discovery-schema'

export const JobListRequest = z.object({
  site_id: Uuid.optional(),
  statuses: z.array(JobStatus).optional(),
  route: JobRoute.optional(),
  search: z.string().max(200).optional(),
  before_seq: z.number().int().optional(),
  limit: z.number().int().min(1).max(1000).optional(),
})
export type JobListRequest = z.infer<typeof JobListRequest>

export const JobPage = z.object({
  jobs: z.array(Job),
  /** How many jobs match the filter in all (for the virtualized list's height). */
  total: z.number().int(),
})
export type JobPage = z.infer<typeof JobPage>

export const JobRef = z.object({ id: z.string().min(1).max(64) })

export const CancelResult = z.object({
  job: Job,
  outcome: z.enum(['canceled', 'canceling', 'already_canceled']),
})
export type CancelResult = z.infer<typeof CancelResult>

/** One script to several sites: a batch of jobs, one per site. */
export const NewBatchInput = NewJobInput.omit({ site_id: true, batch_id: true }).extend({
  site_ids: z.array(Uuid).min(1, { message: 'pick at least one site' }),
  // idempotency_key (from NewJobInput): the same key creates the batch once; it becomes the batch's id.
  /** Stop the batch at the first failure (a canary). */
  stop_on_first_failure: z.boolean().default(false),
  /** The first N sites run first; the rest start only if all of them succeed (else they are canceled). */
  canary: z.number().int({ message: 'canary must be a whole number of sites' }).min(0).max(10_000).default(0),
  /** At most this many of the batch's jobs run at once (null: the queue's own concurrency). */
  concurrency: z.number().int({ message: 'concurrency must be a whole number' }).min(1, { message: 'concurrency must be at least 1' }).max(1000).nullable().default(null),
})
export type NewBatchInput = z.input<typeof NewBatchInput>

export const BatchResult = z.object({ batch_id: z.string(), jobs: z.array(Job) })

/** A batch as its per-site table shows it: counts, how it was told to run, and its jobs. */
export const BatchOverview = z.object({
  batch_id: z.string(),
  description: z.string(),
  created_at: z.string(),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  canary: z.number().int(),
  concurrency: z.number().int().nullable(),
  stop_on_first_failure: z.boolean(),
  stopped_at: z.string().nullable(),
  stopped_by_job_id: z.string().nullable(),
})
export const BatchDetail = BatchOverview.extend({ jobs: z.array(Job) })
export type BatchDetail = z.infer<typeof BatchDetail>
export const BatchRef = z.object({ batch_id: z.string().min(1, { message: 'batch_id is required' }) })

/** What the lint (the lab's parser) says of a script before it is queued. */
export const ScriptLint = z.object({
  findings: z.array(
    z.object({ severity: z.enum(['error', 'warning']), line: z.number().int(), column: z.number().int(), message: z.string() }),
  ),
})
export type ScriptLint = z.infer<typeof ScriptLint>

/** What a template becomes on each site, before anything is queued (the batch form's preview). */
export const TemplatePreviewRequest = z.object({ script: z.string(), site_ids: z.array(Uuid) })
export const TemplatePreview = z.object({
  is_template: z.boolean(),
  sites: z.array(
    z.object({
      site_id: Uuid,
      /** The rendered script; null while a value is missing. */
      script: z.string().nullable(),
      missing: z.array(z.object({ key: z.string(), fix: z.string() })),
    }),
  ),
})
export type TemplatePreview = z.infer<typeof TemplatePreview>

export const SiteRef = z.object({ id: Uuid })

export const HealthSample = z.object({
  site_id: Uuid,
  at: z.string(),
  online: z.boolean(),
  identity: z.string().nullable(),
  version: z.string().nullable(),
  board: z.string().nullable(),
  cpu_load: z.number().nullable(),
  free_memory: z.number().nullable(),
  total_memory: z.number().nullable(),
  uptime: z.string().nullable(),
  error: z.string().nullable(),
})
export type HealthSample = z.infer<typeof HealthSample>

export const SiteHealthRequest = z.object({ id: Uuid, since: z.string().optional() })

/** A site's newest health sample, briefly: online or not, and when that was seen. */
export const SiteOnline = z.object({ site_id: z.string(), online: z.boolean(), at: z.string() })
export type SiteOnline = z.infer<typeof SiteOnline>

export const Backup = z.object({
  site_id: Uuid,
  /** `<site_id>/<unix seconds>.rsc`, exactly as the job's associated_backup holds it. */
  path: z.string(),
  created_at: z.string(),
  size: z.number().int(),
  job_id: z.string().nullable(),
  /** The number `backup diff A B` takes; null only for a backup recorded before numbering existed. */
  id: z.number().int().nullable().default(null),
  /** SHA-256 of the configuration without the lines RouterOS varies per export (comparableLines). */
  config_sha256: z.string().nullable().default(null),
  /** Differs from the site's previous backup (the first one of a site counts as changed); null: not compared. */
  changed: z.boolean().nullable().default(null),
  /** For an unchanged backup: the earlier backup whose file holds this configuration. */
  stored_in: z.string().nullable().default(null),
})
export type Backup = z.infer<typeof Backup>

/** A backup by path, or by its number as text (`7`). */
export const BackupRef = z.object({ path: z.string().min(1).max(300) })
export const BackupContent = z.object({ path: z.string(), text: z.string(), intact: z.boolean() })
export const BackupDiffRequest = z.object({
  from: z.string().min(1).max(300),
  to: z.string().min(1).max(300),
})
export const BackupDiff = z.object({
  from: z.string(),
  to: z.string(),
  /** A unified diff of the two exports without their volatile header lines. */
  unified: z.string(),
  /** Aligned rows for the side-by-side view. */
  rows: z.array(
    z.object({
      kind: z.enum(['same', 'added', 'removed', 'changed']),
      left: z.string().nullable(),
      right: z.string().nullable(),
      left_line: z.number().int().nullable(),
      right_line: z.number().int().nullable(),
    }),
  ),
})
export type BackupDiff = z.infer<typeof BackupDiff>

const Concurrency = z.number().int().min(1).max(256)
/** Seconds between health probes; 0 turns the probe off. */
const ProbeIntervalSeconds = z.number().int().min(0).max(86_400)
/** Hours between scheduled backups of every site; 0 turns them off; at most 30 days. */
const BackupIntervalHours = z.number().int({ message: 'backup interval must be whole hours' }).min(0).max(720, { message: 'backup interval is at most 720 hours (30 days); 0 turns it off' })

export const Settings = z.object({
  cloud_api_url: z.string(),
  /** Never the token itself: whether one is set, and its last four characters. */
  cloud_token_set: z.boolean(),
  cloud_token_hint: z.string().nullable(),
  concurrency: Concurrency,
  probe_interval_s: ProbeIntervalSeconds,
  default_revert_after_s: RevertAfterSeconds.nullable(),
  backup_interval_h: BackupIntervalHours,
})
export type Settings = z.infer<typeof Settings>

export const SettingsUpdate = z.object({
  cloud_api_url: z.url({ message: 'cloud API URL must be a URL, like https://v1.api.altostrat.io' }).optional(),
  /** A new token; an empty string removes it. */
  cloud_token: z.string().max(4096).optional(),
  concurrency: Concurrency.optional(),
  probe_interval_s: ProbeIntervalSeconds.optional(),
  default_revert_after_s: RevertAfterSeconds.nullable().optional(),
  backup_interval_h: BackupIntervalHours.optional(),
})

export const AppStatus = z.object({
  cloud_online: z.boolean().nullable(),
  cloud_configured: z.boolean(),
  waiting_to_sync: z.number().int(),
  running: z.number().int(),
  pending: z.number().int(),
  last_sync_error: z.string().nullable(),
})
export type AppStatus = z.infer<typeof AppStatus>

const Empty = z.object({}).strict()
const Ok = z.object({ ok: z.literal(true) })

/** Every call the window may make: channel -> request and response schemas. */
export const ipcContract = {
  'jobs:create': { request: NewJobInput, response: z.object({ job: Job, created: z.boolean() }) },
  'jobs:createBatch': { request: NewBatchInput, response: BatchResult },
  'jobs:list': { request: JobListRequest, response: JobPage },
  'jobs:previewTemplate': { request: TemplatePreviewRequest, response: TemplatePreview },
  'jobs:progress': { request: JobRef, response: z.array(z.object({ message: z.string(), at: z.string() })) },
  // The chosen sites, if any: the lint checks against the RouterOS each last reported.
  'jobs:lint': { request: z.object({ script: z.string().max(256 * 1024), site_ids: z.array(z.string()).max(10_000).optional() }), response: ScriptLint },
  'batches:list': { request: Empty, response: z.array(BatchOverview) },
  'batches:get': { request: BatchRef, response: BatchDetail },
  'batches:cancel': { request: BatchRef, response: z.array(CancelResult) },
  'jobs:get': { request: JobRef, response: Job },
  'jobs:cancel': { request: JobRef, response: CancelResult },
  'sites:list': { request: Empty, response: z.array(Site) },
  'sites:add': { request: NewSiteInput, response: Site },
  'sites:update': { request: SiteUpdate, response: Site },
  // A site with jobs or backups is removed only with purge: they are the record of the router's changes.
  'sites:remove': { request: SiteRef.extend({ purge: z.boolean().optional() }), response: Ok },
  'sites:check': { request: SiteRef, response: HealthSample },
  'sites:health': { request: SiteHealthRequest, response: z.array(HealthSample) },
  'sites:lastHealth': { request: Empty, response: z.array(SiteOnline) },
  // Listens for MNDP announcements for timeout_s, so the answer takes that long.
  'discovery:scan': { request: DiscoveryScanRequest, response: DiscoveryScanResult },
  'backups:list': { request: z.object({ site_id: Uuid.optional() }), response: z.array(Backup) },
  'backups:read': { request: BackupRef, response: BackupContent },
  'backups:run': {
    request: z.object({ site_ids: z.array(Uuid).min(1, { message: 'pick at least one site' }) }),
    response: z.array(z.object({ site_id: Uuid, backup: Backup.nullable(), error: z.string().nullable() })),
  },
  'backups:diff': { request: BackupDiffRequest, response: BackupDiff },
  'settings:get': { request: Empty, response: Settings },
  'settings:update': { request: SettingsUpdate, response: Settings },
  'status:get': { request: Empty, response: AppStatus },
} as const

export type IpcContract = typeof ipcContract
export type IpcChannel = keyof IpcContract
export type IpcRequest<C extends IpcChannel> = z.input<IpcContract[C]['request']>
export type IpcResponse<C extends IpcChannel> = z.output<IpcContract[C]['response']>
export const ipcChannels = Object.keys(ipcContract) as IpcChannel[]

/** The one channel main uses to push core events to the window. */
export const EVENT_CHANNEL = 'core:event'

/** How an error crosses the boundary: the core's code and a message for a person. */
export const IpcError = z.object({
  code: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).default([]),
})
export type IpcError = z.infer<typeof IpcError>

/** The result envelope every transport uses, so an error is data, not a lost exception. */
export type IpcResult<C extends IpcChannel> = { ok: true; value: IpcResponse<C> } | { ok: false; error: IpcError }

/** A failure with no per-field issues: a call refused or lost before any handler answered it. */
export function ipcFailure(code: string, message: string): { ok: false; error: IpcError } {
  return { ok: false, error: { code, message, issues: [] } }
}

/** The typed API the renderer sees as `window.api`, derived from the contract. */
export type FieldjobsApi = {
  [C in IpcChannel]: (request: IpcRequest<C>) => Promise<IpcResponse<C>>
} & {
  onEvent(listener: (event: import('./events').CoreEvent) => void): () => void
  /**
   * Whether the window is connected to the core: only a transport that can lose it (the browser's,
   * for `fieldjobs serve`) has this. `open` after `reconnecting` means events were missed: reload.
   */
  onConnection?(listener: (state: ConnectionState) => void): () => void
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed'
