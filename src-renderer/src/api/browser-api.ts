// The api for a plain browser tab (`fieldjobs serve`): the HTTP + WebSocket transport in
// ../transport, imported lazily so the Electron window (which has window.api) never loads it.
import type { FieldjobsApi } from '../../../src-main/contract/ipc-contract'

export async function loadBrowserApi(): Promise<FieldjobsApi> {
  const { createBrowserApi } = await import('../transport')
  return createBrowserApi()
}
