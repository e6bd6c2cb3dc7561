// The running app behind the contract, shared by the Electron main process and `fieldjobs serve`:
// the core plus the services only a running app has (queue with the LAN executor, site health,
// batches, and the cloud sync once it is part of the runtime). Both hosts call this one function,
// so the window behaves the same in both.
import type { Job } from '../contract/job-schema'
import type { FieldjobsCore } from '../core/app/fieldjobs-core'
import { type RuntimeOptions, startRuntime } from '../core/app/runtime'
import type { ApiRuntime } from './api-handlers'

export interface RunningApi {
  runtime: ApiRuntime
  /** Jobs a dead process left running, now `unknown`: the window shows them as such. */
  reconciled: Job[]
  /** Stops taking work and settles in-flight jobs; the caller closes the core afterwards. */
  stop(): Promise<void>
}

export function startApiRuntime(core: FieldjobsCore, options: RuntimeOptions = {}): RunningApi {
  const runtime = startRuntime(core, options)
  return {
    // status:get answers `unavailable` until the runtime carries the cloud sync's status
    // (core/cloud/app-status.ts); the lead wires it here.
    runtime: { core, health: runtime.health, batches: runtime.batches },
    reconciled: runtime.reconciled,
    stop: () => runtime.stop(),
  }
}
