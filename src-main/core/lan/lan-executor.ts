// The LAN executor: runs a queued job on its router over the RouterOS API. Connect and log in, take
// a text export first when the job asks for a backup (stored before anything changes, and recorded
// on the job at once), deliver the script (script-delivery.ts), clean up, and say what happened in
// the terms the queue engine retries by: nothing reached the router (not_delivered), or it did.
import type { JobError } from '../../contract/job-schema'
import type { Site } from '../../contract/site-schema'
import type { BackupStore } from '../backups/backup-store'
import type { Clock } from '../clock'
import type { ExecutionOutcome, JobExecutor, JobRun } from '../queue/executor'
import { RouterClient } from '../routeros/router-client'
import { RouterConnectionError } from '../routeros/router-errors'
import { routerOptionsFor } from '../routeros/site-connection'
import { BackupError, takeExport } from './router-backup'
import { afterSendError, deliverScript } from './script-delivery'

export interface LanTimeouts {
  connectMs: number
  loginMs: number
  /** Each API command other than the script run (backup, add, remove). */
  commandMs: number
  /** How long a script may run before it is stopped. */
  scriptMs: number
}

export const defaultLanTimeouts: LanTimeouts = { connectMs: 10_000, loginMs: 10_000, commandMs: 60_000, scriptMs: 10 * 60_000 }

export interface LanExecutorDeps {
  /** The site's router password (FieldjobsCore.sitePassword). */
  sitePassword(site: Site): string
  backups: Pick<BackupStore, 'save'>
  clock: Clock
  timeouts?: Partial<LanTimeouts>
}

/**
 * An error before the script left: nothing reached the router. Retryable unless waiting cannot fix
 * it (credentials, TLS trust).
 */
export function outcomeBeforeScript(error: unknown): ExecutionOutcome {
  if (error instanceof RouterConnectionError) {
    if (error.kind === 'aborted') return { kind: 'canceled' }
    const jobError = (category: JobError['category']): JobError => ({ message: error.message, category, line: null, column: null })
    if (error.kind === 'auth') return { kind: 'not_delivered', error: jobError('auth'), retryable: false }
    if (error.kind === 'tls') return { kind: 'not_delivered', error: jobError('tls'), retryable: false }
    return { kind: 'not_delivered', error: jobError(error.kind === 'timeout' ? 'timeout' : 'connection'), retryable: true }
  }
  return {
    kind: 'not_delivered',
    error: { message: (error as Error).message, category: 'internal', line: null, column: null },
    retryable: false,
  }
}

export class LanExecutor implements JobExecutor {
  private readonly timeouts: LanTimeouts

  constructor(private readonly deps: LanExecutorDeps) {
    this.timeouts = { ...defaultLanTimeouts, ...deps.timeouts }
  }

  async execute(run: JobRun): Promise<ExecutionOutcome> {
    const { job, site, signal } = run
    if (signal.aborted) return { kind: 'canceled' }
    if (job.revert_after_s !== null) {
      // Seam for commit-confirmed (a later issue): export a snapshot, schedule its restore at
      // now + revert_after_s, run, reconnect, remove the schedule. Until then such a job is refused
      // rather than run without the safety net the engineer asked for.
      return {
        kind: 'not_delivered',
        retryable: false,
        error: {
          message: 'commit-confirmed jobs (revert after) are not supported on the LAN route yet: nothing was sent; create the job without revert after',
          category: 'validation',
          line: null,
          column: null,
        },
      }
    }

    let password: string
    try {
      password = this.deps.sitePassword(site)
    } catch (error) {
      return { kind: 'not_delivered', retryable: false, error: { message: (error as Error).message, category: 'auth', line: null, column: null } }
    }

    const client = new RouterClient(routerOptionsFor(site, password, this.timeouts))
    // A cancel during connect or backup closes the connection: nothing of the script was sent.
    const closeOnAbort = () => void client.close()
    signal.addEventListener('abort', closeOnAbort, { once: true })
    try {
      try {
        await client.connect()
      } catch (error) {
        return signal.aborted ? { kind: 'canceled' } : outcomeBeforeScript(error)
      }
      run.progress(`connected to ${site.host}:${client.port}`)

      if (job.should_backup) {
        try {
          const text = await takeExport(client, { fileName: `fieldjobs-backup-${job.token}`, timeoutMs: this.timeouts.commandMs })
          const path = await this.deps.backups.save(site.id, text, this.deps.clock.now(), job.id)
          run.record({ associated_backup: path })
          run.progress(`backup saved as ${path}`)
        } catch (error) {
          if (signal.aborted) return { kind: 'canceled' }
          if (error instanceof RouterConnectionError) return outcomeBeforeScript(error)
          const reason = error instanceof BackupError ? error.message : afterSendError(error, 'the export failed').message
          return {
            kind: 'failed',
            error: { message: `backup failed, so the script was not run: ${reason}`, category: 'router', line: null, column: null },
          }
        }
      }

      signal.removeEventListener('abort', closeOnAbort)
      if (signal.aborted) return { kind: 'canceled' }
      const result = await deliverScript(client, {
        script: job.script,
        name: `fieldjobs-${job.token}`,
        needsAcknowledgement: job.needs_acknowledgement,
        signal,
        runTimeoutMs: this.timeouts.scriptMs,
        progress: (message) => run.progress(message),
      })
      return result
    } finally {
      signal.removeEventListener('abort', closeOnAbort)
      await client.close()
    }
  }
}
