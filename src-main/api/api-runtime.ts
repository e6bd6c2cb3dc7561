// The running app behind the contract, shared by the Electron main process and `fieldjobs serve`:
// the core plus the services only a running app has (queue with the LAN executor, cloud sync, site
// health, batches). Both hosts call this one function, so the window behaves the same in both.
import type { FieldjobsCore } from '../core/app/fieldjobs-core'
import type { ApiRuntime } from './api-handlers'

export interface RunningApi {
  runtime: ApiRuntime
  /** Stops taking work and settles in-flight jobs; the caller closes the core afterwards. */
  stop(): Promise<void>
}

export async function startApiRuntime(core: FieldjobsCore): Promise<RunningApi> {
  // TODO(lead): wire core/app/runtime.ts `startRuntime` (queue + LAN executor + cloud sync) and the
  // health, batch and status services here once they land; until then those channels answer
  // `unavailable` and jobs wait in the queue.
  return {
    runtime: { core },
    async stop() {},
  }
}
