// `fieldjobs sync [--once]`: pushes jobs to the SDX cloud and polls their state. Without --once it
// keeps going until interrupted; with --once it does what there is to do now (every create and
// cancel, one poll of each job the cloud holds) and exits. The API URL and token come from the
// settings, overridden by FIELDJOBS_API_URL and FIELDJOBS_API_TOKEN; the token is never printed. A
// long-running sync restarts with the new URL or token when they are saved elsewhere.
import { type OtherWritersWatch, watchOtherWriters } from '../../core/app/other-writers'
import { type CloudSyncHandle, startCloudSync } from '../../core/cloud/start-cloud-sync'
import { NO_TOKEN_MESSAGE } from '../../core/cloud/cloud-config'
import type { SyncRoundSummary } from '../../core/cloud/sync-engine'
import { FieldjobsError } from '../../core/errors'
import { startRuntimeLog } from '../../core/log/runtime-log'
import type { CliCommand } from '../io'
import { withCore } from '../open-core'
import { integerOption, parseCommand, printJson } from '../options'
import { untilInterrupted } from '../until-interrupted'
import { counted } from '../../contract/counted'

const usage = 'fieldjobs sync [--once] [--concurrency N] [--poll-interval S] [--data-dir DIR] [--json]'

export const syncCommand: CliCommand = async (args, io) => {
  const { values } = parseCommand(
    args,
    {
      once: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'poll-interval': { type: 'string' },
    },
    usage,
  )
  const concurrency = integerOption(values.concurrency, 'concurrency')
  const pollSeconds = integerOption(values['poll-interval'], 'poll-interval')
  return withCore(values['data-dir'], io, async (core) => {
    // Started before the sync, so the log sees its first round (<data-dir>/logs, secrets redacted).
    const log = startRuntimeLog(core, { env: io.env })
    const startSync = () =>
      startCloudSync(core, {
        env: io.env,
        start: !values.once,
        concurrency,
        pollIntervalMs: pollSeconds === undefined ? undefined : pollSeconds * 1000,
        log: values.json ? undefined : (line) => io.err(`${line}\n`),
      })
    const describe = (current: CloudSyncHandle) => `cloud ${current.config.baseUrl} (token ${current.config.tokenHint}, from the ${current.config.tokenSource})`
    let sync = startSync()
    let restarting: Promise<void> = Promise.resolve()
    let watch: OtherWritersWatch | undefined
    const unsubscribe: Array<() => void> = []
    try {
      if (!sync.configured || !sync.engine) throw new FieldjobsError('validation', NO_TOKEN_MESSAGE)
      if (!values.json) io.err(`${describe(sync)}\n`)
      if (values.once) {
        const summary = await sync.engine.runOnce(io.signal)
        if (values.json) printJson(io, summary)
        else io.out(describeRound(summary))
        return roundExitCode(summary, (line) => io.err(`${line}\n`))
      }
      unsubscribe.push(
        core.events.subscribe((event) => {
          if (event.type !== 'sync.status') return
          if (values.json) io.out(`${JSON.stringify(event)}\n`)
          else io.out(`${event.online === null ? 'not tried yet' : event.online ? 'online' : 'offline'}, ${event.waiting} waiting${event.last_error ? `: ${event.last_error}` : ''}\n`)
        }),
      )
      // A token or URL saved meanwhile (the window, `fieldjobs settings set` in another terminal)
      // takes effect now: without it, a rotated token would be refused until this is restarted.
      watch = watchOtherWriters(core)
      unsubscribe.push(
        core.events.subscribe((event) => {
          if (event.type !== 'settings.changed' || !event.cloud) return
          restarting = restarting.then(async () => {
            await sync.stop()
            sync = startSync()
            if (values.json) io.out(`${JSON.stringify({ type: 'sync.restarted', configured: sync.configured })}\n`)
            else io.err(sync.configured ? `${describe(sync)}: the cloud settings changed\n` : 'the cloud token was removed: nothing syncs until one is set\n')
          })
        }),
      )
      await untilInterrupted(io.signal)
      return 0
    } finally {
      watch?.stop()
      for (const stop of unsubscribe) stop()
      await restarting
      await sync.stop()
      log.stop()
    }
  })
}

function describeRound(summary: SyncRoundSummary): string {
  const parts = [
    `created ${summary.created}`,
    `polled ${summary.polled}`,
    `started ${summary.started}`,
    `finished ${summary.finished}`,
    `canceled ${summary.canceled}`,
  ]
  if (summary.cancel_refused) parts.push(`cancel refused ${summary.cancel_refused} (already started on the router)`)
  if (summary.rejected) parts.push(`refused by the cloud ${summary.rejected}`)
  let text = `${parts.join(', ')}\n`
  text += `${summary.on_cloud} on the cloud, not finished yet; ${summary.waiting} waiting to sync\n`
  if (summary.last_error) text += `the cloud gave no usable answer, jobs wait: ${summary.last_error}\n`
  return text
}

/**
 * `sync --once` for cron: 0 when the round did what it could and the rest only waits on the cloud
 * (no answer, a 5xx, rate limiting: the next round retries, nothing is lost), said on stderr; 1 only
 * for what the user must fix: a refused token, or jobs the cloud refused (their errors say why).
 */
export function roundExitCode(summary: SyncRoundSummary, say: (line: string) => void): number {
  if (summary.token_refused) {
    say(`the cloud refused the API token: change it (fieldjobs settings set cloud_token --value-env VAR, or FIELDJOBS_API_TOKEN); ${counted(summary.waiting, 'job')} waiting`)
    return 1
  }
  if (summary.rejected > 0) {
    say(`the cloud refused ${counted(summary.rejected, 'job')}: see their errors (fieldjobs job list --status failed)`)
    return 1
  }
  if (summary.last_error) say(`${counted(summary.waiting, 'job')} waiting on the cloud (${summary.last_error}); the next round tries again`)
  return 0
}