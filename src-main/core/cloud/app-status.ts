// The answer to the IPC call `status:get` (AppStatus in src-main/contract/ipc-contract.ts): the
// cloud's reachability and the queue's counts, in one small read.
import type { AppStatus } from '../../contract/ipc-contract'
import type { FieldjobsCore } from '../app/fieldjobs-core'
import { resolveCloudConfig } from './cloud-config'
import type { CloudSyncHandle } from './start-cloud-sync'

export function readAppStatus(core: FieldjobsCore, sync?: CloudSyncHandle): AppStatus {
  const counts = core.jobStore.countOpen()
  const status = sync?.status()
  return {
    cloud_online: status?.online ?? null,
    cloud_configured: sync ? sync.configured : resolveCloudConfig(core).token !== undefined,
    waiting_to_sync: status?.waiting ?? core.jobStore.countWaitingToSync(),
    running: counts.in_progress + counts.canceling,
    pending: counts.pending,
    last_sync_error: status?.last_error ?? null,
  }
}
