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
import { warnOnAnonymousDh } from '../routeros/site-trust'
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
  /** Undefined when turned off; `configured: false` when no cloud token is set. */
  readonly cloud: CloudSyncHandle | undefined
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
  const unwarn = warnOnAnonymousDh(core)
  services.push({ name: 'anonymous-dh-warning', stop: async () => unwarn() })

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
  const probing = health.startProbing(options.probeIntervalS ?? settings.probe_interval_s)
  services.push({ name: 'health-probe', stop: () => probing.stop() })

  const backupSchedule = new BackupSchedule(core, options.backupIntervalH ?? settings.backup_interval_h)
  if (options.backupTimer !== false) {
    const scheduled = backupSchedule.start()
    services.push({ name: 'backup-schedule', stop: () => scheduled.stop() })
  }

  const cloud = options.cloud === false ? undefined : startCloudSync(core, options.cloud)
  if (cloud) services.push({ name: 'cloud-sync', stop: () => cloud.stop() })

  let stopping: Promise<void> | undefined
  return {
    engine,
    reconciled,
    health,
    batches,
    backupSchedule,
    cloud,
    stop(how = {}) {
      // Last started, first stopped: the cloud sync (pushed later) stops before the queue.
      stopping ??= (async () => {
        for (const service of [...services].reverse()) await service.stop(how)
      })()
      return stopping
    },
  }
}
