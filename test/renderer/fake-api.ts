// An in-memory window.api built from the contract: every call parses its request with the
// contract's request schema and its answer with the response schema, so the fake cannot drift from
// what the real core accepts and returns. Behaviour follows the core where tests depend on it
// (keyset paging, search, cancel outcomes, batch creation); the rest is the simplest honest store.
import { diffArrays, createTwoFilesPatch } from 'diff'
import type { CoreEvent } from '../../src-main/contract/events'
import {
  type AppStatus,
  type Backup,
  type FieldjobsApi,
  type HealthSample,
  type IpcChannel,
  type IpcError,
  ipcChannels,
  ipcContract,
  type IpcResponse,
  type ScriptLint,
  type Settings,
} from '../../src-main/contract/ipc-contract'
import type { Job } from '../../src-main/contract/job-schema'
import type { Site } from '../../src-main/contract/site-schema'
import type { DiscoveredRouter } from '../../src-main/contract/discovery-schema'
import { FieldjobsError, validationError } from '../../src-main/core/errors'
import { isTemplate, missingValuesError, renderScript } from '../../src-main/core/templates/script-template'
import { tokenTail } from '../../src-main/core/cloud/token-mask'
import { jobFixture } from '../support/job-fixture'

/** What a rejected call throws: the contract's IpcError shape, as a real transport would. */
export class FakeIpcError extends Error implements IpcError {
  constructor(
    readonly code: string,
    message: string,
    readonly issues: IpcError['issues'] = [],
  ) {
    super(message)
  }
}

type Handler<C extends IpcChannel> = (request: ReturnType<(typeof ipcContract)[C]['request']['parse']>) => unknown

let counter = 0
const uuid = () => {
  counter++
  const hex = counter.toString(16).padStart(12, '0')
  return `7c7c1e4e-1918-4918-8a18-${hex}`
}
const tokenFor = (seq: number) => `T${String(seq).padStart(9, '0')}`

export interface FakeCoreOptions {
  now?: () => Date
}

export class FakeCore {
  sites: Site[] = []
  jobs: Job[] = []
  backups: Array<Backup & { text: string }> = []
  health: HealthSample[] = []
  settings: Settings = {
    cloud_api_url: 'https://v1.api.altostrat.io',
    cloud_token_set: false,
    cloud_token_hint: null,
    concurrency: 4,
    probe_interval_s: 60,
    default_revert_after_s: null,
    backup_interval_h: 0,
  }
  /** The token as the secret store would hold it; never returned by any call. */
  cloudToken: string | null = null
  status: AppStatus = {
    cloud_online: true,
    cloud_configured: true,
    waiting_to_sync: 0,
    running: 0,
    pending: 0,
    last_sync_error: null,
  }
  /** Every call made, in order: channel and the parsed request. */
  calls: Array<{ channel: IpcChannel; request: unknown }> = []
  /** What discovery:scan answers: the routers on the fake LAN (known_site is worked out per call). */
  discovered: Array<Omit<DiscoveredRouter, 'known_site'>> = []
  /** The answer sites:check gives next, per site id. */
  checkAnswers = new Map<string, Partial<HealthSample>>()
  private listeners = new Set<(event: CoreEvent) => void>()
  private readonly failures = new Map<IpcChannel, string>()
  private readonly holds = new Map<IpcChannel, Promise<void>>()
  /**
   * The script lint. Tests that look at it set the real one (src-main/lint, the lab's parser); the
   * default finds nothing, because the lab's modules do not load in the browser harness.
   */
  lint: (script: string) => ScriptLint['findings'] = () => []
  /** What each site's router exports when backed up now (backups:run); absent: the router is offline. */
  exports = new Map<string, string>()
  /** Progress lines stored per job, as the core keeps them (job_progress). */
  progress = new Map<string, Array<{ message: string; at: string }>>()
  private readonly batches = new Map<
    string,
    { batch_id: string; description: string; created_at: string; canary: number; concurrency: number | null; stop_on_first_failure: boolean }
  >()
  private seq = 0
  private readonly now: () => Date

  constructor(options: FakeCoreOptions = {}) {
    this.now = options.now ?? (() => new Date('2025-03-01T10:00:00Z'))
  }

  private iso(): string {
    return this.now().toISOString()
  }

  emit(event: CoreEvent): void {
    for (const listener of [...this.listeners]) listener(event)
  }

  addSite(fields: Partial<Site> & { name: string }): Site {
    const site: Site = {
      id: uuid(),
      host: '192.168.88.1',
      api_port: 8728,
      tls: false,
      username: 'admin',
      secret_ref: `site:${fields.name}`,
      cloud_site_id: null,
      code_page: 'auto',
      allow_anonymous_dh: false,
      tls_fingerprint: null,
      tags: [],
      vars: {},
      mac: null,
      created_at: this.iso(),
      updated_at: this.iso(),
      ...fields,
    }
    this.sites.push(site)
    return site
  }

  /** Adds a job straight into the store (as if created earlier), without an event. */
  addJob(fields: Partial<Job> & { site_id: string }): Job {
    this.seq++
    const job = jobFixture({
      id: uuid(),
      token: tokenFor(this.seq),
      idempotency_key: uuid(),
      description: `job ${this.seq}`,
      created_at: this.iso(),
      seq: this.seq,
      updated_at: this.iso(),
      ...fields,
    })
    this.jobs.push(job)
    return job
  }

  /** Changes a stored job and announces it, as the queue engine would. */
  changeJob(id: string, patch: Partial<Job>): Job {
    const index = this.jobs.findIndex((job) => job.id === id)
    if (index < 0) throw new Error(`fake: no job ${id}`)
    const before = this.jobs[index]!
    const after: Job = { ...before, ...patch, updated_at: this.iso() }
    this.jobs[index] = after
    this.emit({ type: 'job.changed', job: after, from: before.status })
    return after
  }

  addBackup(siteId: string, text: string, atSeconds: number, jobId: string | null = null): Backup {
    // As the core: changed against the site's previous backup, its header lines ignored; the first counts as changed.
    const config = (body: string) => body.split('\n').filter((line) => !line.startsWith('# ')).join('\n')
    const previous = this.backups.filter((earlier) => earlier.site_id === siteId).at(-1)
    const backup = {
      site_id: siteId,
      path: `${siteId}/${atSeconds}.rsc`,
      created_at: new Date(atSeconds * 1000).toISOString(),
      size: new TextEncoder().encode(text).byteLength,
      job_id: jobId,
      id: this.backups.length + 1,
      config_sha256: null,
      changed: previous === undefined || config(previous.text) !== config(text),
      stored_in: null,
      text,
    }
    this.backups.push(backup)
    // As the core: every backup recorded is announced.
    const { text: _text, ...announced } = backup
    this.emit({ type: 'backup.created', backup: announced })
    return backup
  }

  readonly handlers: { [C in IpcChannel]: Handler<C> } = {
    'jobs:create': (input) => {
      if (!this.sites.some((site) => site.id === input.site_id)) {
        throw new FakeIpcError('not_found', `site ${input.site_id} does not exist: add it first, or pick another`)
      }
      const job = this.addJob({
        site_id: input.site_id,
        description: input.description,
        script: input.script,
        needs_acknowledgement: input.needs_acknowledgement,
        should_backup: input.should_backup,
        express_execute: input.express_execute,
        route: input.route,
        // Absent takes the settings' default, as JobService does; cloud jobs never revert.
        revert_after_s: input.revert_after_s !== undefined || input.route === 'cloud' ? (input.revert_after_s ?? null) : this.settings.default_revert_after_s,
        batch_id: input.batch_id,
        sync_state: input.route === 'cloud' ? 'outbox' : 'local',
      })
      this.emit({ type: 'job.created', job })
      return { job, created: true }
    },
    'jobs:createBatch': (input) => {
      const batchId = uuid()
      const { site_ids, stop_on_first_failure, canary, concurrency, ...fields } = input
      const missing = site_ids.flatMap((siteId) => renderScript(fields.script, this.templateSite(siteId)).missing)
      if (missing.length > 0) throw new FakeIpcError('validation', missingValuesError(missing).message)
      const jobs = site_ids.map((siteId, index) => {
        const rendered = renderScript(fields.script, this.templateSite(siteId)).rendered
        const template = isTemplate(fields.script)
        const { job } = this.handlers['jobs:create']({ ...fields, script: rendered.script, site_id: siteId, batch_id: batchId }) as { job: Job }
        return this.changeJob(job.id, {
          waiting_for_canary: canary > 0 && index >= canary,
          template: template ? fields.script : null,
          template_values: template ? rendered.values : null,
        })
      })
      this.batches.set(batchId, {
        batch_id: batchId,
        description: fields.description,
        created_at: this.iso(),
        canary,
        concurrency,
        stop_on_first_failure,
      })
      return { batch_id: batchId, jobs }
    },
    'jobs:previewTemplate': ({ script, site_ids }) => ({
      is_template: isTemplate(script),
      sites: site_ids.map((siteId) => {
        const { rendered, missing } = renderScript(script, this.templateSite(siteId))
        return { site_id: siteId, script: missing.length > 0 ? null : rendered.script, missing: missing.map(({ key, fix }) => ({ key, fix })) }
      }),
    }),
    'jobs:lint': ({ script }) => ({ findings: this.lint(script) }),
    'jobs:progress': ({ id }) => this.progress.get(this.findJob(id).id) ?? [],
    'batches:list': () => [...this.batches.keys()].map((batchId) => {
      const { jobs: _jobs, ...overview } = this.batchDetail(batchId)
      return overview
    }),
    'batches:get': ({ batch_id }) => this.batchDetail(batch_id),
    'batches:cancel': ({ batch_id }) =>
      this.batchDetail(batch_id)
        .jobs.filter((job) => !['completed', 'failed', 'canceled', 'unknown', 'reverted'].includes(job.status))
        .map((job) => this.handlers['jobs:cancel']({ id: job.id }) as { job: Job; outcome: 'canceled' | 'canceling' | 'already_canceled' }),
    'jobs:list': (filter) => {
      const matching = this.jobs
        .filter((job) => {
          if (filter.site_id && job.site_id !== filter.site_id) return false
          if (filter.statuses?.length && !filter.statuses.includes(job.status)) return false
          if (filter.route && job.route !== filter.route) return false
          const search = filter.search?.trim()
          if (search) {
            const needle = search.toLowerCase()
            if (job.token !== search && !job.description.toLowerCase().includes(needle) && !job.script.toLowerCase().includes(needle)) {
              return false
            }
          }
          return true
        })
        .sort((a, b) => b.seq - a.seq)
      const page = matching.filter((job) => filter.before_seq === undefined || job.seq < filter.before_seq)
      return { jobs: page.slice(0, filter.limit ?? 50), total: matching.length }
    },
    'jobs:get': ({ id }) => this.findJob(id),
    'jobs:cancel': ({ id }) => {
      const job = this.findJob(id)
      const now = this.iso()
      if (job.status === 'canceled') return { job, outcome: 'already_canceled' }
      if (job.status === 'canceling') return { job, outcome: 'canceling' }
      if (job.status === 'pending' && job.sync_state !== 'synced') {
        return { job: this.changeJob(job.id, { status: 'canceled', cancel_requested_at: now, canceled_at: now }), outcome: 'canceled' }
      }
      if (job.status === 'pending' || job.status === 'in_progress') {
        return {
          job: this.changeJob(job.id, { status: 'canceling', cancel_requested_at: now, cancel_refused_reason: null }),
          outcome: 'canceling',
        }
      }
      throw new FakeIpcError('invalid_state', `job ${job.token} is ${job.status}: a finished job cannot be canceled`)
    },
    'sites:list': () => this.sites,
    'sites:add': (input) => {
      if (this.sites.some((site) => site.name === input.name)) {
        throw new FakeIpcError('conflict', `a site named "${input.name}" already exists`, [
          { path: 'name', message: `a site named "${input.name}" already exists` },
        ])
      }
      const { password: _password, api_port, ...fields } = input
      const site = this.addSite({ ...fields, api_port: api_port ?? (fields.tls ? 8729 : 8728) })
      this.emit({ type: 'site.changed', site })
      return site
    },
    'sites:update': ({ id, password: _password, ...fields }) => {
      const index = this.sites.findIndex((site) => site.id === id)
      if (index < 0) throw new FakeIpcError('not_found', `no site ${id}`)
      const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))
      const site = { ...this.sites[index]!, ...defined, updated_at: this.iso() } as Site
      this.sites[index] = site
      this.emit({ type: 'site.changed', site })
      return site
    },
    'sites:remove': ({ id, purge }) => {
      const jobs = this.jobs.filter((job) => job.site_id === id).length
      if (jobs > 0 && !purge) {
        // The core's refusal (SiteStore.remove), so the screen is tested against the same words.
        throw new FieldjobsError('conflict', `site has ${jobs} jobs and 0 backups, the record of what was done to this router, so it was not removed; to delete the site with all of them, remove it with --purge`)
      }
      this.jobs = this.jobs.filter((job) => job.site_id !== id)
      this.sites = this.sites.filter((site) => site.id !== id)
      this.emit({ type: 'site.removed', site_id: id })
      return { ok: true }
    },
    'sites:check': ({ id }) => {
      const sample: HealthSample = {
        site_id: id,
        at: this.iso(),
        online: true,
        identity: 'lab',
        version: '7.16.2',
        board: 'CHR',
        cpu_load: 3,
        free_memory: 200_000_000,
        total_memory: 268_435_456,
        uptime: '1d2h',
        error: null,
        ...this.checkAnswers.get(id),
      }
      this.health.push(sample)
      return sample
    },
    'sites:health': ({ id }) => this.health.filter((sample) => sample.site_id === id),
    'sites:lastHealth': () => {
      const newest = new Map<string, HealthSample>()
      for (const sample of this.health) if ((newest.get(sample.site_id)?.at ?? '') <= sample.at) newest.set(sample.site_id, sample)
      return [...newest.values()].map((sample) => ({ site_id: sample.site_id, online: sample.online, at: sample.at }))
    },
    // As the core: a router is a known site by its address (and, for the lab, its announced port).
    'discovery:scan': () => ({
      routers: this.discovered.map((router) => ({
        ...router,
        known_site: this.sites.find((site) => site.host === router.ipv4 && (router.api_port === null || site.api_port === router.api_port))?.name ?? null,
      })),
      skipped: 0,
    }),
    'backups:list': ({ site_id }) =>
      this.backups
        .filter((backup) => !site_id || backup.site_id === site_id)
        // Newest first, as BackupStore.list orders them (created_at DESC, path DESC): the screens rely on it.
        .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.path.localeCompare(a.path))
        .map(({ text: _text, ...backup }) => backup),
    'backups:read': ({ path }) => ({ path, text: this.findBackup(path).text, intact: true }),
    /** `runExport` stands in for the router's answer; a site without one fails as an offline router does. */
    'backups:run': ({ site_ids }) =>
      site_ids.map((siteId) => {
        const text = this.exports.get(siteId)
        if (text === undefined) return { site_id: siteId, backup: null, error: 'connect ECONNREFUSED' }
        const { text: _text, ...backup } = this.addBackup(siteId, text, Math.floor(this.now().getTime() / 1000)) as Backup & { text?: string }
        return { site_id: siteId, backup, error: null }
      }),
    'backups:diff': ({ from, to }) => {
      // Like the core: the export's first (header) line carries a timestamp and is ignored.
      const body = (path: string) => this.findBackup(path).text.split('\n').filter((line) => !line.startsWith('# '))
      const left = body(from)
      const right = body(to)
      const rows: IpcResponse<'backups:diff'>['rows'] = []
      let l = 0
      let r = 0
      for (const part of diffArrays(left, right)) {
        for (const line of part.value) {
          if (part.added) rows.push({ kind: 'added', left: null, right: line, left_line: null, right_line: ++r })
          else if (part.removed) rows.push({ kind: 'removed', left: line, right: null, left_line: ++l, right_line: null })
          else rows.push({ kind: 'same', left: line, right: line, left_line: ++l, right_line: ++r })
        }
      }
      const unified = createTwoFilesPatch(from, to, `${left.join('\n')}\n`, `${right.join('\n')}\n`)
      return { from, to, unified, rows }
    },
    'settings:get': () => this.settings,
    'settings:update': (update) => {
      const { cloud_token, ...rest } = update
      const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined))
      if (cloud_token !== undefined) {
        this.cloudToken = cloud_token === '' ? null : cloud_token
        // As the core: a token (or none) restarts the sync before the answer, configured or not.
        this.status = { ...this.status, cloud_configured: this.cloudToken !== null }
      }
      const cloud = cloud_token !== undefined || (rest.cloud_api_url !== undefined && rest.cloud_api_url !== this.settings.cloud_api_url)
      this.settings = {
        ...this.settings,
        ...defined,
        cloud_token_set: this.cloudToken !== null,
        cloud_token_hint: tokenTail(this.cloudToken),
      }
      // As the core: every save is announced, to this window and any other.
      this.emit({ type: 'settings.changed', cloud })
      return this.settings
    },
    'status:get': () => this.status,
  }

  private findJob(id: string): Job {
    const job = this.jobs.find((candidate) => candidate.id === id || candidate.token === id)
    if (!job) throw new FakeIpcError('not_found', `no job with id or token ${id}`)
    return job
  }

  private findBackup(path: string) {
    const backup = this.backups.find((candidate) => candidate.path === path)
    if (!backup) throw new FakeIpcError('not_found', `no backup ${path}`)
    return backup
  }

  /** The window.api the renderer sees: every call goes through the contract's schemas both ways. */
  api(): FieldjobsApi {
    const api: Record<string, unknown> = {
      onEvent: (listener: (event: CoreEvent) => void) => {
        this.listeners.add(listener)
        return () => this.listeners.delete(listener)
      },
    }
    for (const channel of ipcChannels) {
      api[channel] = async (raw: unknown) => {
        const schemas = ipcContract[channel]
        const parsed = schemas.request.safeParse(raw)
        if (!parsed.success) {
          const error = validationError(parsed.error)
          throw new FakeIpcError('validation', error.message, error.issues)
        }
        this.calls.push({ channel, request: parsed.data })
        const failure = this.failures.get(channel)
        if (failure !== undefined) {
          this.failures.delete(channel)
          throw new FakeIpcError('internal', failure)
        }
        const handler = this.handlers[channel] as (request: unknown) => unknown
        // Important: the answer must satisfy the response schema, or the fake has drifted.
        const answer = schemas.response.parse(handler(parsed.data))
        const hold = this.holds.get(channel)
        if (hold) {
          this.holds.delete(channel)
          await hold
        }
        return answer
      }
    }
    return api as FieldjobsApi
  }

  /**
   * Holds the answer of the next call on a channel: it is read now and delivered when the returned
   * function is called, as a slow transport would, so events can arrive in between.
   */
  holdNext(channel: IpcChannel): () => void {
    let release = () => {}
    this.holds.set(channel, new Promise<void>((resolve) => (release = resolve)))
    return () => release()
  }

  /** Makes the next call on a channel fail as a broken transport would, once. */
  failNext(channel: IpcChannel, message: string) {
    this.failures.set(channel, message)
  }

  /** A batch as the core reports it, counted from the fake's jobs. */
  batchDetail(batchId: string) {
    const batch = this.batches.get(batchId)
    if (!batch) throw new FakeIpcError('not_found', `no batch ${batchId}`)
    const jobs = this.jobs.filter((job) => job.batch_id === batchId).sort((a, b) => a.seq - b.seq)
    const finished = (job: Job) => ['completed', 'failed', 'canceled', 'unknown', 'reverted'].includes(job.status)
    return {
      ...batch,
      total: jobs.length,
      done: jobs.filter(finished).length,
      failed: jobs.filter((job) => ['failed', 'unknown', 'reverted'].includes(job.status)).length,
      stopped_at: null,
      stopped_by_job_id: null,
      jobs,
    }
  }

  private templateSite(siteId: string) {
    const site = this.sites.find((candidate) => candidate.id === siteId)
    if (!site) throw new FakeIpcError('not_found', `no site with id ${siteId}`)
    const identity = [...this.health].reverse().find((sample) => sample.site_id === siteId && sample.identity)?.identity ?? null
    return { name: site.name, host: site.host, identity, vars: site.vars }
  }

  callsTo(channel: IpcChannel) {
    return this.calls.filter((call) => call.channel === channel)
  }
}
