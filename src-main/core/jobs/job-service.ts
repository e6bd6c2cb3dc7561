// What people do with jobs: create (validated, idempotent) and cancel (as the seeds define it).
import { type Job, jobError, NewJobInput, type ValidNewJob } from '../../contract/job-schema'
import { type Clock, isoAt } from '../clock'
import { FieldjobsError, parseOrThrow } from '../errors'
import type { JobExtras, JobStore } from '../store/job-store'
import type { SiteStore } from '../store/site-store'
import type { Site } from '../../contract/site-schema'
import { isTemplate, type MissingValue, missingValuesError, renderScript } from '../templates/script-template'

export type CancelOutcome =
  /** It had not started (or the cloud deleted it): canceled now. */
  | 'canceled'
  /** It runs: the executor was told to stop; it ends canceled, or with its real outcome if it finished first. */
  | 'canceling'
  /** Canceling a canceled job is a success that changes nothing (TensorPool answers 200). */
  | 'already_canceled'

export interface CancelResult {
  job: Job
  outcome: CancelOutcome
}

/** The parts that actually stop running work; the queue engine and the cloud sync provide them. */
export interface CancelPorts {
  /** Tells a running LAN job's executor to stop (false when no worker here holds it). */
  abortRunning?(jobId: string): boolean
  /** A job the cloud holds needs the cloud's word; the sync finds such jobs by their sync state. */
  cloudCancelRequested?(): void
}

/** Settings that fill what a new job leaves unsaid. */
export interface JobDefaults {
  /** Settings' default_revert_after_s. */
  revert_after_s: number | null
}

/** A new job as create() will store it: validated, its template rendered for its site. */
export interface CheckedJob {
  input: ValidNewJob
  extras: JobExtras
}

/** How far in the past a maintenance window's start may lie (a script's "now", a slow form). */
const PAST_WINDOW_GRACE_MS = 60_000

export class JobService {
  /** Filled in by setCancelPorts once the queue engine and the cloud sync exist. */
  private readonly ports: CancelPorts = {}

  constructor(
    private readonly jobs: JobStore,
    private readonly sites: SiteStore,
    private readonly clock: Clock,
    private readonly defaults: () => JobDefaults,
    /** The router's identity as last seen (a probe), for {{site.identity}}. */
    private readonly lastIdentity: (siteId: string) => string | null = () => null,
  ) {}

  setCancelPorts(ports: CancelPorts): void {
    Object.assign(this.ports, ports)
  }

  create(input: unknown): { job: Job; created: boolean } {
    const checked = this.check(input)
    return this.jobs.create(checked.input, checked.extras)
  }

  /**
   * Everything create() refuses, without inserting: the input, the site, what the route allows on
   * it, and the template's values; the script comes back rendered for the site. A batch checks all
   * its jobs first, so a refused one cannot follow jobs already announced.
   */
  check(input: unknown, extras: JobExtras = {}): CheckedJob {
    const valid = parseOrThrow(NewJobInput, this.withDefaultRevert(input))
    const site = this.sites.get(valid.site_id)
    if (valid.not_before) this.refusePastWindow(valid.not_before, valid.idempotency_key)
    if (valid.not_before && valid.route === 'cloud') {
      throw new FieldjobsError(
        'validation',
        'not_before: the cloud job API has no start time, so a cloud job cannot wait for a maintenance window; ' +
          'use route lan or auto, or queue it when the window opens',
      )
    }
    if (valid.route === 'cloud' && typeof valid.revert_after_s === 'number') {
      throw new FieldjobsError(
        'validation',
        'revert_after_s: the cloud job API has no commit-confirmed, so a cloud job cannot revert itself; ' +
          'use route lan (or auto) for a revert window, or leave revert after out',
      )
    }
    if (valid.route === 'cloud' && !site.cloud_site_id) {
      throw new FieldjobsError(
        'validation',
        `route: site "${site.name}" has no cloud site id, so the cloud cannot deliver to it; ` +
          'set one with `fieldjobs site add --cloud-site-id`, or use route lan or auto',
      )
    }
    if (!isTemplate(valid.script)) return { input: valid, extras }
    const { rendered, missing } = renderScript(valid.script, this.templateSite(site))
    if (missing.length > 0) throw missingValuesError(missing)
    return {
      input: { ...valid, script: rendered.script },
      extras: { ...extras, template: valid.script, template_values: rendered.values },
    }
  }

  /** Every value a template lacks on any of the sites, so a batch is refused naming them all. */
  missingTemplateValues(script: string, siteIds: readonly string[]): MissingValue[] {
    if (!isTemplate(script)) return []
    return siteIds.flatMap((siteId) => renderScript(script, this.templateSite(this.sites.get(siteId))).missing)
  }

  /** What the script becomes on each site, and what each lacks: the batch form's preview. */
  previewTemplate(script: string, siteIds: readonly string[]) {
    const template = isTemplate(script)
    return {
      is_template: template,
      sites: siteIds.map((siteId) => {
        if (!template) return { site_id: siteId, script, missing: [] }
        const { rendered, missing } = renderScript(script, this.templateSite(this.sites.get(siteId)))
        return { site_id: siteId, script: missing.length > 0 ? null : rendered.script, missing: missing.map(({ key, fix }) => ({ key, fix })) }
      }),
    }
  }

  /**
   * A maintenance window that has already begun is most likely a mistyped date, and taken as
   * written it would start the change now, in working hours. A minute's grace lets a script pass
   * "now". A create repeated with its idempotency key after the window opened still returns its job.
   */
  private refusePastWindow(notBefore: string, idempotencyKey: string | undefined): void {
    const now = this.clock.now()
    if (Date.parse(notBefore) >= now - PAST_WINDOW_GRACE_MS) return
    if (idempotencyKey !== undefined && this.jobs.hasKey(idempotencyKey)) return
    const message =
      `${notBefore} has passed (it is ${isoAt(now)} now), so the job would start at once: ` +
      'give a time still to come, or leave it out to run the job as soon as possible'
    throw new FieldjobsError('validation', `not_before: ${message}`, [{ path: 'not_before', message }])
  }

  private templateSite(site: Site) {
    return { name: site.name, host: site.host, identity: this.lastIdentity(site.id), vars: site.vars }
  }

  /**
   * The settings' revert window applies to a job that may run on the LAN and does not say
   * (revert_after_s absent); `null` says "no revert" and is kept. Cloud jobs get none: the cloud's
   * job API has no commit-confirmed.
   */
  private withDefaultRevert(input: unknown): unknown {
    if (typeof input !== 'object' || input === null) return input
    const fields = input as Record<string, unknown>
    if (fields.revert_after_s !== undefined || fields.route === 'cloud') return input
    const fallback = this.defaults().revert_after_s
    return fallback === null ? input : { ...fields, revert_after_s: fallback }
  }

  /**
   * `reason`: why, when the engineer did not ask for this job's cancel themselves (its batch's
   * canary failed): a job canceled here keeps it as its error, category canceled, so the history
   * says who stopped it and why.
   */
  cancel(idOrToken: string, reason?: string): CancelResult {
    const job = this.jobs.find(idOrToken)
    const now = isoAt(this.clock.now())
    switch (job.status) {
      case 'canceled':
        return { job, outcome: 'already_canceled' }
      case 'canceling':
        return { job, outcome: 'canceling' }
      case 'pending': {
        if (job.sync_state === 'synced' || job.sync_state === 'cancel_pending') {
          const canceling = this.jobs.transition(job.id, 'canceling', {
            cancel_requested_at: now,
            cancel_refused_reason: null,
            sync_state: 'cancel_pending',
            next_sync_at: 0,
          }) as Job
          this.ports.cloudCancelRequested?.()
          return { job: canceling, outcome: 'canceling' }
        }
        // Never sent anywhere (or only waiting in the outbox): it is canceled here and never sent.
        const canceled = this.jobs.transition(job.id, 'canceled', {
          cancel_requested_at: now,
          canceled_at: now,
          sync_state: job.sync_state === 'outbox' ? 'done' : job.sync_state,
          ...(reason ? { error: jobError(reason, 'canceled') } : {}),
        }) as Job
        return { job: canceled, outcome: 'canceled' }
      }
      case 'in_progress': {
        const canceling = this.jobs.transition(job.id, 'canceling', {
          cancel_requested_at: now,
          cancel_refused_reason: null,
        }) as Job
        if (job.ran_route === 'cloud' || job.sync_state === 'synced') {
          this.jobs.update(job.id, { sync_state: 'cancel_pending', next_sync_at: 0 }, { quiet: true })
          this.ports.cloudCancelRequested?.()
        } else {
          // Held by another process, the worker learns it at its next lease renewal.
          this.ports.abortRunning?.(job.id)
        }
        return { job: canceling, outcome: 'canceling' }
      }
      default:
        throw new FieldjobsError(
          'invalid_state',
          `job ${job.token} has already ${job.status === 'unknown' ? 'ended with an unknown outcome' : job.status}: ` +
            'a finished job cannot be canceled',
        )
    }
  }
}
