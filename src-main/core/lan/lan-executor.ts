// The LAN executor: runs a queued job on its router over the RouterOS API. Connect and log in, take
// a text export first when the job asks for a backup (stored before anything changes, and recorded
// on the job at once), for a commit-confirmed job arm the router's own restore (commit-confirmed.ts),
// deliver the script (script-delivery.ts), clean up, then confirm or wait for the restore; and say
// what happened in the terms the queue engine retries by: nothing reached the router
// (not_delivered), or it did.
import { jobError } from '../../contract/job-schema'
import type { Site } from '../../contract/site-schema'
import { abortableDelay } from '../abortable-delay'
import type { BackupStore } from '../backups/backup-store'
import type { Clock } from '../clock'
import type { ExecutionOutcome, JobExecutor, JobRun } from '../queue/executor'
import { RouterClient } from '../routeros/router-client'
import { RouterConnectionError } from '../routeros/router-errors'
import { routerOptionsFor } from '../routeros/site-connection'
import { ANONYMOUS_DH_WARNING } from '../routeros/site-trust'
import { type ArmedRevert, armRevert, defaultRevertTiming, disarmQuietly, type RevertTiming, settleRevert } from './commit-confirmed'
import type { CommandsBefore } from './script-failure'
import { revertOutcome } from './revert-outcome'
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
  backups: Pick<BackupStore, 'record'>
  clock: Clock
  timeouts?: Partial<LanTimeouts>
  /** Waits in a commit-confirmed job's revert window; resolves early when the signal aborts. Default: real timers. */
  sleep?(ms: number, signal: AbortSignal): Promise<void>
  revertTiming?: Partial<RevertTiming>
  /** Tells a failed script's menu-only lines from commands (the lint's); without it the warning stays. */
  commandsBefore?: CommandsBefore
}

/**
 * An error before the script left: nothing reached the router. Retryable unless waiting cannot fix
 * it (credentials, TLS trust).
 */
export function outcomeBeforeScript(error: unknown): ExecutionOutcome {
  if (error instanceof RouterConnectionError) {
    if (error.kind === 'aborted') return { kind: 'canceled' }
    if (error.kind === 'auth') return { kind: 'not_delivered', error: jobError(error.message, 'auth'), retryable: false }
    if (error.kind === 'tls') return { kind: 'not_delivered', error: jobError(error.message, 'tls'), retryable: false }
    // Something that is not the RouterOS API answers on the port: waiting will not change that.
    if (error.kind === 'protocol') return { kind: 'not_delivered', error: jobError(error.message, 'connection'), retryable: false }
    return { kind: 'not_delivered', error: jobError(error.message, error.kind === 'timeout' ? 'timeout' : 'connection'), retryable: true }
  }
  return { kind: 'not_delivered', error: jobError((error as Error).message, 'internal'), retryable: false }
}

export class LanExecutor implements JobExecutor {
  private readonly timeouts: LanTimeouts

  constructor(private readonly deps: LanExecutorDeps) {
    this.timeouts = { ...defaultLanTimeouts, ...deps.timeouts }
  }

  /** Connects, backs up, arms the revert (reported through `armedBox`), runs the script. */
  private async deliver(run: JobRun, password: string, armedBox: { armed?: ArmedRevert }): Promise<ExecutionOutcome> {
    const { job, site, signal } = run
    const client = new RouterClient(routerOptionsFor(site, password, this.timeouts))
    let armed: ArmedRevert | undefined
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

      let backup: string | undefined
      if (job.should_backup) {
        try {
          const text = await takeExport(client, { fileName: `fieldjobs-backup-${job.token}`, timeoutMs: this.timeouts.commandMs })
          const saved = await this.deps.backups.record(site.id, text, this.deps.clock.now(), job.id)
          backup = text
          run.record({ associated_backup: saved.path })
          // The number first: it is what `backup diff` takes.
          run.progress(`backup ${saved.id} saved: ${saved.path}`)
        } catch (error) {
          if (signal.aborted) return { kind: 'canceled' }
          if (error instanceof RouterConnectionError) return outcomeBeforeScript(error)
          const reason = error instanceof BackupError ? error.message : afterSendError(error, 'the export failed').message
          return {
            kind: 'failed',
            error: jobError(`backup failed, so the script was not run: ${reason}`, 'router'),
          }
        }
      }

      if (job.revert_after_s !== null) {
        try {
          armed = await armRevert(client, {
            token: job.token,
            revertAfterS: job.revert_after_s,
            clock: this.deps.clock,
            timeoutMs: this.timeouts.commandMs,
            baseline: backup,
          })
          run.progress(`snapshot ${armed.snapshotFile} taken; the router restores it at ${armed.routerRestoreTime} (router time) unless the app confirms`)
        } catch (error) {
          await disarmQuietly(client, job.token)
          if (signal.aborted) return { kind: 'canceled' }
          if (error instanceof RouterConnectionError) return outcomeBeforeScript(error)
          return {
            kind: 'failed',
            error: jobError(`could not arm the revert, so the script was not run: ${afterSendError(error, 'the router refused').message}`, 'router'),
          }
        }
      }

      signal.removeEventListener('abort', closeOnAbort)
      if (signal.aborted) {
        if (armed) await disarmQuietly(client, job.token)
        return { kind: 'canceled' }
      }
      armedBox.armed = armed
      const delivered = await deliverScript(client, {
        script: job.script,
        name: `fieldjobs-${job.token}`,
        // With a revert armed the app must know when the script has finished: confirming while a
        // background script still runs would confirm a change not yet made.
        needsAcknowledgement: job.needs_acknowledgement || armed !== undefined,
        signal,
        runTimeoutMs: this.timeouts.scriptMs,
        progress: (message) => run.progress(message),
        commandsBefore: this.deps.commandsBefore,
      })
      if (backup !== undefined && delivered.kind === 'completed') await this.afterSnapshot(run, client)
      return delivered
    } finally {
      signal.removeEventListener('abort', closeOnAbort)
      // The outcome is known: say goodbye without waiting for the router's side of the close, a
      // round trip that held the site's slot and nothing else (close never rejects; a router that
      // never answers is cut after a second).
      void client.close()
    }
  }

  /**
   * The configuration the script left, recorded beside the backup from before, so "what did this
   * job change" is the diff of the two. Only after a script that completed: after a failure the
   * router holds part of a change, and the next scheduled or manual backup records that. A failed
   * snapshot is said and does not fail the job: the change is made either way.
   */
  private async afterSnapshot(run: JobRun, client: RouterClient): Promise<void> {
    try {
      const text = await takeExport(client, { fileName: `fieldjobs-after-${run.job.token}`, timeoutMs: this.timeouts.commandMs })
      const saved = await this.deps.backups.record(run.site.id, text, this.deps.clock.now(), run.job.id)
      run.progress(`after-snapshot saved as backup ${saved.id}: ${saved.path}`)
    } catch (error) {
      run.progress(`no after-snapshot: ${(error as Error).message}`)
    }
  }

  /** Runs the job; for a commit-confirmed one, then confirms or waits for the router's restore. */
  async execute(run: JobRun): Promise<ExecutionOutcome> {
    const { site, signal } = run
    if (signal.aborted) return { kind: 'canceled' }
    // Said by the process that runs the job, once: another process hears of the start too.
    if (site.tls && site.allow_anonymous_dh) run.progress(ANONYMOUS_DH_WARNING)
    // Read once: the read may start the OS keyring's tool, and the revert's later connections use it too.
    let password: string
    try {
      password = this.deps.sitePassword(site)
    } catch (error) {
      return { kind: 'not_delivered', retryable: false, error: jobError((error as Error).message, 'auth') }
    }
    const armedBox: { armed?: ArmedRevert } = {}
    const delivered = await this.deliver(run, password, armedBox)
    const armed = armedBox.armed
    if (!armed || run.job.revert_after_s === null) return delivered
    const settlement = await settleRevert(armed, run.job.revert_after_s * 1000, {
      connect: async (connectMs) => {
        const client = new RouterClient(routerOptionsFor(site, password, { ...this.timeouts, connectMs: Math.max(1, Math.min(connectMs, this.timeouts.connectMs)) }))
        try {
          await client.connect()
          return client
        } catch (error) {
          await client.close()
          throw error
        }
      },
      clock: this.deps.clock,
      sleep: this.deps.sleep ?? ((ms, sleepSignal) => abortableDelay(ms, sleepSignal).catch(() => {})),
      progress: (message) => run.progress(message),
      signal,
      timing: { ...defaultRevertTiming, ...this.deps.revertTiming },
      commandMs: this.timeouts.commandMs,
    })
    return revertOutcome(delivered, settlement, armed, run.job.revert_after_s)
  }
}
