// The composition root of the core: one data folder -> its stores (FieldjobsStores), the services
// that validate what people ask for, and (when asked) the queue engine. The CLI, the Electron main
// process and the browser bridge each open one of these; none of them reaches past it into SQLite.
import type { Job } from '../../contract/job-schema'
import { NewSiteInput, type Site, SiteUpdate } from '../../contract/site-schema'
import { isoAt } from '../clock'
import { FieldjobsError, parseOrThrow } from '../errors'
import { JobService } from '../jobs/job-service'
import type { JobExecutor } from '../queue/executor'
import { QueueEngine, type QueueEngineOptions } from '../queue/queue-engine'
import type { SiteHistory } from '../store/site-store'
import { CLOUD_TOKEN_REF, type SettingValues } from '../settings/settings-store'
import { type FieldjobsCoreOptions, FieldjobsStores } from './fieldjobs-stores'

export type { FieldjobsCoreOptions }

/** What updateSettings takes: the contract's SettingsUpdate, checked. */
export type SettingsChange = Partial<SettingValues> & { cloud_token?: string }

export class FieldjobsCore extends FieldjobsStores {
  readonly jobs: JobService
  private engine: QueueEngine | undefined
  // Each read may be a keyring process (a blocking spawn), once per job run and per site per health
  // round. A site's row gets a new updated_at whenever its password is set, here or by another
  // process (the site store sees those commits), so a password read for that updated_at stays good.
  private readonly passwords = new Map<string, { updated_at: string; password: string }>()

  private constructor(dataDir: string, options: FieldjobsCoreOptions) {
    super(dataDir, options)
    // Read per create, so a changed default_revert_after_s applies at once.
    const lastIdentity = this.db.prepare(
      'SELECT identity FROM site_health WHERE site_id = ? AND identity IS NOT NULL ORDER BY at_ms DESC LIMIT 1',
    ).pluck()
    this.jobs = new JobService(
      this.jobStore,
      this.siteStore,
      this.clock,
      () => ({ revert_after_s: this.settings.get().default_revert_after_s }),
      (siteId) => (lastIdentity.get(siteId) as string | undefined) ?? null,
    )
  }

  static override open(options: FieldjobsCoreOptions): FieldjobsCore {
    return new FieldjobsCore(options.dataDir, options)
  }

  addSite(input: unknown): Site {
    const valid = parseOrThrow(NewSiteInput, input)
    const { password, ...fields } = valid
    const site = this.siteStore.add(fields, (created) => this.secrets.set(created.secret_ref, password))
    this.backups.makeSiteFolder(site.id)
    return site
  }

  updateSite(input: unknown): Site {
    const { id, password, ...fields } = parseOrThrow(SiteUpdate, input)
    const storePassword =
      password === undefined
        ? undefined
        : (changed: Site) => {
            this.secrets.set(changed.secret_ref, password)
            // Within the same millisecond the row's updated_at would not tell the two passwords apart.
            this.passwords.delete(changed.secret_ref)
          }
    return this.siteStore.update(id, fields, storePassword)
  }

  /**
   * Saves settings and the cloud token (`''` removes it), then announces settings.changed: a running
   * app or `fieldjobs run` applies them at once (runtime.ts). Returns the values and the token now set.
   */
  updateSettings({ cloud_token: cloudToken, ...values }: SettingsChange): { values: SettingValues; cloudToken: string | undefined } {
    const urlBefore = this.settings.get().cloud_api_url
    if (cloudToken === '') this.secrets.delete(CLOUD_TOKEN_REF)
    else if (cloudToken !== undefined) this.secrets.set(CLOUD_TOKEN_REF, cloudToken)
    const tokenChanged = cloudToken !== undefined
    const updated = this.settings.update(values, tokenChanged ? { cloudTokenChangedAt: isoAt(this.clock.now()) } : {})
    this.events.publish({ type: 'settings.changed', cloud: tokenChanged || updated.cloud_api_url !== urlBefore })
    // The token just stored is the one given: reading it back would cost a keyring tool run.
    return { values: updated, cloudToken: tokenChanged ? cloudToken || undefined : this.secrets.get(CLOUD_TOKEN_REF) }
  }

  /** Removes a site; one with jobs or backups only with `purge` (see SiteStore.remove). */
  removeSite(nameOrId: string, options: { purge?: boolean } = {}): SiteHistory {
    const site = this.siteStore.find(nameOrId)
    const removed = this.siteStore.remove(site.id, options)
    this.backups.removeSiteFolder(site.id)
    this.secrets.delete(site.secret_ref)
    this.passwords.delete(site.secret_ref)
    return removed
  }

  sitePassword(site: Site): string {
    const cached = this.passwords.get(site.secret_ref)
    if (cached && cached.updated_at === site.updated_at) return cached.password
    const password = this.secrets.get(site.secret_ref)
    if (password === undefined) {
      throw new FieldjobsError('not_found', `site "${site.name}" has no stored password: set it again`)
    }
    this.passwords.set(site.secret_ref, { updated_at: site.updated_at, password })
    return password
  }

  /** Starts the queue engine with this executor; reconciles jobs a dead process left running. */
  startQueue(executor: JobExecutor, options: Partial<Omit<QueueEngineOptions, 'db' | 'jobs' | 'sites' | 'events' | 'executor'>> = {}): {
    engine: QueueEngine
    reconciled: Job[]
  } {
    if (this.engine) throw new Error('the queue is already running')
    const engine = new QueueEngine({
      db: this.db,
      jobs: this.jobStore,
      sites: this.siteStore,
      events: this.events,
      executor,
      clock: this.clock,
      ...options,
    })
    this.engine = engine
    this.jobs.setCancelPorts({ abortRunning: (jobId) => engine.abort(jobId) })
    const reconciled = engine.start()
    return { engine, reconciled }
  }

  override async close(graceMs?: number): Promise<void> {
    await this.engine?.stop(graceMs)
    await super.close()
  }
}
