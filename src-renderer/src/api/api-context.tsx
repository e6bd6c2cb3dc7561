// The window reaches the core only through the typed contract. Components take the api from this
// context (never from `window` directly), so tests hand them an in-memory fake built from the same
// contract and the browser build hands them the HTTP transport.
import { createContext, useContext, useEffect, useRef } from 'react'
import type { CoreEvent } from '../../../src-main/contract/events'
import type { FieldjobsApi } from '../../../src-main/contract/ipc-contract'

const ApiContext = createContext<FieldjobsApi | null>(null)

export const ApiProvider = ApiContext.Provider

export function useApi(): FieldjobsApi {
  const api = useContext(ApiContext)
  if (!api) throw new Error('useApi needs an <ApiProvider>: mount <App api={...}/>')
  return api
}

/** Calls `listener` for every core event while the component is mounted; the latest listener wins. */
export function useCoreEvents(listener: (event: CoreEvent) => void): void {
  const api = useApi()
  const latest = useRef(listener)
  latest.current = listener
  useEffect(() => api.onEvent((event) => latest.current(event)), [api])
}
