// The window stays live and truthful: jobs queued by another process (the CLI on the same data
// folder) appear without a reload, so do a cloud token it saves and what a job it runs says, and when `fieldjobs serve` stops
// the window says it is disconnected, then reconnects by itself and shows what happened meanwhile.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import { type RunningApi, startApiRuntime } from '../../src-main/api/api-runtime'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { startLab } from '../../src-main/lab/lab'
import { type BridgeServer, startBridgeServer } from '../../src-main/server/bridge-server'
import { cli } from '../support/cli-harness'
import { repoRoot } from '../support/repo-root'
import { buildPage } from './build-renderer'
import { type Chromium, launchChromium } from './chromium'

const shots = join(repoRoot, 'test-results', 'screenshots')
let dataDir: string
let rendererDir: string
let core: FieldjobsCore
let running: RunningApi
let bridge: BridgeServer
let browser: Chromium
let page: Page

const serve = (port = 0, token?: string) =>
  startBridgeServer({
    handlers: createApiHandlers(running.runtime),
    subscribe: (listener) => core.events.subscribe(listener),
    rendererDir,
    host: '127.0.0.1',
    port,
    ...(token ? { token } : {}),
  })

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fieldjobs-live-'))
  rendererDir = await buildPage(join(repoRoot, 'src-renderer'))
  core = FieldjobsCore.open({ dataDir })
  // The runtime of `serve`, with a queue that takes no job: jobs stay pending, which is all this
  // needs, and a job that `fieldjobs run` takes in a terminal runs there, not here.
  running = startApiRuntime(core, { probeIntervalS: 0, cloud: false, otherWritersMs: 100, concurrency: 0 })
  bridge = await serve()
  browser = await launchChromium({ viewport: { width: 1280, height: 720 } })
  page = await browser.context.newPage()
  await page.goto(bridge.url)
  await page.waitForSelector('[data-testid=screen-jobs]')
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await bridge?.close()
  await running?.stop()
  await core?.close()
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true })
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

const common = () => ['--data-dir', dataDir]
const queueFromCli = async (description: string) => {
  const created = await cli(['job', 'create', '--site', 'depot', '--description', description, '--script', '-', '--route', 'lan', '--json', ...common()], { stdin: ':put 1' })
  expect(created.code, created.stderr).toBe(0)
  return created.json<{ token: string }>().token
}

describe('a window on `fieldjobs serve`', () => {
  // First, while no job exists: a job's own events would also make the window read the status again.
  it('follows a cloud token the CLI saves or removes: the status bar says so without a reload', async () => {
    const cloud = page.locator('[data-testid=status-cloud]')
    await page.waitForFunction(() => document.querySelector('[data-testid=status-cloud]')?.textContent === 'cloud: not configured')
    const saved = await cli(['settings', 'set', 'cloud_token', '--value-env', 'TOKEN', ...common()], { env: { TOKEN: 'sdx_live_window_token' } })
    expect(saved.code, saved.stderr).toBe(0)
    await page.waitForFunction(() => document.querySelector('[data-testid=status-cloud]')?.textContent !== 'cloud: not configured', null, { timeout: 10_000 })
    expect(await cloud.textContent()).toBe('cloud: not checked yet')
    expect(await page.locator('body').textContent()).not.toContain('sdx_live_window_token')
    const removed = await cli(['settings', 'set', 'cloud_token', '--value-env', 'TOKEN', ...common()], { env: { TOKEN: '' } })
    expect(removed.code, removed.stderr).toBe(0)
    await page.waitForFunction(() => document.querySelector('[data-testid=status-cloud]')?.textContent === 'cloud: not configured', null, { timeout: 10_000 })
  })

  it('shows a job the CLI queued on the same data folder, without a reload', async () => {
    const added = await cli(['site', 'add', '--name', 'depot', '--host', '127.0.0.1', '--user', 'admin', '--password-env', 'PW', '--no-check', ...common()], { env: { PW: 'x' } })
    expect(added.code, added.stderr).toBe(0)
    const token = await queueFromCli('queued from the CLI')
    await page.waitForSelector(`[data-testid=job-row][data-token="${token}"]`, { timeout: 10_000 })
    // The site the CLI added is in the window too (the New-job picker reads the same list).
    await page.click('[data-testid=nav-sites]')
    await page.waitForSelector('text=depot')
    await page.click('[data-testid=nav-jobs]')
  })

  it('shows what a job run by `fieldjobs run` in a terminal says, live, in its open detail', async () => {
    const lab = await startLab({ routers: 1 })
    const router = lab.routers[0]!
    const env = { FIELDJOBS_SECRET_STORE: 'keyfile', LAB_PASSWORD: router.password }
    try {
      const added = await cli(['site', 'add', '--name', 'lab1', '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'LAB_PASSWORD', ...common()], { env })
      expect(added.code, added.stderr).toBe(0)
      // Only this test's job is for `run` to take (the earlier ones are for a site with no router).
      for (const job of core.jobStore.list({ statuses: ['pending'] })) core.jobs.cancel(job.id)
      const created = await cli(['job', 'create', '--site', 'lab1', '--description', 'run in a terminal', '--script', '-', '--backup', '--json', ...common()], {
        env,
        stdin: '/system identity set name=from-the-terminal\n',
      })
      expect(created.code, created.stderr).toBe(0)
      const { token, id } = created.json<{ token: string; id: string }>()
      await page.click(`[data-testid=job-row][data-token="${token}"] [data-testid=job-link]`)
      await page.waitForSelector(`[data-testid=job-detail][data-job-status=pending]`)
      expect(await page.locator('[data-testid=job-progress]').count()).toBe(0)

      const run = await cli(['run', '--once', ...common()], { env })
      expect(run.code, run.stderr).toBe(0)
      await page.waitForSelector(`[data-testid=job-detail][data-job-status=completed]`, { timeout: 10_000 })
      await page.waitForFunction(() => /backup \d+ saved: /.test(document.querySelector('[data-testid=job-progress]')?.textContent ?? ''), null, { timeout: 10_000 })
      const shown = (await page.locator('[data-testid=job-progress] li').allTextContents()).map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+/, '') /* its time */)
      // Each line once, in the order `run` printed them (its own lines are "  TOKEN  message").
      const printed = run.stdout.split('\n').filter((line) => line.startsWith(`  ${token}  `)).map((line) => line.slice(token.length + 4))
      expect(printed[0]).toBe(`connected to ${router.host}:${router.port}`)
      expect(shown).toEqual(printed)
      // Stored once, by the process that ran the job.
      expect(core.db.prepare('SELECT count(*) FROM job_progress WHERE job_id = ?').pluck().get(id)).toBe(printed.length)
    } finally {
      await lab.close()
    }
  }, 60_000)

  it('says it is disconnected when serve stops, reconnects on its own, and shows what it missed', async () => {
    const { port, token } = bridge
    await bridge.close()
    await page.waitForSelector('[data-testid=disconnected]', { timeout: 10_000 })
    expect(await page.getAttribute('[data-testid=status-bar]', 'data-stale')).toBe('true')
    await page.screenshot({ path: join(shots, 'window-disconnected.png') })
    // Meanwhile the CLI queues another job; the window cannot hear of it now.
    const missed = await queueFromCli('queued while the window was disconnected')
    bridge = await serve(port, token)
    await page.waitForSelector('[data-testid=disconnected]', { state: 'detached', timeout: 20_000 })
    await page.waitForSelector(`[data-testid=job-row][data-token="${missed}"]`, { timeout: 10_000 })
    expect(await page.getAttribute('[data-testid=status-bar]', 'data-stale')).toBe('false')
    expect(await page.locator('[data-testid=jobs-empty]').count()).toBe(0)
  }, 60_000)
})
