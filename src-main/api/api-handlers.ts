// One handler per channel of the IPC contract, each a thin call into the core. Every handler parses
// its request with the contract's request schema (bad input -> FieldjobsError 'validation' naming
// the field) and its answer with the response schema, so what leaves here is what the contract
// promises, whichever transport carries it.
import type { z } from 'zod'
import {
  type AppStatus,
  type HealthSample,
  type IpcChannel,
  type IpcContract,
  type IpcResponse,
  ipcChannels,
  ipcContract,
} from '../contract/ipc-contract'
import type { Job } from '../contract/job-schema'
import type { FieldjobsCore } from '../core/app/fieldjobs-core'
import { diffBackups } from '../core/backups/backup-diff'
import { discoverRouters } from '../core/discovery/discover-routers'
import { HealthStore } from '../core/health/health-store'
import { FieldjobsError, parseOrThrow } from '../core/errors'
import { CLOUD_TOKEN_REF } from '../core/settings/settings-store'
import { lintForRouters } from '../lint/script-lint'
import { JobProgressStore } from '../core/store/job-progress-store'
import { takeBackups } from '../core/backups/take-backups'
import { settingsView } from './settings-view'

type ParsedRequest<C extends IpcChannel> = z.output<IpcContract[C]['request']>

/** A handler takes an unchecked payload: it validates it itself. */
export type ApiHandlers = { [C in IpcChannel]: (request: unknown) => Promise<IpcResponse<C>> }

/** Site checks and health history (core/health). */
export interface SiteHealthPort {
  check(siteId: string): Promise<HealthSample>
  history(siteId: string, since?: string): HealthSample[] | Promise<HealthSample[]>
}

/** One script to several sites (core/batch). */
export interface BatchPort {
  create(input: ParsedRequest<'jobs:createBatch'>): { batch_id: string; jobs: Job[] } | Promise<{ batch_id: string; jobs: Job[] }>
  list(): IpcResponse<'batches:list'>
  get(batchId: string): IpcResponse<'batches:get'>
  cancel(batchId: string): IpcResponse<'batches:cancel'>
}

/** The status bar's figures (core/cloud sync). */
export interface StatusPort {
  status(): AppStatus | Promise<AppStatus>
}

/** What the handlers call: the core, and the services that only a running app has. */
export interface ApiRuntime {
  core: FieldjobsCore
  health?: SiteHealthPort
  batches?: BatchPort
  status?: StatusPort
  /** Settles once the settings saved last are in use (queue concurrency, probes, backups, the cloud sync). */
  settingsApplied?(): Promise<void>
}

function unavailable(what: string): never {
  throw new FieldjobsError('unavailable', `${what} is not available in this build of Fieldjobs`)
}

export function createApiHandlers(runtime: ApiRuntime): ApiHandlers {
  const { core } = runtime
  const health = new HealthStore(core.db)

  const implementations: { [C in IpcChannel]: (request: ParsedRequest<C>) => IpcResponse<C> | Promise<IpcResponse<C>> } = {
    'jobs:create': (request) => core.jobs.create(request),
    'jobs:createBatch': (request) => (runtime.batches ? runtime.batches.create(request) : unavailable('sending one script to several sites')),
    'jobs:list': ({ before_seq, limit, ...filter }) => ({
      jobs: core.jobStore.list({ ...filter, before_seq, limit }),
      total: core.jobStore.count(filter),
    }),
    'jobs:previewTemplate': ({ script, site_ids }) => core.jobs.previewTemplate(script, site_ids),
    'backups:run': async ({ site_ids }) =>
      (await takeBackups(core, site_ids.map((id) => core.siteStore.get(id)))).map((result) => ({
        site_id: result.site.id,
        backup: result.backup ?? null,
        error: result.error ?? null,
      })),
    'jobs:progress': ({ id }) => new JobProgressStore(core.db).list(core.jobStore.find(id).id),
    'jobs:lint': ({ script, site_ids: siteIds }) => ({ findings: lintForRouters(script, health.lastVersions(siteIds ?? [])) }),
    'batches:list': () => (runtime.batches ? runtime.batches.list() : unavailable('batches')),
    'batches:get': ({ batch_id }) => (runtime.batches ? runtime.batches.get(batch_id) : unavailable('batches')),
    'batches:cancel': ({ batch_id }) => (runtime.batches ? runtime.batches.cancel(batch_id) : unavailable('batches')),
    'jobs:get': ({ id }) => core.jobStore.find(id),
    'jobs:cancel': ({ id }) => core.jobs.cancel(id),
    'sites:list': () => core.siteStore.list(),
    'sites:add': (request) => core.addSite(request),
    'sites:update': (request) => core.updateSite(request),
    'sites:remove': ({ id, purge }) => {
      core.removeSite(id, { purge: purge ?? false })
      return { ok: true as const }
    },
    'sites:check': ({ id }) => {
      core.siteStore.get(id)
      return runtime.health ? runtime.health.check(id) : unavailable('checking a site')
    },
    'sites:health': ({ id, since }) => {
      core.siteStore.get(id)
      return runtime.health ? runtime.health.history(id, since) : unavailable('site health history')
    },
    // Read from the table, so the dots are right on load even where no probe runs in this process.
    'sites:lastHealth': () => health.latest(),
    'discovery:scan': ({ timeout_s, port }) =>
      discoverRouters({ dataDir: core.dataDir, sites: () => core.siteStore.list() }, { port, timeoutMs: timeout_s * 1000 }),
    'backups:list': ({ site_id }) => core.backups.list(site_id),
    'backups:read': ({ path }) => core.backups.read(path),
    'backups:diff': ({ from, to }) => diffBackups(core.backups.read(from), core.backups.read(to)),
    'settings:get': () => settingsView(core.settings.get(), core.secrets.get(CLOUD_TOKEN_REF)),
    'settings:update': async (update) => {
      const { values, cloudToken } = core.updateSettings(update)
      // Answered once the running services use the new values, so the window's next status read
      // (the cloud configured or not) is already the new one.
      await runtime.settingsApplied?.()
      return settingsView(values, cloudToken)
    },
    'status:get': () => (runtime.status ? runtime.status.status() : unavailable('the sync status')),
  }

  const handlers = {} as Record<IpcChannel, (request: unknown) => Promise<unknown>>
  for (const channel of ipcChannels) {
    const { request: requestSchema, response: responseSchema } = ipcContract[channel]
    const implementation = implementations[channel] as (request: unknown) => unknown
    handlers[channel] = async (payload: unknown) => {
      const request = parseOrThrow(requestSchema as z.ZodType, payload)
      const value = await implementation(request)
      // Important: a response the contract does not accept is our bug, not the caller's: report it
      // as internal, with the fields that are wrong, rather than send the window a shape it cannot read.
      const checked = responseSchema.safeParse(value)
      if (!checked.success) {
        throw new FieldjobsError('internal', `${channel} answered outside its contract: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
      }
      return checked.data
    }
  }
  return handlers as ApiHandlers
}
