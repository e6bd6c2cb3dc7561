// What runs while Fieldjobs is "on" (the desktop app, `fieldjobs run`): the queue engine with the LAN
// executor, the batch watcher (progress, canaries), the periodic health probe, and later the cloud
// sync. Each part is a started service with stop(); add one by pushing onto `services`.
import type { Job } from '../../contract/job-schema'
import { BackupSchedule } from '../backups/backup-schedule'
import { BatchService } from '../batch/batch-service'
import { watchOtherWriters } from './other-writers'
import { JobProgressStore } from '../store/job-progress-store'
import { type CloudSyncHandle, type CloudSyncOptions, startCloudSync } from '../cloud/start-cloud-sync'
import { SiteHealth } from '../health/site-health'
import { LanExecutor } from '../lan/lan-executor'
import type { CommandsBefore } from '../lan/script-failure'
import { startRuntimeLog } from '../log/runtime-log'
import type { JobExecutor } from '../queue/executor'
import type { QueueEngine } from '../queue/queue-engine'
import type { FieldjobsCore } from './fieldjobs-core'

/** How a runtime stops: how long it waits for running jobs, and a signal to stop waiting. */
export interface RuntimeStopOptions {
  /** Default: the runtime's stopGraceMs (10 s); Infinity waits for as long as the jobs run. */
  graceMs?: number
  /** Aborted: stop waiting now; running jobs are left to be reconciled as unknown. */
  abandon?: AbortSignal
}

interface RuntimeService {
  readonly name: string
  stop(how: RuntimeStopOptions): Promise<void>
}

export interface RuntimeOptions {
  /** How often to look for other processes' writes (other-writers.ts). Default 500 ms. */
  otherWritersMs?: number
  /** Default: the LAN executor over the core's sites, secrets and backups. */
  executor?: JobExecutor
  /** For the default executor: tells a failed script's menu-only lines from commands (src-main/lint/commands-before.ts). */
  commandsBefore?: CommandsBefore
  /** Default: settings.concurrency. */
  concurrency?: number
  /** Default: settings.probe_interval_s; 0 turns the probe off. */
  probeIntervalS?: number
  /** Default: settings.backup_interval_h; 0 turns scheduled backups off. */
  backupIntervalH?: number
  /** false: the schedule is not started (`run --once` takes what is due itself). */
  backupTimer?: boolean
  /** How long stop() waits for running jobs (default 10 s). */
  stopGraceMs?: number
  /** The cloud sync (pass `env` for FIELDJOBS_API_URL/TOKEN to override the settings); false: off. */
  cloud?: CloudSyncOptions | false
  /** The environment whose FIELDJOBS_API_TOKEN the log redacts when the cloud sync runs elsewhere. */
  env?: NodeJS.ProcessEnv
}

export interface Runtime {
  readonly engine: QueueEngine
  /** Jobs a dead process left running, now `unknown` (say so to the engineer). */
  readonly reconciled: Job[]
  readonly health: SiteHealth
  readonly batches: BatchService
  readonly backupSchedule: BackupSchedule
  /**
   * Undefined when turned off; `configured: false` when no cloud token is set. A new handle after
   * the cloud URL or token changed: read it each time, do not keep it.
   */
  readonly cloud: CloudSyncHandle | undefined
  /** Settles once the settings saved last (settings.changed, from any process) are in use. */
  settingsApplied(): Promise<void>
  stop(how?: RuntimeStopOptions): Promise<void>
}

/** `commandsBefore`: the lint's port (src-main/lint/commands-before.ts), which the core cannot import. */
export function lanExecutorFor(core: FieldjobsCore, commandsBefore?: CommandsBefore): LanExecutor {
  return new LanExecutor({ sitePassword: (site) => core.sitePassword(site), backups: core.backups, clock: core.clock, commandsBefore })
}

export function startRuntime(core: FieldjobsCore, options: RuntimeOptions = {}): Runtime {
  const settings = core.settings.get()
  const services: RuntimeService[] = []

  // First started, last stopped: the log sees every other service's events (<data-dir>/logs).
  const log = startRuntimeLog(core, { env: options.cloud ? options.cloud.env : options.env })
  services.push({ name: 'log', stop: async () => log.stop() })

  // What each job says while it runs, kept for its detail after a restart.
  const unrecord = new JobProgressStore(core.db).record((listener) => core.events.subscribe(listener))
  services.push({ name: 'job-progress', stop: async () => unrecord() })

  // Jobs and sites written by other processes on this data folder, announced as this process's are.
  const otherWriters = watchOtherWriters(core, options.otherWritersMs)
  services.push({ name: 'other-writers', stop: async () => otherWriters.stop() })

  // The batch watcher subscribes before the engine starts, so no job event is missed.
  const batches = new BatchService(core)
  const unwatch = batches.watch()
  services.push({ name: 'batches', stop: async () => unwatch() })

  const { engine, reconciled } = core.startQueue(options.executor ?? lanExecutorFor(core, options.commandsBefore), {
    concurrency: options.concurrency ?? settings.concurrency,
  })
  services.push({ name: 'queue', stop: (how) => engine.stop(how.graceMs ?? options.stopGraceMs, how.abandon) })

  const health = new SiteHealth(core)
  let probeIntervalS = options.probeIntervalS ?? settings.probe_interval_s
  let probing = health.startProbing(probeIntervalS)
  services.push({ name: 'health-probe', stop: () => probing.stop() })

  let backupIntervalH = options.backupIntervalH ?? settings.backup_interval_h
  const backupSchedule = new BackupSchedule(core, backupIntervalH)
  let scheduled = options.backupTimer === false ? undefined : backupSchedule.start()
  services.push({ name: 'backup-schedule', stop: async () => scheduled?.stop() })

  const startSync = () => (options.cloud === false ? undefined : startCloudSync(core, options.cloud))
  let cloud = startSync()
  services.push({ name: 'cloud-sync', stop: async () => cloud?.stop() })

  // Saved settings take effect now, not at the next start: from the window, `fieldjobs settings
  // set` in another terminal (other-writers.ts announces it) or any process on the data folder. A
  // value the caller fixed in the options stays fixed. One change at a time, in order.
  let applying: Promise<void> = Promise.resolve()
  const apply = async (cloudChanged: boolean) => {
    const now = core.settings.get()
    if (options.concurrency === undefined) engine.setConcurrency(now.concurrency)
    if (options.probeIntervalS === undefined && now.probe_interval_s !== probeIntervalS) {
      probeIntervalS = now.probe_interval_s
      await probing.stop()
      probing = health.startProbing(probeIntervalS)
    }
    if (options.backupIntervalH === undefined && now.backup_interval_h !== backupIntervalH) {
      backupIntervalH = now.backup_interval_h
      backupSchedule.setIntervalH(backupIntervalH)
      if (scheduled) {
        // Not awaited: a round of backups may take minutes, and the new timer's first look joins it
        // instead of starting a second (runDue); stop() below still waits for it.
        void scheduled.stop()
        scheduled = backupSchedule.start()
      }
    }
    if (cloudChanged && options.cloud !== false) {
      await cloud?.stop()
      cloud = startSync()
      // The status bar learns the new state (configured or not) from this, as from any sync round.
      if (cloud) core.events.publish({ type: 'sync.status', ...cloud.status() })
    }
  }
  const unapply = core.events.subscribe((event) => {
    if (event.type !== 'settings.changed') return
    // A failure (a keyring that cannot be read for the new token) leaves the old service running.
    applying = applying.then(() => apply(event.cloud)).catch((error: unknown) => {
      log.log.write('error', 'settings.not_applied', { error: (error as Error).message })
    })
  })
  // Pushed last, so stopped first: no change starts a service that is being stopped.
  services.push({
    name: 'live-settings',
    stop: async () => {
      unapply()
      await applying
    },
  })

  let stopping: Promise<void> | undefined
  return {
    engine,
    reconciled,
    health,
    batches,
    backupSchedule,
    get cloud() {
      return cloud
    },
    settingsApplied: () => applying,
    stop(how = {}) {
      // Last started, first stopped: the cloud sync (pushed later) stops before the queue.
      stopping ??= (async () => {
        for (const service of [...services].reverse()) await service.stop(how)
      })()
      return stopping
    },
  }
}
