// Builds a renderer page (the app's src-renderer, or a test harness page) with Vite into a folder,
// as `npm run build` would for out/renderer.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import react from '@vitejs/plugin-react'
import { build } from 'vite'

export async function buildPage(root: string, outDir = mkdtempSync(join(tmpdir(), 'fieldjobs-page-'))): Promise<string> {
  await build({
    root,
    configFile: false,
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  })
  return outDir
}
