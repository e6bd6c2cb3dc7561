// The Electron main process: opens the core in the user-data folder, starts the runtime, wires the
// contract to ipcMain and shows one window. Every decision lives in pure modules (security.ts,
// ipc-registration.ts, preload-api.ts, safe-storage-secret-store.ts); this file only connects them.
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { app, BrowserWindow, ipcMain, safeStorage, session } from 'electron'
import { createApiHandlers } from '../api/api-handlers'
import { startApiRuntime, type RunningApi } from '../api/api-runtime'
import { FieldjobsCore } from '../core/app/fieldjobs-core'
import { forwardCoreEvents, registerIpcHandlers } from './ipc-registration'
import { chooseSecretStore } from './safe-storage-secret-store'
import { isTrustedSender, type TrustedOrigins } from './security'
import { createMainWindow, secureSession, secureWebContents } from './window'

const here = fileURLToPath(new URL('.', import.meta.url))
const indexFile = join(here, '../renderer/index.html')
const preloadPath = join(here, '../preload/index.cjs')
// The dev server is trusted only in an unpackaged build started by `electron-vite dev`.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const trusted: TrustedOrigins = { indexFileUrl: pathToFileURL(indexFile).href, devServerUrl }

// Two app instances would share one queue; the second one hands over to the first.
if (!app.requestSingleInstanceLock()) app.quit()

let core: FieldjobsCore | undefined
let running: RunningApi | undefined
let window: BrowserWindow | undefined

app.on('second-instance', () => {
  if (window?.isMinimized()) window.restore()
  window?.focus()
})

app.on('web-contents-created', (_event, contents) => secureWebContents(contents, trusted))

async function start(): Promise<void> {
  const dataDir = app.getPath('userData')
  core = FieldjobsCore.open({ dataDir, secrets: chooseSecretStore(safeStorage, dataDir) })
  running = startApiRuntime(core, { env: process.env })
  secureSession(session.defaultSession, trusted, devServerUrl ? 'development' : 'production')
  registerIpcHandlers(ipcMain, createApiHandlers(running.runtime), {
    isTrustedSender: (url) => isTrustedSender(url, trusted),
    onRefused: (channel, url) => console.warn(`fieldjobs: refused ${channel} from ${url ?? 'a closed frame'}`),
  })
  // One subscription for the app's life; events go to whichever window is open.
  forwardCoreEvents(core.events.subscribe.bind(core.events), (channel, event) => {
    if (window && !window.isDestroyed()) window.webContents.send(channel, event)
  })
  openWindow()
}

function openWindow(): void {
  const opened = createMainWindow({ preloadPath, indexFile, devServerUrl })
  opened.on('closed', () => {
    if (window === opened) window = undefined
  })
  window = opened
}

let quitting = false
app.on('before-quit', (event) => {
  if (quitting || !core) return
  // Shutdown stops taking work and settles in-flight jobs before the database closes.
  event.preventDefault()
  quitting = true
  void (async () => {
    try {
      await running?.stop()
      await core?.close()
    } finally {
      app.quit()
    }
  })()
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

app.on('activate', () => {
  if (core && BrowserWindow.getAllWindows().length === 0) openWindow()
})

app.whenReady().then(start, (error) => {
  console.error(error)
  app.exit(1)
})
