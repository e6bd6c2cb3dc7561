// The window served the way `fieldjobs serve` serves it: the built renderer and the contract over
// the browser bridge (HTTP + WebSocket on 127.0.0.1), in this process, on a real FieldjobsCore.
import type { ApiRuntime } from '../../src-main/api/api-handlers'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import type { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { startBridgeServer } from '../../src-main/server/bridge-server'
import { join } from 'node:path'
import { buildPage, repoRoot } from './build-renderer'

let built: Promise<string> | undefined

/** The app's own renderer (src-renderer/index.html), built once per process. */
export function builtRenderer(): Promise<string> {
  built ??= buildPage(join(repoRoot, 'src-renderer'))
  return built
}

export interface ServedWindow {
  /** Open this: the page's origin with its access token in the fragment. */
  url: string
  origin: string
  close(): Promise<void>
}

export async function serveWindow(core: FieldjobsCore, runtime: Omit<ApiRuntime, 'core'> = {}): Promise<ServedWindow> {
  const bridge = await startBridgeServer({
    handlers: createApiHandlers({ core, ...runtime }),
    subscribe: (listener) => core.events.subscribe(listener),
    rendererDir: await builtRenderer(),
    host: '127.0.0.1',
    port: 0,
  })
  return { url: bridge.url, origin: bridge.origin, close: () => bridge.close() }
}
