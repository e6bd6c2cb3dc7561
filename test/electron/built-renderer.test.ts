// Builds the app with electron-vite's build API into a temporary folder (as `npm run build` does into
// out/) and checks what ships: the CSP meta in the built index.html, a CommonJS preload that needs
// only electron, a main bundle that leaves better-sqlite3 to node_modules; then serves the built
// window through the browser bridge.
import { execFile } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import { contentSecurityPolicy, metaContentSecurityPolicy } from '../../src-main/electron/security'
import { startBridgeServer } from '../../src-main/server/bridge-server'
import { buildRenderer, findProjectRoot } from '../../src-main/server/renderer-build'
import { openTempCore } from '../support/temp-core'

const root = findProjectRoot()!
let outDir: string

const metaPolicy = (html: string) => /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1]

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'fieldjobs-build-'))
  await buildRenderer(root, outDir)
}, 180_000)

afterAll(() => rmSync(outDir, { recursive: true, force: true }))

describe('the built app', () => {
  it('keeps the strict CSP meta in the shell html and the built index.html', () => {
    expect(metaPolicy(readFileSync(join(root, 'src-renderer/index.html'), 'utf8'))).toBe(metaContentSecurityPolicy('production'))
    const built = readFileSync(join(outDir, 'renderer/index.html'), 'utf8')
    expect(metaPolicy(built)).toBe(metaContentSecurityPolicy('production'))
    expect(metaPolicy(built)).toContain("script-src 'self';")
    expect(built).not.toContain('unsafe-eval')
    // No inline script survives the build: every script is a file of our own.
    const scripts = [...built.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\.\/assets\/[^"]+\.js"/)
      expect(body.trim()).toBe('')
    }
  })

  it('builds a CommonJS preload that requires electron and nothing else', () => {
    expect(readdirSync(join(outDir, 'preload'))).toEqual(['index.cjs'])
    const preload = readFileSync(join(outDir, 'preload/index.cjs'), 'utf8')
    expect([...new Set([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]))]).toEqual(['electron'])
    expect(preload).not.toMatch(/^\s*import\s/m)
    expect(preload).toContain('exposeInMainWorld("api"')
  })

  it('builds main as out/main/index.js with better-sqlite3 left external, and Node can parse it', async () => {
    const main = readFileSync(join(outDir, 'main/index.js'), 'utf8')
    // Required at run time from node_modules (database.ts), where the packaging step rebuilt it for Electron.
    expect(main).toMatch(/\("better-sqlite3"\);$/m)
    expect(main).not.toMatch(/from "better-sqlite3"/)
    // Electron cannot start here, but a bundle it could not even parse (two top-level `require`s, say) fails now.
    // As an ES module, as Electron loads it (the checkout's package.json says "type": "module"; this
    // temporary folder has none, and Node would take a .js here for CommonJS).
    const asModule = join(outDir, 'main/index.check.mjs')
    copyFileSync(join(outDir, 'main/index.js'), asModule)
    const checked = await promisify(execFile)(process.execPath, ['--check', asModule]).then(
      () => 'ok',
      (error: { stderr: string }) => error.stderr,
    )
    expect(checked).toBe('ok')
    expect(main).toMatch(/from "electron";$/m)
    expect(main).not.toContain('node-gyp-build')
  })

  it('serves the built window through the bridge with the CSP header', async () => {
    const temp = openTempCore()
    const bridge = await startBridgeServer({
      handlers: createApiHandlers({ core: temp.core }),
      subscribe: () => () => {},
      rendererDir: join(outDir, 'renderer'),
    })
    try {
      const page = await fetch(`${bridge.origin}/`)
      expect(page.status).toBe(200)
      expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy('production'))
      const html = await page.text()
      expect(html).toContain('<div id="root"></div>')
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]
      const asset = await fetch(`${bridge.origin}/${script}`)
      expect(asset.status).toBe(200)
      expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    } finally {
      await bridge.close()
      await temp.cleanup()
    }
  })
})
