// Every screen of the real window in Debian's Chromium, on the in-memory fake core: it renders
// without a console error, and a screenshot of each lands in test-results/screenshots/ to look at.
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../support/repo-root'
import { buildPage } from './build-renderer'
import { type Chromium, launchChromium } from './chromium'
import { serveFolder } from './static-server'

const shots = join(repoRoot, 'test-results', 'screenshots')
let browser: Chromium
let built: string | undefined
let server: Awaited<ReturnType<typeof serveFolder>>
let page: Page
const errors: string[] = []

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  built = await buildPage(join(repoRoot, 'test', 'e2e', 'fake-harness'))
  server = await serveFolder(built)
  browser = await launchChromium()
  page = await browser.context.newPage()
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(String(error)))
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  if (built) rmSync(built, { recursive: true, force: true })
})

async function open(hash: string, ready: string, name: string) {
  await page.goto(`${server.url}/${hash}`)
  await page.waitForSelector(ready)
  await page.screenshot({ path: join(shots, `fake-${name}.png`) })
}

describe('screens on the fake core, in Chromium', () => {
  it('jobs, job detail (failed, unknown), new job, sites, backups and diff, settings, shortcuts', async () => {
    await open('#/jobs', '[data-testid=job-row]', 'jobs')
    expect(await page.locator('[data-testid=job-row]').count()).toBeLessThan(80)

    const failed = await page.evaluate(() => (window as any).fakeCore.jobs.find((job: any) => job.status === 'failed').id)
    await open(`#/jobs/${failed}`, '[data-testid=job-error]', 'job-detail-failed')
    // Its script has a line longer than the pane: it wraps under itself, nothing is cut off sideways.
    const script = await page.evaluate(() => {
      const view = document.querySelector('[data-testid=script-view]')!
      return { hidden: view.scrollWidth - view.clientWidth, wrapped: [...view.querySelectorAll('.script-line')].some((line) => line.getBoundingClientRect().height > 20) }
    })
    expect(script).toEqual({ hidden: 0, wrapped: true })
    const unknown = await page.evaluate(() => (window as any).fakeCore.jobs.find((job: any) => job.status === 'unknown').id)
    await open(`#/jobs/${unknown}`, '[data-testid=state-explanation]', 'job-detail-unknown')

    await open('#/new', '[data-testid=new-job-form]', 'new-job')
    await page.fill('[data-testid=job-description]', 'ab')
    await page.fill('[data-testid=script-editor]', '# cameras\n/interface vlan\nadd name=cams vlan-id=20 interface=bridge comment="cameras"\n:put "done"')
    await page.click('[data-testid=route-cloud]')
    await page.click('[data-testid=queue-job]')
    await page.waitForSelector('[data-testid=error-sites]')
    await page.screenshot({ path: join(shots, 'fake-new-job-invalid.png') })

    const site = await page.evaluate(() => (window as any).fakeCore.sites[0].id)
    await open(`#/sites/${site}`, '[data-testid=site-detail]', 'sites')
    await page.click('[data-testid=check-site]')
    await page.waitForSelector('[data-testid=site-version]:has-text("7.16.2")')
    await page.screenshot({ path: join(shots, 'fake-sites.png') })
    // The site's job table keeps each cell's text inside it: badges and timestamps are not cut off.
    const clipped = await page.evaluate(() =>
      [...document.querySelectorAll('.site-jobs td')].filter((cell) => !cell.classList.contains('description') && cell.scrollWidth > cell.clientWidth).map((cell) => cell.textContent),
    )
    expect(clipped).toEqual([])
    await open('#/sites?add=1', '[data-testid=site-form]', 'site-add')

    await open(`#/backups?site=${site}`, '[data-testid=backup-row]', 'backups')
    const newest = await page.locator('[data-testid=backup-row]').first().getAttribute('data-path')
    await open(`#/backups?site=${site}&path=${encodeURIComponent(newest!)}&diff=previous`, '[data-testid=diff-side]', 'backup-diff-side')
    // At a laptop's 1280 px, the backup list fits its pane and both sides of the diff are in view:
    // no column is pushed past the window, so comparing never needs a sideways scroll.
    await page.setViewportSize({ width: 1280, height: 800 })
    const fit = await page.evaluate(() => {
      const list = document.querySelector('[data-testid=backup-list]')!
      const listPane = list.closest('.list-pane')!
      const diffPane = document.querySelector('[data-testid=diff-side]')!.closest('.detail-pane')!
      const paneRight = diffPane.getBoundingClientRect().right
      const cells = [...document.querySelectorAll('[data-testid=diff-side] td.diff-cell')].map((cell) => cell.getBoundingClientRect().right)
      return { listOverflow: listPane.scrollWidth - listPane.clientWidth, beyondPane: Math.max(...cells) - paneRight, cells: cells.length }
    })
    expect(fit.cells).toBeGreaterThan(0)
    expect(fit).toMatchObject({ listOverflow: 0 })
    expect(fit.beyondPane).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(shots, 'fake-backup-diff-side-1280.png') })
    await page.setViewportSize({ width: 1360, height: 820 })
    await page.click('[data-testid=diff-mode-unified]')
    await page.screenshot({ path: join(shots, 'fake-backup-diff-unified.png') })
    await open(`#/backups?site=${site}&path=${encodeURIComponent(newest!)}`, '[data-testid=backup-view]', 'backup-view')

    await open('#/settings', '[data-testid=settings-form]', 'settings')
    expect(await page.getAttribute('[data-testid=settings-cloud_token]', 'type')).toBe('password')

    await open('#/jobs', '[data-testid=job-row]', 'jobs-again')
    await page.keyboard.press('?')
    await page.waitForSelector('[data-testid=shortcuts-help]')
    await page.screenshot({ path: join(shots, 'fake-shortcuts.png') })

    expect(errors).toEqual([])
  }, 120_000)
})
