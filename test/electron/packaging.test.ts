// electron-builder cannot pack here (no Electron binary, no network), so its configuration is checked
// the way electron-builder itself loads and validates it, plus the invariants the native module needs.
import { execFile, spawn } from 'node:child_process'
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
// @ts-expect-error a plain .mjs build script without types
import { buildCli } from '../../build/cli-bundle.mjs'
import { useTempDirs } from '../support/temp-dirs'

const root = join(import.meta.dirname, '..', '..')
const require = createRequire(import.meta.url)
// The loader and validator electron-builder uses for electron-builder.yml, found through electron-builder.
const builderRequire = createRequire(require.resolve('electron-builder'))
const { getConfig, validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Record<string, any>>
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>
}
const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }
const tempDir = useTempDirs()
const run = promisify(execFile)
const loadConfig = () => getConfig(root, join(root, 'electron-builder.yml'), null)

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  expect(png.toString('ascii', 12, 16)).toBe('IHDR')
  return [png.readUInt32BE(16), png.readUInt32BE(20)]
}

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

describe('the icon in resources/', () => {
  it('is where electron-builder.yml says, in the sizes each target needs', async () => {
    const config = await loadConfig()
    expect(config.directories.buildResources).toBe('resources')
    expect(pngSize(readFileSync(join(root, 'resources/icon.png')))).toEqual([1024, 1024])
    // Linux (AppImage, deb): a folder of NxN.png, each the size its name says.
    const linuxIcons = join(root, config.linux.icon)
    const sizes = readdirSync(linuxIcons).map((name) => {
      const size = Number(/^(\d+)x\1\.png$/.exec(name)?.[1])
      expect(pngSize(readFileSync(join(linuxIcons, name))), name).toEqual([size, size])
      return size
    })
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 64, 128, 256, 512, 1024]))
    // Windows: an .ico whose directory lists 16..256 (256 is written as 0), each entry a PNG of that size.
    const ico = readFileSync(join(root, config.win.icon))
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const entries = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
      const at = 6 + 16 * i
      const size = ico[at] || 256
      const png = ico.subarray(ico.readUInt32LE(at + 12), ico.readUInt32LE(at + 12) + ico.readUInt32LE(at + 8))
      expect(pngSize(png)).toEqual([size, size])
      return size
    })
    expect(entries).toEqual(expect.arrayContaining([16, 32, 48, 256]))
    // macOS: an .icns with the 512 and 1024 pixel entries (ic09, ic10) that Retina docks use.
    const icns = readFileSync(join(root, config.mac.icon))
    expect(icns.toString('ascii', 0, 4)).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const types = new Map<string, [number, number]>()
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) types.set(icns.toString('ascii', at, at + 4), pngSize(icns.subarray(at + 8)))
    expect(types.get('ic09')).toEqual([512, 512])
    expect(types.get('ic10')).toEqual([1024, 1024])
  })
})

describe('the fieldjobs command in the package', () => {
  it('ships the launchers and the built CLI unpacked, and every target installs the command', async () => {
    const config = await loadConfig()
    expect(config.extraResources).toEqual([{ from: 'resources/cli', to: 'cli' }])
    expect(config.asarUnpack).toContain('out/cli/**/*')
    expect(config.asarUnpack).toContain('out/renderer/**/*')
    const launcher = join(root, 'resources/cli/fieldjobs')
    expect(statSync(launcher).mode & 0o111).not.toBe(0)
    expect(readFileSync(join(root, 'resources/cli/fieldjobs.cmd'), 'utf8')).toMatch(/set ELECTRON_RUN_AS_NODE=1\r\n"%~dp0\.\.\\\.\.\\Fieldjobs\.exe" "%~dp0\.\.\\app\.asar\.unpacked\\out\\cli\\fieldjobs\.mjs" %\*/)
    // deb: electron-builder's own after-install/after-remove, whole, plus the /usr/bin/fieldjobs link.
    const templates = join(builderRequire.resolve('app-builder-lib/package.json'), '..', 'templates/linux')
    for (const [script, template] of [
      [config.deb.afterInstall, 'after-install.tpl'],
      [config.deb.afterRemove, 'after-remove.tpl'],
    ] as const) {
      const ours = readFileSync(join(root, script), 'utf8')
      const missing = readFileSync(join(templates, template), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '' && !ours.includes(line))
      expect(missing, `${script} lacks lines of electron-builder's ${template}`).toEqual([])
      await run('bash', ['-n', join(root, script)])
    }
    expect(readFileSync(join(root, config.deb.afterInstall), 'utf8')).toContain("ln -sf '/opt/${sanitizedProductName}/resources/cli/fieldjobs' '/usr/bin/fieldjobs'")
    expect(config.linux.executableName).not.toBe('fieldjobs')
    // NSIS: fieldjobs.cmd into a folder Windows keeps on the user's PATH, removed on uninstall.
    const nsis = readFileSync(join(root, config.nsis.include), 'utf8')
    expect(nsis).toMatch(/!macro customInstall[\s\S]*FileOpen \$0 "\$LOCALAPPDATA\\Microsoft\\WindowsApps\\fieldjobs\.cmd" w[\s\S]*\\resources\\cli\\fieldjobs\.cmd/)
    expect(nsis).toMatch(/!macro customUnInstall\s+Delete "\$LOCALAPPDATA\\Microsoft\\WindowsApps\\fieldjobs\.cmd"/)
  })

  it.each([
    ['Linux (deb, AppImage)', 'fieldjobs-desktop', 'resources'],
    ['macOS', 'MacOS/Fieldjobs', 'Resources'],
  ])('the launcher runs the built CLI with the app’s executable in Node mode: %s', async (_, executable, resourcesName) => {
    // The unpacked app's layout; a stand-in for Electron's binary that is Node only with ELECTRON_RUN_AS_NODE=1.
    const app = join(tempDir('fieldjobs-packaged-'), 'app')
    const resources = join(app, resourcesName)
    mkdirSync(join(app, executable, '..'), { recursive: true })
    writeFileSync(join(app, executable), `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "would open the window" >&2; exit 9; }\nexec "${process.execPath}" "$@"\n`)
    chmodSync(join(app, executable), 0o755)
    cpSync(join(root, 'resources/cli'), join(resources, 'cli'), { recursive: true })
    await buildCli({ root, outDir: join(resources, 'app.asar.unpacked/out/cli') })
    symlinkSync(join(root, 'node_modules'), join(resources, 'app.asar.unpacked/node_modules'))
    // As the deb's /usr/bin/fieldjobs (or a link in /usr/local/bin on macOS) calls it: through a symlink.
    const bin = join(tempDir('fieldjobs-usr-bin-'), 'fieldjobs')
    symlinkSync(join(resources, 'cli/fieldjobs'), bin)
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    const env = { ...process.env, FIELDJOBS_SECRET_STORE: 'keyfile' }
    expect((await run(bin, ['--version'], { env })).stdout).toBe(`fieldjobs ${manifest.version}\n`)
    const listed = await run(bin, ['site', 'list', '--json', '--data-dir', tempDir('fieldjobs-packaged-data-')], { env })
    expect(JSON.parse(listed.stdout)).toEqual([])
    expect(listed.stderr).toBe('')

    // `serve` serves the window unpacked beside the CLI (no checkout above it to build one from).
    const windowMarker = '<!doctype html><title>the packaged window</title>'
    mkdirSync(join(resources, 'app.asar.unpacked/out/renderer'), { recursive: true })
    writeFileSync(join(resources, 'app.asar.unpacked/out/renderer/index.html'), windowMarker)
    const serving = spawn(bin, ['serve', '--json', '--data-dir', tempDir('fieldjobs-packaged-serve-')], { env })
    try {
      const started = await new Promise<{ origin: string }>((resolve, reject) => {
        let out = ''
        let err = ''
        serving.stderr.on('data', (chunk) => (err += chunk))
        serving.stdout.on('data', (chunk) => {
          out += chunk
          // serve --json prints one pretty-printed object: wait until the whole of it has arrived.
          try {
            resolve(JSON.parse(out))
          } catch {
            // Not complete yet.
          }
        })
        serving.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)))
      })
      expect(await (await fetch(`${started.origin}/`)).text()).toBe(windowMarker)
    } finally {
      serving.kill('SIGINT')
    }
  })
})
