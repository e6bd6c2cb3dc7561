/// <reference types="vite/client" />
// The api for a plain browser tab (`fieldjobs serve`): the transport another part of the renderer
// provides under ../transport/. Found through import.meta.glob so that a build without it (or a
// component test) still compiles; it is loaded only when the page has no `window.api`.
import type { FieldjobsApi } from '../../../src-main/contract/ipc-contract'

type TransportModule = Record<string, unknown>

const transports = import.meta.glob<TransportModule>('../transport/*.ts')

/** Names the transport may export its factory under; the first that is a function wins. */
const factoryNames = ['createBrowserApi', 'connectBrowserApi', 'browserApi', 'createHttpApi', 'default']

export async function loadBrowserApi(): Promise<FieldjobsApi> {
  for (const load of Object.values(transports)) {
    const module = await load()
    for (const name of factoryNames) {
      const factory = module[name]
      if (typeof factory === 'function') return (await factory()) as FieldjobsApi
    }
  }
  throw new Error('no window.api and no browser transport in this build: open Fieldjobs in its app, or run `fieldjobs serve`')
}
