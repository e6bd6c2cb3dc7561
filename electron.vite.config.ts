// Builds the three parts of the app into out/: main (Node, ESM), preload (sandboxed: CommonJS, one
// self-contained file) and the renderer (React). `npm run build`; `fieldjobs serve` serves out/renderer.
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { metaContentSecurityPolicy } from './src-main/electron/security'

const root = import.meta.dirname

/**
 * In `electron-vite dev` only, the page's CSP meta must let Vite's dev server work (the React refresh
 * preamble is an inline script, HMR is a WebSocket). Builds keep index.html's strict policy as written.
 */
function devServerCsp(): Plugin {
  return {
    name: 'fieldjobs:dev-server-csp',
    apply: 'serve',
    transformIndexHtml(html, context) {
      const origin = context.server?.resolvedUrls?.local[0]?.replace(/\/$/, '')
      return html.replace(/(http-equiv="Content-Security-Policy"\s+content=")[^"]*"/, `$1${metaContentSecurityPolicy('development', origin)}"`)
    },
  }
}

export default defineConfig({
  main: {
    build: {
      // Every dependency stays external (electron-vite's externalizeDeps default). Important for
      // better-sqlite3, a native module: never bundled, loaded from node_modules (unpacked from the
      // asar at pack time, see electron-builder.yml).
      rolldownOptions: { input: { index: resolve(root, 'src-main/electron/main.ts') } },
    },
  },
  preload: {
    build: {
      // Important: a sandboxed preload cannot load an ES module or require anything but electron,
      // so it is one CommonJS file with zod and the contract bundled in.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react(), devServerCsp()],
    build: {
      rolldownOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
})
