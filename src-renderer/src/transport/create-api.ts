// Builds the typed `FieldjobsApi` the screens use from any function that carries one call of the
// contract and answers with the IpcResult envelope: the Electron preload, the browser bridge over
// HTTP, or an in-memory fake in component tests. One place turns an error envelope into a thrown
// ApiError, so every transport fails the same way.
import type { CoreEvent } from '../../../src-main/contract/events'
import {
  type ConnectionState,
  type FieldjobsApi,
  type IpcChannel,
  type IpcError,
  type IpcResult,
  ipcChannels,
} from '../../../src-main/contract/ipc-contract'

/** Carries one call and answers with the envelope; never throws for an error the core reports. */
export type InvokeFn = (channel: IpcChannel, payload: unknown) => Promise<IpcResult<IpcChannel>>

/** Subscribes to core events; returns the unsubscribe function. */
export type SubscribeFn = (listener: (event: CoreEvent) => void) => () => void

/** What a failed call throws: the core's code, its message for a person, and per-field issues. */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly code: string
  readonly issues: IpcError['issues']
  constructor(readonly channel: string, error: IpcError) {
    super(error.message)
    this.code = error.code
    this.issues = error.issues ?? []
  }

  /** The message for one form field (`description`, `site_ids`), if the core named it. */
  issueFor(path: string): string | undefined {
    return this.issues.find((issue) => issue.path === path)?.message
  }
}

export function createApi(
  invoke: InvokeFn,
  subscribe: SubscribeFn,
  onConnection?: (listener: (state: ConnectionState) => void) => () => void,
): FieldjobsApi {
  const api: Record<string, unknown> = {}
  for (const channel of ipcChannels) {
    api[channel] = async (request?: unknown) => {
      const result = await invoke(channel, request ?? {})
      if (!result.ok) throw new ApiError(channel, result.error)
      return result.value
    }
  }
  api.onEvent = (listener: (event: CoreEvent) => void) => subscribe(listener)
  if (onConnection) api.onConnection = onConnection
  return Object.freeze(api) as FieldjobsApi
}
