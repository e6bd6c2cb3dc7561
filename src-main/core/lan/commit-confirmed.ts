// Commit-confirmed ("revert after N seconds unless confirmed"), so a script that cuts the app off
// (API service disabled, management address moved, API port dropped in the firewall) cannot lock
// the engineer out. Before the script: a snapshot on the router and a one-shot scheduler that
// restores it at router-now + N. After the script: the app reaches the router on a NEW connection
// (the script's own connection may survive a firewall rule that only drops new ones); if it answers
// in time, the scheduler and the snapshot are removed (confirmed). If not, the router restores
// itself, and once the app reaches it again it checks that the configuration equals the one before
// the job and reports the job reverted.
//
// How the router restores, and why:
//   /export show-sensitive file=fieldjobs-revert-<token>        (v6: /export file=..., sensitive by default)
//   /system scheduler add start-date=.. start-time=.. interval=0s on-event=
//     "/system reset-configuration no-defaults=yes skip-backup=yes keep-users=yes run-after-reset=<snapshot>.rsc"
// An export lists what differs from the software defaults, so "reset to no defaults, then run the
// export" yields the same configuration, whatever the script changed (added, removed or moved).
// Rejected: `/import snap.rsc` onto the changed router fails on the first entry that already exists
// and cannot remove what the script added; `/system backup load` also reboots, but its binary file is
// opaque, tied to the device, and cannot be compared with anything by the app. This path works on
// RouterOS 6 and 7 alike and the lab models it exactly (scheduler.ts fires on the router's timers,
// reset-configuration + run-after-reset in model.ts), so the tests exercise the real commands.
// Known limits on a real router, said plainly: the reset reboots it (a minute or two offline); the
// snapshot restores what an export holds (not certificates, files, or user passwords, which
// keep-users keeps as they are); on devices whose root folder is RAM (16 MB flash models, where
// persistent files live under flash/), the snapshot file would not survive the reboot.
//
// A crash of the app inside the revert window leaves the job in progress; the queue's reconcile
// moves it to `unknown`. That is the truth: the router restores itself at the scheduled time unless
// someone removed the scheduler, and no one has looked since.
import type { Clock } from '../clock'
import type { RouterClient } from '../routeros/router-client'
import { isUnknownParameter, RouterConnectionError, RouterTrapError } from '../routeros/router-errors'
import { takeExport } from './router-backup'

export interface RevertTiming {
  /** Pause between attempts to reach the router. */
  retryMs: number
  /**
   * Stop trying to confirm this long before the scheduler fires, so a confirmation never races
   * the restore; capped at a third of the window (a 30 s window still gets 20 s to confirm).
   */
  confirmMarginMs: number
  /** After the scheduled restore, how long to keep trying to reach the router (a reboot takes minutes). */
  reachAfterRestoreMs: number
  /** Attempts to see the snapshot's configuration once the router answers (the restore may still run). */
  verifyAttempts: number
}

export const defaultRevertTiming: RevertTiming = { retryMs: 2_000, confirmMarginMs: 10_000, reachAfterRestoreMs: 10 * 60_000, verifyAttempts: 5 }

export class RevertSetupError extends Error {
  override name = 'RevertSetupError'
}

export interface ArmedRevert {
  readonly schedulerName: string
  /** The snapshot on the router, with its `.rsc`. */
  readonly snapshotFile: string
  /** The export before the job, as the app compares it after a restore. */
  readonly baseline: string
  /** When the router restores, on the app's clock (the earliest it may). */
  readonly restoreAt: number
  /** The same moment as the router prints it, for messages. */
  readonly routerRestoreTime: string
}

/** A job's scheduler and snapshot share one name; the router writes the snapshot's file with `.rsc`. */
function revertNames(token: string): { schedulerName: string; snapshotBase: string; snapshotFile: string } {
  const name = `fieldjobs-revert-${token}`
  return { schedulerName: name, snapshotBase: name, snapshotFile: `${name}.rsc` }
}

export function restoreCommand(snapshotFile: string): string {
  return `/system reset-configuration no-defaults=yes skip-backup=yes keep-users=yes run-after-reset=${snapshotFile}`
}

// --- router clock -------------------------------------------------------------------------------

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const pad = (n: number) => String(n).padStart(2, '0')

/**
 * The router's wall clock (`/system/clock` date and time, local time) as ms on a UTC scale, and
 * whether it prints ISO dates (7.10+) or `nov/22/2026`. Scheduler start times are in the same local
 * time, so the arithmetic needs no time zone (a DST change inside the window is not handled).
 */
export function parseRouterClock(date: string, time: string): { ms: number; iso: boolean } {
  const clock = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(time)
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  const old = /^([a-z]{3})\/(\d{1,2})\/(\d{4})$/i.exec(date)
  const month = old ? MONTHS.indexOf(old[1]!.toLowerCase()) : -1
  if (!clock || !(iso || (old && month >= 0))) throw new RevertSetupError(`the router's clock reads "${date} ${time}", which is not a date and time`)
  const day = iso ? Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])) : Date.UTC(Number(old![3]), month, Number(old![2]))
  return { ms: day + ((Number(clock[1]) * 60 + Number(clock[2])) * 60 + Number(clock[3])) * 1000, iso: Boolean(iso) }
}

export function schedulerStart(ms: number, iso: boolean): { 'start-date': string; 'start-time': string } {
  const d = new Date(ms)
  const date = iso
    ? `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
    : `${MONTHS[d.getUTCMonth()]}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`
  return { 'start-date': date, 'start-time': `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` }
}

/** An export without its leading comment lines (date, version, software id, model, serial). */
export function configurationBody(exportText: string): string {
  const lines = exportText.replace(/\r\n/g, '\n').split('\n')
  let start = 0
  while (start < lines.length && lines[start]!.startsWith('#')) start++
  return lines.slice(start).join('\n')
}

// --- before the script --------------------------------------------------------------------------

/**
 * Takes the snapshot and arms the restore. On failure nothing of the job has run yet. `baseline`:
 * an export just taken on this connection (the job's backup, taken by the same takeExport), so the
 * router need not export the same configuration twice in a row.
 */
export async function armRevert(
  client: RouterClient,
  options: { token: string; revertAfterS: number; clock: Clock; timeoutMs?: number; baseline?: string },
): Promise<ArmedRevert> {
  const { schedulerName, snapshotBase, snapshotFile } = revertNames(options.token)
  const timeoutMs = options.timeoutMs
  // A leftover of an earlier attempt of this job (its connection died while arming) would restore
  // the same configuration anyway; remove it so the name is free and only one restore is armed.
  const removedLeftover = await client.command('/system/scheduler/remove', { numbers: schedulerName }, { timeoutMs }).then(
    () => true,
    (error: unknown) => {
      ignoreTrap(error)
      return false
    },
  )

  // Removing a leftover changed the configuration (an export lists schedulers), so an
  // export taken before the removal is not the one a restore must give back.
  const baseline =
    options.baseline !== undefined && !removedLeftover
      ? options.baseline
      : await takeExport(client, { fileName: `fieldjobs-baseline-${options.token}`, timeoutMs })
  try {
    // v7 hides passwords and keys in exports unless asked: a restore without them would break
    // PPP, Wi-Fi and VPNs. v6 shows them by default and has no such parameter.
    await client.command('/export', { file: snapshotBase, 'show-sensitive': '' }, { timeoutMs })
  } catch (error) {
    if (!isUnknownParameter(error)) throw error
    await client.command('/export', { file: snapshotBase }, { timeoutMs })
  }
  const files = await client.print('/file/print', { '.proplist': 'name,size' }, { queries: [`name=${snapshotFile}`], timeoutMs })
  if (files.length === 0) throw new RevertSetupError(`the router wrote no snapshot ${snapshotFile}`)

  const before = options.clock.now()
  const [clock] = await client.print('/system/clock/print', {}, { timeoutMs })
  const routerNow = parseRouterClock(clock?.date ?? '', clock?.time ?? '')
  const start = schedulerStart(routerNow.ms + options.revertAfterS * 1000, routerNow.iso)
  await client.command(
    '/system/scheduler/add',
    {
      name: schedulerName,
      ...start,
      interval: '0s',
      'on-event': restoreCommand(snapshotFile),
      comment: `Fieldjobs job ${options.token}: restores the configuration from before the job unless the app confirms it`,
    },
    { timeoutMs },
  )
  return {
    schedulerName,
    snapshotFile,
    baseline,
    // The router's clock reads whole seconds, so it may fire up to a second before reading + N.
    restoreAt: before + options.revertAfterS * 1000 - 1000,
    routerRestoreTime: `${start['start-date']} ${start['start-time']}`,
  }
}

/** Best-effort removal after a failed arm, on the same connection (nothing of the job ran). */
export async function disarmQuietly(client: RouterClient, token: string): Promise<void> {
  const { schedulerName, snapshotFile } = revertNames(token)
  await client.command('/system/scheduler/remove', { numbers: schedulerName }, { timeoutMs: 10_000 }).catch(() => {})
  await client.command('/file/remove', { numbers: snapshotFile }, { timeoutMs: 10_000 }).catch(() => {})
}

// --- after the script ---------------------------------------------------------------------------

export type RevertSettlement =
  /** The router answered in time; scheduler and snapshot removed. `late`: it answered only after the restore time, and the scheduler had not fired. */
  | { kind: 'confirmed'; late: boolean }
  /** The router restored itself; its configuration equals the one before the job. */
  | { kind: 'reverted' }
  /** The scheduler fired (it is gone), but the configuration differs from the snapshot. */
  | { kind: 'restore-differs' }
  /** The router did not answer, neither in the window nor for reachAfterRestoreMs after it. */
  | { kind: 'unreachable' }
  /** Canceled or shutting down while the router did not answer: the scheduler stays armed. */
  | { kind: 'abandoned' }

export interface SettleDeps {
  /** A new, logged-in connection to the router, given at most `connectMs` to connect. */
  connect(connectMs: number): Promise<RouterClient>
  clock: Clock
  sleep(ms: number, signal: AbortSignal): Promise<void>
  progress(message: string): void
  /**
   * Once the script has been sent a cancel cannot unsend it. A cancel (or shutdown) during the
   * window gets one more attempt to confirm; if the router does not answer, the app stops waiting
   * and leaves the scheduler armed, so the router still restores itself: never a lockout.
   */
  signal: AbortSignal
  timing: RevertTiming
  commandMs: number
}

type Attempt = RevertSettlement | 'not-reached' | 'too-late'

export async function settleRevert(armed: ArmedRevert, windowMs: number, deps: SettleDeps): Promise<RevertSettlement> {
  const { clock, timing, signal } = deps
  const margin = Math.min(timing.confirmMarginMs, Math.floor(windowMs / 3))
  const confirmBy = armed.restoreAt - margin
  const giveUpAt = armed.restoreAt + timing.reachAfterRestoreMs

  // Until confirmBy: reach the router and remove the scheduler before it fires.
  for (;;) {
    const remaining = confirmBy - clock.now()
    if (remaining <= 0) break
    const result = await attempt(armed, deps, Math.min(remaining, 10_000), confirmBy)
    if (result !== 'not-reached' && result !== 'too-late') return result
    if (signal.aborted) return { kind: 'abandoned' }
    if (result === 'too-late') break
    await deps.sleep(Math.min(timing.retryMs, Math.max(0, confirmBy - clock.now())), signal)
  }

  // Too late to confirm safely: let the router restore, then reach it again and look.
  deps.progress(`the router did not answer after the script; it restores the configuration from before the job at ${armed.routerRestoreTime} (router time); waiting to reach it again`)
  const untilRestore = armed.restoreAt + 1000 + timing.retryMs - clock.now()
  if (untilRestore > 0) await deps.sleep(untilRestore, signal)
  if (signal.aborted) return { kind: 'abandoned' }
  while (clock.now() < giveUpAt) {
    const result = await attempt(armed, deps, 10_000, undefined)
    if (result !== 'not-reached' && result !== 'too-late') return result
    if (signal.aborted) return { kind: 'abandoned' }
    await deps.sleep(timing.retryMs, signal)
  }
  return { kind: 'unreachable' }
}

/** `confirmBy`: the last moment to confirm in the window; undefined once the restore time has passed. */
async function attempt(armed: ArmedRevert, deps: SettleDeps, connectMs: number, confirmBy: number | undefined): Promise<Attempt> {
  let client: RouterClient
  try {
    client = await deps.connect(connectMs)
  } catch (error) {
    deps.progress(`the router does not answer yet: ${(error as Error).message}`)
    return 'not-reached'
  }
  try {
    const timeoutMs = deps.commandMs
    const [entry] = await client.print('/system/scheduler/print', { '.proplist': '.id,name,run-count' }, { queries: [`name=${armed.schedulerName}`], timeoutMs })
    const fired = entry === undefined || Number(entry['run-count'] ?? '0') > 0
    if (!fired) {
      // Confirming in the last seconds before the restore would race it (the reset may already run).
      if (confirmBy !== undefined && deps.clock.now() >= confirmBy) return 'too-late'
      try {
        await client.command('/system/scheduler/remove', { numbers: armed.schedulerName }, { timeoutMs })
        await client.command('/file/remove', { numbers: armed.snapshotFile }, { timeoutMs }).catch(ignoreTrap)
        // Said as it happens, as the snapshot was: an engineer watching `run` sees the change is kept.
        deps.progress('confirmed: the router answered after the script; the revert is canceled and the change stays')
        return { kind: 'confirmed', late: confirmBy === undefined }
      } catch (error) {
        // Gone between print and remove: it fired; look at what it restored.
        if (!(error instanceof RouterTrapError)) throw error
      }
    }
    return await verifyRestore(client, armed, deps)
  } catch (error) {
    if (error instanceof RouterConnectionError) {
      deps.progress(`lost the router again: ${error.message}`)
      return 'not-reached'
    }
    throw error
  } finally {
    await client.close()
  }
}

/** The scheduler fired: the configuration should be the snapshot's (the restore may still be running). */
async function verifyRestore(client: RouterClient, armed: ArmedRevert, deps: SettleDeps): Promise<RevertSettlement> {
  const expected = configurationBody(armed.baseline)
  for (let tries = 1; ; tries++) {
    const now = await takeExport(client, { fileName: `fieldjobs-check-${armed.schedulerName}`, timeoutMs: deps.commandMs })
    if (configurationBody(now) === expected) {
      await client.command('/file/remove', { numbers: armed.snapshotFile }, { timeoutMs: deps.commandMs }).catch(ignoreTrap)
      return { kind: 'reverted' }
    }
    if (tries >= deps.timing.verifyAttempts) return { kind: 'restore-differs' }
    await deps.sleep(deps.timing.retryMs, deps.signal)
  }
}

function ignoreTrap(error: unknown): void {
  if (!(error instanceof RouterTrapError)) throw error
}
