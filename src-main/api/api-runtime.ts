// The running app behind the contract, shared by the Electron main process and `fieldjobs serve`:
// the core plus the services only a running app has (queue with the LAN executor, site health,
// batches, cloud sync and its status). Both hosts call this one function, so the window behaves the
// same in both.
import type { Job } from '../contract/job-schema'
import type { FieldjobsCore } from '../core/app/fieldjobs-core'
import { type RuntimeOptions, startRuntime } from '../core/app/runtime'
import { readAppStatus } from '../core/cloud/app-status'
import type { CloudSyncOptions } from '../core/cloud/start-cloud-sync'
import type { ApiRuntime } from './api-handlers'
import { commandsBeforeFromLint } from '../lint/commands-before'

export interface RunningApi {
  runtime: ApiRuntime
  /** Jobs a dead process left running, now `unknown`: the window shows them as such. */
  reconciled: Job[]
  /** Stops taking work and settles in-flight jobs; the caller closes the core afterwards. */
  stop(): Promise<void>
}

export interface ApiRuntimeOptions extends RuntimeOptions {
  /** FIELDJOBS_API_URL / FIELDJOBS_API_TOKEN override the stored cloud settings. */
  env?: NodeJS.ProcessEnv
  /** Options for the cloud sync; `false` leaves it off (tests of the LAN side). */
  cloud?: Omit<CloudSyncOptions, 'env'> | false
}

export function startApiRuntime(core: FieldjobsCore, options: ApiRuntimeOptions = {}): RunningApi {
  const { env, cloud, ...runtimeOptions } = options
  // The runtime restarts the cloud sync when its URL or token changes (settings.changed).
  const runtime = startRuntime(core, {
    commandsBefore: commandsBeforeFromLint,
    ...runtimeOptions,
    cloud: cloud === false ? false : { ...cloud, env },
    env,
  })
  return {
    runtime: {
      core,
      health: runtime.health,
      batches: runtime.batches,
      status: { status: () => readAppStatus(core, runtime.cloud) },
      settingsApplied: () => runtime.settingsApplied(),
    },
    reconciled: runtime.reconciled,
    stop: () => runtime.stop(),
  }
}
