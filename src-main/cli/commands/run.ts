// `fieldjobs run [--once]`: runs queued jobs on their routers (LAN), probes site health, and prints
// what happens. `--once` works until nothing is runnable now, then exits; otherwise it runs until
// interrupted (Ctrl-C).
import type { CoreEvent } from '../../contract/events'
import { startRuntime } from '../../core/app/runtime'
import { errorPosition, jobLine } from '../format'
import type { CliCommand, CliIo } from '../io'
import { withCore } from '../open-core'
import { parseCommand } from '../options'
import { untilInterrupted } from '../until-interrupted'

const usage = 'fieldjobs run [--once] [--data-dir DIR] [--json]'

export const runCommand: CliCommand = async (args, io) => {
  const { values } = parseCommand(args, { once: { type: 'boolean', default: false } }, usage)
  return withCore(values['data-dir'], io, async (core) => {
    const siteNames = new Map(core.siteStore.list().map((site) => [site.id, site.name]))
    // Progress events name the job by id; the engineer knows it by its token (seen when it started).
    const tokens = new Map<string, string>()
    const print = (event: CoreEvent) => printEvent(io, event, values.json, siteNames, tokens)
    const unsubscribe = core.events.subscribe(print)
    try {
      // The one-shot run does not probe: it exists to drain the queue. LAN and cloud work run together;
      // FIELDJOBS_API_URL / FIELDJOBS_API_TOKEN override the stored cloud settings.
      const runtime = startRuntime(core, {
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
          else io.out(`backup ${result.site.name}: ${result.backup.changed ? 'changed' : 'unchanged'} ${result.backup.id} ${result.backup.path}\n`)
        }
        await runtime.engine.whenIdle()
        // Jobs the LAN handed to the cloud (route auto, router silent) are pushed in the same run.
        if (runtime.cloud?.engine) await runtime.cloud.engine.runOnce(io.signal)
      } else {
        if (!values.json) io.out('running queued jobs; press Ctrl-C to stop\n')
        await untilInterrupted(io.signal)
      }
      await runtime.stop()
      return 0
    } finally {
      unsubscribe()
    }
  })
}

/** Prints one core event as `run` shows it. Exported for tests. */
export function printEvent(io: CliIo, event: CoreEvent, json: boolean, siteNames: Map<string, string>, tokens: Map<string, string>): void {
  if (json) {
    if (event.type.startsWith('job.') || event.type.startsWith('batch.') || event.type === 'site.health') {
      io.out(`${JSON.stringify(event)}\n`)
    }
    return
  }
  switch (event.type) {
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
