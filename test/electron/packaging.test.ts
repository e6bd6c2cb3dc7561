// electron-builder cannot pack here (no Electron binary, no network), so its configuration is checked
// the way electron-builder itself loads and validates it, plus the invariants the native module needs.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const require = createRequire(import.meta.url)
// The loader and validator electron-builder uses for electron-builder.yml, found through electron-builder.
const builderRequire = createRequire(require.resolve('electron-builder'))
const { getConfig, validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Record<string, any>>
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>
}
const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null)
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('targets AppImage and deb, nsis and dmg', async () => {
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null)
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis'])
    expect(config.mac.target.map((t: { target: string }) => t.target)).toEqual(['dmg'])
  })

  it('rebuilds better-sqlite3 for Electron at pack time and unpacks it from the asar', async () => {
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null)
    expect(config.npmRebuild).toBe(true)
    expect(config.asar).toBe(true)
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*')
    expect(config.files.flatMap((entry: string | { filter: string[] }) => (typeof entry === 'string' ? [entry] : entry.filter))).toContain('out/**/*')
    expect(config.afterPack).toBe('build/after-pack.cjs')
  })

  it('never rebuilds native modules in an install script', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; main: string }
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(manifest.scripts[hook] ?? '').not.toMatch(/rebuild|install-app-deps/)
    }
    // The packaged app starts from what electron.vite.config.ts builds.
    expect(manifest.main).toBe('./out/main/index.js')
  })

  it('the afterPack hook refuses a pack without the unpacked sqlite binary', async () => {
    const afterPack = require(join(root, 'build/after-pack.cjs')) as ((context: unknown) => Promise<void>) & {
      sqliteBinaryPath(resourcesDir: string): string
    }
    const context = { appOutDir: '/nonexistent/linux-unpacked', packager: { getResourcesDir: (out: string) => `${out}/resources` } }
    await expect(afterPack(context)).rejects.toThrow(/better-sqlite3 is not unpacked at \/nonexistent\/linux-unpacked\/resources\/app.asar.unpacked/)
    expect(afterPack.sqliteBinaryPath('/r')).toBe('/r/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node')
  })
})
