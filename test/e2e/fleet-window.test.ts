// The fleet in the window, on the real core and lab routers: tag sites and give them variables in
// the Sites screen, queue one templated script by tag from the New-job form, and watch the per-site
// table reach completed; a template a site cannot fill is refused, naming it, and queues nothing.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningApi, startApiRuntime } from '../../src-main/api/api-runtime'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { type Lab, startLab } from '../../src-main/lab/lab'
import { repoRoot } from '../support/repo-root'
import { type Chromium, launchChromium } from './chromium'
import { type ServedWindow, serveWindow } from './served-window'

const shots = join(repoRoot, 'test-results', 'screenshots')
let dataDir: string
let core: FieldjobsCore
let running: RunningApi
let lab: Lab
let served: ServedWindow
let browser: Chromium
let page: Page

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  lab = await startLab({ routers: 3 })
  dataDir = mkdtempSync(join(tmpdir(), 'fieldjobs-fleet-e2e-'))
  core = FieldjobsCore.open({ dataDir })
  for (const [index, router] of lab.routers.entries()) {
    core.addSite({ name: `r${index + 1}`, host: router.host, api_port: router.port, username: router.user, password: router.password })
  }
  running = startApiRuntime(core, { probeIntervalS: 0, cloud: false })
  served = await serveWindow(core, running.runtime)
  browser = await launchChromium({ viewport: { width: 1280, height: 720 } })
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

const siteId = (name: string) => core.siteStore.find(name).id

async function tagAndSet(site: string, tag: string, label: string) {
  await page.goto(`${served.origin}/#/sites/${siteId(site)}`)
  await page.waitForSelector(`[data-testid=site-detail][data-site=${site}]`)
  await page.fill('[data-testid=new-tag]', tag)
  await page.click('[data-testid=add-tag]')
  await page.waitForSelector(`[data-testid=site-tags] [data-tag=${tag}]`)
  await page.fill('[data-testid=new-var-key]', 'label')
  await page.fill('[data-testid=new-var-value]', label)
  await page.click('[data-testid=set-var]')
  await page.waitForSelector(`[data-testid=site-vars] [data-var=label]`)
}

describe('the fleet in the window', () => {
  it('tags and variables in Sites, a templated batch by tag, the per-site table to completed', async () => {
    await tagAndSet('r1', 'north', 'alpha')
    await tagAndSet('r2', 'north', 'beta')
    await page.screenshot({ path: join(shots, 'site-tags-vars.png') })

    await page.click('[data-testid=nav-new]')
    await page.click('[data-testid=pick-tag-north]')
    expect(await page.isChecked('[data-testid=pick-site-r1]')).toBe(true)
    expect(await page.isChecked('[data-testid=pick-site-r3]')).toBe(false)
    await page.fill('[data-testid=job-description]', 'rename north')
    await page.fill('[data-testid=script-editor]', '/system identity set name="{{var.label}}-{{site.name}}"')
    await page.fill('[data-testid=batch-canary-n]', '1')
    await page.waitForSelector('[data-testid=template-preview] [data-site=r2]')
    expect(await page.textContent('[data-testid=template-preview] [data-site=r2]')).toContain('beta-r2')
    await page.screenshot({ path: join(shots, 'batch-form-preview.png') })
    await page.click('[data-testid=queue-job]')
    await page.waitForSelector('[data-testid=batch-table]', { timeout: 10_000 }).catch(async (error) => {
      await page.screenshot({ path: join(shots, 'failed-batch-table.png') })
      throw error
    })
    await page.waitForSelector('[data-testid=batch-table][data-done="2"]', { timeout: 30_000 })
    expect(await page.locator('[data-testid=batch-row][data-status=completed]').count()).toBe(2)
    await page.locator('[data-testid=batch-table]').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(shots, 'batch-table.png') })
    expect(lab.routers.map((router) => router.router.identity)).toEqual(['alpha-r1', 'beta-r2', 'lab-router-3'])
  }, 90_000)

  it('refuses a template a site cannot fill, naming the site and key, and queues nothing', async () => {
    const before = core.jobStore.count()
    await page.goto(`${served.origin}/#/new`)
    await page.click('[data-testid=pick-all-sites]')
    await page.fill('[data-testid=job-description]', 'needs a label everywhere')
    await page.fill('[data-testid=script-editor]', '/system identity set name={{var.label}}')
    await page.waitForSelector('[data-testid=template-preview] [data-site=r3][data-missing="1"]')
    await page.click('[data-testid=queue-job]')
    await page.waitForSelector('[data-testid=submit-error]')
    expect(await page.textContent('[data-testid=submit-error]')).toContain('site "r3" has no value for {{var.label}}')
    expect(core.jobStore.count()).toBe(before)
  }, 60_000)

  it("shows a maintenance window's start whole in the job list's status column, not cut off", async () => {
    const tomorrow = new Date(Date.now() + 26 * 3_600_000).toISOString()
    const { job } = core.jobs.create({ site_id: siteId('r3'), description: 'tonight', script: '/log info "later"', not_before: tomorrow })
    await page.goto(`${served.origin}/#/jobs`)
    const starts = page.locator('[data-testid=job-starts]')
    await starts.waitFor()
    expect(await starts.textContent()).toMatch(/^ starts \d\d-\d\d \d\d:\d\d$/)
    // The cell clips what does not fit (text-overflow: ellipsis): all of it fits.
    const cell = starts.locator('xpath=..')
    const fits = await cell.evaluate((element) => element.scrollWidth <= element.clientWidth)
    expect(fits, await cell.textContent() ?? '').toBe(true)
    core.jobs.cancel(job.id)
  }, 60_000)
})
