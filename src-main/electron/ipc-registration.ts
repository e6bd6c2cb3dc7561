// Registers one ipcMain handler per contract channel, through an injected IpcMainLike so the wiring
// is tested in Node with a fake (Bruno's registerSQLiteIpc). Main validates twice: the sender (the
// frame is our own top-level page) and the payload (the handler parses it with the contract).
import type { CoreEvent } from '../contract/events'
import { EVENT_CHANNEL, type IpcChannel, type IpcResult, ipcChannels, ipcFailure } from '../contract/ipc-contract'
import type { ApiHandlers } from '../api/api-handlers'
import { dispatch } from '../api/dispatch'

/** The part of Electron's IpcMainInvokeEvent we read. */
export interface IpcInvokeEventLike {
  senderFrame: { url: string; parent: unknown | null } | null
}

/** The part of Electron's ipcMain we use. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export interface RegistrationOptions {
  /** Is this frame URL our page? (security.ts isTrustedSender, bound to our origins.) */
  isTrustedSender(url: string): boolean
  /** Told about each refused call, for the log; never about payloads (they may hold passwords). */
  onRefused?(channel: string, senderUrl: string | undefined): void
}

/** Registers every contract channel; returns a function that removes them all again. */
export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: ApiHandlers, options: RegistrationOptions): () => void {
  for (const channel of ipcChannels) {
    ipcMain.handle(channel, async (event, payload): Promise<IpcResult<IpcChannel>> => {
      const frame = event?.senderFrame
      // Only our own top-level page may call: not an iframe, not a page we were navigated away to.
      if (!frame || frame.parent || !options.isTrustedSender(frame.url)) {
        options.onRefused?.(channel, frame?.url)
        return ipcFailure('forbidden', `${channel} refused: the caller is not the Fieldjobs window`)
      }
      return dispatch(handlers, channel, payload)
    })
  }
  return () => {
    for (const channel of ipcChannels) ipcMain.removeHandler(channel)
  }
}

/** Pushes every core event to the window on EVENT_CHANNEL; returns the unsubscribe function. */
export function forwardCoreEvents(
  subscribe: (listener: (event: CoreEvent) => void) => () => void,
  send: (channel: typeof EVENT_CHANNEL, event: CoreEvent) => void,
): () => void {
  return subscribe((event) => send(EVENT_CHANNEL, event))
}
