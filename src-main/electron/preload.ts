// The preload of the one window (sandboxed, context-isolated): it exposes the contract's named
// functions as `window.api` and nothing else. Built as CommonJS, since a sandboxed preload cannot be
// an ES module (electron.vite.config.ts).
import { contextBridge, ipcRenderer } from 'electron'
import { buildPreloadApi } from './preload-api'

contextBridge.exposeInMainWorld('api', buildPreloadApi(ipcRenderer))
