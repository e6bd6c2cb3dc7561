// The object the preload exposes as `window.api`, built from the contract's channel list: one named
// function per channel plus onEvent. It never hands out ipcRenderer, the IPC event object, or a
// generic invoke(channel), so a compromised page can call exactly the contract and nothing more.
//
// Important: a failed call rejects with the plain IpcError object ({ code, message, issues }), not an
// Error. contextBridge copies only an Error's message into the page, so the code and the per-field
// issues would be lost; a plain object crosses whole (the renderer's error-message.ts reads both).
import type { CoreEvent } from '../contract/events'
import { EVENT_CHANNEL, type FieldjobsApi, type IpcChannel, type IpcResult, ipcChannels } from '../contract/ipc-contract'

/** The part of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

export function buildPreloadApi(ipcRenderer: IpcRendererLike): FieldjobsApi {
  const api: Record<string, unknown> = {}
  for (const channel of ipcChannels) {
    // Exactly one argument crosses: extra arguments from the page are dropped here.
    api[channel] = async (request?: unknown) => {
      const result = (await ipcRenderer.invoke(channel, request ?? {})) as IpcResult<IpcChannel>
      if (result.ok) return result.value
      throw { code: result.error.code, message: result.error.message, issues: result.error.issues ?? [] }
    }
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
  return Object.freeze(api) as FieldjobsApi
}
