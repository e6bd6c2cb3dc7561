// The Discover screen end to end, in Chromium, against the real core and its runtime behind the
// browser bridge, with three lab routers announcing on a loopback MNDP port: scan, add one router
// from its row (the Sites form comes filled from the announcement), scan again and see it marked.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type RunningApi, startApiRuntime } from '../../src-main/api/api-runtime'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { type Lab, startLab } from '../../src-main/lab/lab'
import { freePort } from '../support/free-port'
import { repoRoot } from '../support/repo-root'
import { type Chromium, launchChromium } from './chromium'
import { type ServedWindow, serveWindow } from './served-window'

const shots = join(repoRoot, 'test-results', 'screenshots')
let dataDir: string
let core: FieldjobsCore
let running: RunningApi
let lab: Lab
let mndpPort: number
let served: ServedWindow
let browser: Chromium
let page: Page

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  mndpPort = await freePort()
  lab = await startLab({ routers: 3, version: '7.18', mndpPort })
  dataDir = mkdtempSync(join(tmpdir(), 'fieldjobs-e2e-discover-'))
  core = FieldjobsCore.open({ dataDir })
  running = startApiRuntime(core, { env: {}, probeIntervalS: 0 })
  served = await serveWindow(core, running.runtime)
  browser = await launchChromium()
  page = await browser.context.newPage()
  await page.goto(served.url)
  await page.waitForSelector('[data-testid=screen-jobs]')
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await served?.close()
  await running?.stop()
  await core?.close()
  await lab?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

async function scan() {
  await page.fill('[data-testid=discover-port]', String(mndpPort))
  await page.fill('[data-testid=discover-timeout]', '1')
  await page.click('[data-testid=discover-scan]')
  await page.locator('[data-testid=discover-progress]').waitFor()
  await page.locator('[data-testid=discover-count]').waitFor()
  return page.locator('[data-testid=discovered-router]')
}

it('finds the lab routers, adds one as a site from its row, and marks it known on the next scan', async () => {
  await page.click('[data-testid=nav-discover]')
  const rows = await scan()
  expect(await rows.count()).toBe(3)
  const second = lab.routers[1]!
  const row = page.locator('[data-testid=discovered-router]', { hasText: second.name })
  expect(await row.textContent()).toContain(`127.0.0.1:${second.port}`)
  expect(await row.textContent()).toContain('7.18 (stable)')
  await page.screenshot({ path: join(shots, 'discover-scanned.png') })

  await row.locator('[data-testid=discover-add]').click()
  await page.locator('[data-testid=site-form]').waitFor()
  expect(await page.inputValue('[data-testid=site-name]')).toBe(second.name)
  expect(await page.inputValue('[data-testid=site-host]')).toBe('127.0.0.1')
  expect(await page.inputValue('[data-testid=site-api_port]')).toBe(String(second.port))
  await page.fill('[data-testid=site-password]', second.password)
  await page.click('[data-testid=save-site]')
  await page.locator('[data-testid=site-form]').waitFor({ state: 'detached' })
  expect(core.siteStore.list().map((site) => [site.name, site.api_port])).toEqual([[second.name, second.port]])

  await page.click('[data-testid=nav-discover]')
  await scan()
  const known = page.locator('[data-testid=discovered-router]', { hasText: second.name }).locator('[data-testid=known-site]')
  expect(await known.textContent()).toContain(second.name)
  expect(await page.locator('[data-testid=discover-add]').count()).toBe(2)
  await page.screenshot({ path: join(shots, 'discover-known.png') })
  // On a 1280 px laptop every column is in view, the site column (Add, or the known site) first of
  // all. 100 px narrower than that, since real identities run longer than the lab's.
  await page.setViewportSize({ width: 1180, height: 800 })
  const overflow = await page.evaluate(() => {
    const pane = document.querySelector('[data-testid=discover-table]')!.closest('.discover')!
    return pane.scrollWidth - pane.clientWidth
  })
  expect(overflow).toBe(0)
  await page.screenshot({ path: join(shots, 'discover-known-narrow.png') })
}, 60_000)
