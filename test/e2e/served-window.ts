// The window served the way `fieldjobs serve` serves it: the built renderer and the contract over
// the browser bridge (HTTP + WebSocket on 127.0.0.1), in this process, on a real FieldjobsCore.
import type { ApiRuntime } from '../../src-main/api/api-handlers'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import type { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { startBridgeServer } from '../../src-main/server/bridge-server'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../support/repo-root'
import { buildPage } from './build-renderer'

export interface ServedWindow {
  /** Open this: the page's origin with its access token in the fragment. */
  url: string
  origin: string
  close(): Promise<void>
}

/** Serves the app's own renderer (src-renderer/index.html), built into a folder that close() removes. */
export async function serveWindow(core: FieldjobsCore, runtime: Omit<ApiRuntime, 'core'> = {}): Promise<ServedWindow> {
  const rendererDir = await buildPage(join(repoRoot, 'src-renderer'))
  const bridge = await startBridgeServer({
    handlers: createApiHandlers({ core, ...runtime }),
    subscribe: (listener) => core.events.subscribe(listener),
    rendererDir,
    host: '127.0.0.1',
    port: 0,
  })
  return {
    url: bridge.url,
    origin: bridge.origin,
    async close() {
      await bridge.close()
      rmSync(rendererDir, { recursive: true, force: true })
    },
  }
}
