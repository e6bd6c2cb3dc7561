// `fieldjobs run [--once]`: runs queued jobs on their routers (LAN), probes site health, and prints
// what happens. `--once` works until nothing is runnable now, then exits; otherwise it runs until
// interrupted (Ctrl-C).
import type { CoreEvent } from '../../contract/events'
import type { Backup } from '../../contract/ipc-contract'
import type { SettingValues } from '../../core/settings/settings-store'
import { startRuntime } from '../../core/app/runtime'
import { errorPosition, jobLine } from '../format'
import type { CliCommand, CliIo } from '../io'
import { withCore } from '../open-core'
import { parseCommand } from '../options'
import { untilInterrupted } from '../until-interrupted'
import { commandsBeforeFromLint } from '../../lint/commands-before'
import { counted } from '../../contract/counted'

const usage = 'fieldjobs run [--once] [--data-dir DIR] [--json]'

/** What one `run` did to the jobs it ran, for the closing summary. */
interface RoundOutcome {
  completed: number
  failed: number
  canceled: number
}

/** Statuses that count as a failure in the summary and the exit code: the engineer must look. */
const FAILED_STATUSES = new Set(['failed', 'unknown', 'reverted'])

export const runCommand: CliCommand = async (args, io) => {
  const { values } = parseCommand(args, { once: { type: 'boolean', default: false } }, usage)
  return withCore(values['data-dir'], io, async (core) => {
    const siteNames = new Map(core.siteStore.list().map((site) => [site.id, site.name]))
    // Progress events name the job by id; the engineer knows it by its token (seen when it started).
    const tokens = new Map<string, string>()
    const outcome: RoundOutcome = { completed: 0, failed: 0, canceled: 0 }
    const unsubscribe = core.events.subscribe((event, origin) => {
      printEvent(io, event, values.json, siteNames, tokens)
      // Saved in the window or by `fieldjobs settings set` elsewhere: say what this run uses now.
      if (event.type === 'settings.changed' && !values.json) io.out(settingsInUse(core.settings.get(), event.cloud))
      // A backup of no job (the schedule's, or "Back up now" elsewhere); a job's own is one of its
      // progress lines. `--once` prints the schedule's backups itself, after taking them.
      if (event.type === 'backup.created' && event.backup.job_id === null && !values.once) {
        const name = siteNames.get(event.backup.site_id) ?? core.siteStore.nameOf(event.backup.site_id)
        if (values.json) io.out(`${JSON.stringify(event)}\n`)
        else io.out(backupLine(name, event.backup))
      }
      // The round's outcome is this process's: a job the app beside it failed is not this run's fault.
      if (event.type !== 'job.changed' || event.from === event.job.status || origin.elsewhere) return
      if (event.job.status === 'completed') outcome.completed += 1
      else if (event.job.status === 'canceled') outcome.canceled += 1
      else if (FAILED_STATUSES.has(event.job.status)) outcome.failed += 1
    })
    try {
      // The one-shot run does not probe: it exists to drain the queue. LAN and cloud work run together;
      // FIELDJOBS_API_URL / FIELDJOBS_API_TOKEN override the stored cloud settings.
      const runtime = startRuntime(core, {
        commandsBefore: commandsBeforeFromLint,
        ...(values.once ? { probeIntervalS: 0, backupTimer: false } : {}),
        cloud: { env: io.env, start: !values.once },
      })
      for (const job of runtime.reconciled) {
        if (values.json) io.out(`${JSON.stringify({ type: 'job.reconciled', job })}\n`)
        else
          io.out(
            `job ${job.token} (${siteNames.get(job.site_id) ?? job.site_id}): outcome unknown, Fieldjobs stopped while it ran; check the router before running it again\n`,
          )
      }
      if (values.once) {
        // Backups the schedule (backup_interval_h) says are due, so `run --once` from cron keeps the history.
        for (const result of await runtime.backupSchedule.runDue()) {
          if (values.json) io.out(`${JSON.stringify({ type: 'backup.scheduled', site: result.site.name, backup: result.backup ?? null, error: result.error ?? null })}\n`)
          else if (result.error !== undefined) io.out(`backup ${result.site.name}: failed: ${result.error}\n`)
          else io.out(backupLine(result.site.name, result.backup))
        }
        await Promise.race([runtime.engine.whenIdle(), untilAborted(io.signal)])
        // Jobs the LAN handed to the cloud (route auto, router silent) are pushed in the same run.
        if (runtime.cloud?.engine && !io.signal.aborted) await runtime.cloud.engine.runOnce(io.signal)
      } else {
        if (!values.json) io.out('running queued jobs; press Ctrl-C to stop\n')
        await untilInterrupted(io.signal)
      }
      const abandoned = await stopRuntime(runtime, io)
      if (abandoned > 0) {
        io.err(`abandoned ${counted(abandoned, 'running job')}: the next start marks them "outcome unknown"; check the router\n`)
        return ABANDONED_EXIT_CODE
      }
      if (!values.once) return 0
      return summarize(io, values.json, outcome, core.jobStore.countOpen())
    } finally {
      unsubscribe()
    }
  })
}

/** A second Ctrl-C left jobs running: 128 + SIGINT, as a shell reports a process stopped by it. */
const ABANDONED_EXIT_CODE = 130

/**
 * Stops the runtime, waiting for running jobs for as long as they run (their outcome is worth the
 * wait: an abandoned job becomes "outcome unknown" although the router may have finished it). A
 * second signal stops the wait. Returns how many jobs were left running.
 */
async function stopRuntime(runtime: ReturnType<typeof startRuntime>, io: CliIo): Promise<number> {
  const running = runtime.engine.runningCount
  if (running > 0) {
    const again = io.abandon ? ' (Ctrl-C again to abandon)' : ''
    io.err(`stopping: waiting for ${counted(running, 'running job')}${again}\n`)
  }
  await runtime.stop({ graceMs: Number.POSITIVE_INFINITY, ...(io.abandon ? { abandon: io.abandon } : {}) })
  return runtime.engine.runningCount
}

/**
 * Ends `run --once` with "N completed, N failed, N waiting" on stderr (and a `run.summary` line with
 * --json). Exit 1 when a job failed in this round, as ansible-playbook does when a host fails; jobs
 * still waiting (a retry after a silent router, the cloud, a later start) are not a fault: exit 0.
 */
function summarize(io: CliIo, json: boolean, outcome: RoundOutcome, open: { pending: number; in_progress: number; canceling: number }): number {
  const waiting = open.pending + open.in_progress + open.canceling
  const canceled = outcome.canceled > 0 ? `, ${outcome.canceled} canceled` : ''
  io.err(`${outcome.completed} completed, ${outcome.failed} failed${canceled}, ${waiting} waiting\n`)
  if (json) io.out(`${JSON.stringify({ type: 'run.summary', ...outcome, waiting })}\n`)
  return outcome.failed > 0 ? 1 : 0
}

const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })))

/** How `run` says a backup was taken: `backup SITE: changed|unchanged NUMBER PATH`. */
const backupLine = (siteName: string, backup: Backup) => `backup ${siteName}: ${backup.changed ? 'changed' : 'unchanged'} ${backup.id} ${backup.path}\n`

/** The line `run` prints when the settings change: the values it applies from now on. */
export function settingsInUse(settings: SettingValues, cloud: boolean): string {
  const every = (value: number, unit: string) => (value > 0 ? `every ${value} ${unit}` : 'off')
  return (
    `settings changed: concurrency ${settings.concurrency}, probe ${every(settings.probe_interval_s, 's')}, ` +
    `backups ${every(settings.backup_interval_h, 'h')}${cloud ? ', cloud sync restarted with the new URL or token' : ''}\n`
  )
}

/** Prints one core event as `run` shows it. Exported for tests. */
export function printEvent(io: CliIo, event: CoreEvent, json: boolean, siteNames: Map<string, string>, tokens: Map<string, string>): void {
  if (json) {
    if (event.type.startsWith('job.') || event.type.startsWith('batch.') || event.type === 'site.health' || event.type === 'settings.changed') {
      io.out(`${JSON.stringify(event)}\n`)
    }
    return
  }
  switch (event.type) {
    case 'job.created':
      // Not printed (the job shows when it starts), but its lines may come first: a job another
      // process created and runs is heard of with what it said, before its next change.
      tokens.set(event.job.id, event.job.token)
      return
    case 'job.changed': {
      tokens.set(event.job.id, event.job.token)
      if (event.from === event.job.status) return
      let line = jobLine(event.job, siteNames.get(event.job.site_id)).replace(/\n$/, '')
      if (event.job.error && event.job.status !== 'in_progress') {
        line += `\t${event.job.error.message}${errorPosition(event.job.error)}`
      }
      if (event.job.associated_backup && event.job.status === 'completed') line += `\tbackup ${event.job.associated_backup}`
      io.out(`${line}\n`)
      return
    }
    case 'job.progress':
      io.out(`  ${tokens.get(event.job_id) ?? event.job_id.slice(0, 8)}  ${event.message}\n`)
      return
    case 'batch.progress':
      io.out(`batch ${event.batch_id.slice(0, 8)}: ${event.done}/${event.total} done, ${event.failed} failed\n`)
      return
    default:
      return
  }
}
