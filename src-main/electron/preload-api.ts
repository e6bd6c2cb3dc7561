// The object the preload exposes as `window.api`, built from the contract's channel list: one named
// function per channel plus onEvent. It never hands out ipcRenderer, the IPC event object, or a
// generic invoke(channel), so a compromised page can call exactly the contract and nothing more.
// Calls resolve to the IpcResult envelope rather than throwing, because contextBridge copies only an
// Error's message: the code and issues would be lost. The renderer's transport (src-renderer/src/
// transport) unwraps the envelope into FieldjobsApi.
import type { CoreEvent } from '../contract/events'
import { EVENT_CHANNEL, type IpcChannel, type IpcRequest, type IpcResult, ipcChannels } from '../contract/ipc-contract'

export type PreloadApi = {
  readonly [C in IpcChannel]: (request?: IpcRequest<C>) => Promise<IpcResult<C>>
} & {
  readonly onEvent: (listener: (event: CoreEvent) => void) => () => void
}

/** The part of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

export function buildPreloadApi(ipcRenderer: IpcRendererLike): PreloadApi {
  const api: Record<string, unknown> = {}
  for (const channel of ipcChannels) {
    // Exactly one argument crosses: extra arguments from the page are dropped here.
    api[channel] = (request?: unknown) => ipcRenderer.invoke(channel, request ?? {})
  }
  api.onEvent = (listener: (event: CoreEvent) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function')
    // The IPC event (with its sender and ports) stays here; the page gets the core event only.
    const relay = (_event: unknown, coreEvent: unknown) => listener(coreEvent as CoreEvent)
    ipcRenderer.on(EVENT_CHANNEL, relay)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, relay)
    }
  }
  return Object.freeze(api) as PreloadApi
}
