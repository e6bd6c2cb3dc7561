// The one door every transport goes through: IPC (Electron main), HTTP (the browser bridge) and the
// in-memory pair in tests. It refuses channels the contract does not name and returns the IpcResult
// envelope, never a thrown error; each handler validates its own payload with the contract's schema.
import { type IpcChannel, type IpcResult, ipcContract, ipcFailure } from '../contract/ipc-contract'
import type { ApiHandlers } from './api-handlers'
import { toIpcError } from './ipc-error'

function isIpcChannel(channel: unknown): channel is IpcChannel {
  return typeof channel === 'string' && Object.hasOwn(ipcContract, channel)
}

export async function dispatch(handlers: ApiHandlers, channel: string, payload: unknown): Promise<IpcResult<IpcChannel>> {
  if (!isIpcChannel(channel)) {
    return ipcFailure('unknown_channel', `no such call: ${JSON.stringify(channel).slice(0, 80)}`)
  }
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>
    // An absent payload is an empty request, so `settings:get` needs no `{}` over HTTP.
    const value = await handler(payload ?? {})
    return { ok: true, value } as IpcResult<IpcChannel>
  } catch (error) {
    return { ok: false, error: toIpcError(error) }
  }
}
