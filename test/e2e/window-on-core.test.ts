// The window end to end, in Debian's Chromium, against what `fieldjobs serve` runs: the real core
// (SQLite in a temporary folder), its runtime (queue + LAN executor, health, batches, cloud sync),
// the browser bridge on 127.0.0.1, a lab router speaking the RouterOS API, and the SDX cloud fake.
// Every screen is saved to test-results/screenshots/ to look at.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type RunningApi, startApiRuntime } from '../../src-main/api/api-runtime'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { diffBackups } from '../../src-main/core/backups/backup-diff'
import { type Lab, startLab } from '../../src-main/lab/lab'
import { CloudFake } from '../cloud-fake/cloud-fake'
import { repoRoot } from '../support/repo-root'
import { type Chromium, launchChromium } from './chromium'
import { type ServedWindow, serveWindow } from './served-window'

const shots = join(repoRoot, 'test-results', 'screenshots')
const CLOUD_SITE_ID = '0b1e7c2a-5d1e-4a7b-9c1d-2f3e4d5c6b7a'

let dataDir: string
let core: FieldjobsCore
let running: RunningApi
let lab: Lab
let cloud: CloudFake
let served: ServedWindow
let browser: Chromium
let page: Page
const pageErrors: string[] = []

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  lab = await startLab({ routers: 1 })
  cloud = await CloudFake.start({ device: { startAfterMs: 100, finishAfterMs: 200 } })
  dataDir = mkdtempSync(join(tmpdir(), 'fieldjobs-e2e-'))
  core = FieldjobsCore.open({ dataDir })
  running = startApiRuntime(core, {
    env: { FIELDJOBS_API_URL: cloud.url, FIELDJOBS_API_TOKEN: cloud.token },
    probeIntervalS: 0,
    cloud: { pollIntervalMs: 200, offlineBackoff: { baseMs: 200, capMs: 1_000 }, rescanMs: 500 },
  })
  served = await serveWindow(core, running.runtime)
  browser = await launchChromium()
  page = await browser.context.newPage()
  page.on('pageerror', (error) => pageErrors.push(String(error)))
  await page.goto(served.url)
  await page.waitForSelector('[data-testid=screen-jobs]')
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await served?.close()
  await running?.stop()
  await core?.close()
  await cloud?.close()
  await lab?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

// A failing step leaves a picture of what the window showed.
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await page?.screenshot({ path: join(shots, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`) })
})

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`) })

async function queueJob(description: string, script: string, options: { backup?: boolean; route?: 'auto' | 'lan' | 'cloud' } = {}) {
  await page.click('[data-testid=nav-new]')
  // The form keeps its sites between jobs (the same change often goes to the same router next).
  await page.check('[data-testid="pick-site-lab-1"]')
  await page.fill('[data-testid=job-description]', description)
  await page.fill('[data-testid=script-editor]', script)
  if (options.backup) await page.check('[data-testid=flag-backup]')
  await page.click(`[data-testid=route-${options.route ?? 'lan'}]`)
  await page.click('[data-testid=queue-job]')
  const link = page.locator('[data-testid=queued-job]')
  await link.waitFor()
  const token = (await link.textContent())!
  return { token, open: () => link.click() }
}

const detailStatus = (status: string) => page.waitForSelector(`[data-testid=job-detail][data-job-status=${status}]`, { timeout: 30_000 })

describe('the window on the real core', () => {
  it('adds a site and tests its connection', async () => {
    const router = lab.routers[0]!
    await page.click('[data-testid=nav-sites]')
    await page.click('[data-testid=add-site]')
    await page.fill('[data-testid=site-name]', 'lab-1')
    await page.fill('[data-testid=site-host]', router.host)
    await page.fill('[data-testid=site-api_port]', String(router.port))
    await page.fill('[data-testid=site-username]', router.user)
    await page.fill('[data-testid=site-password]', router.password)
    await page.fill('[data-testid=site-cloud_site_id]', CLOUD_SITE_ID)
    await page.click('[data-testid=save-site]')
    await page.waitForSelector('[data-testid=site-detail][data-site=lab-1]')
    await page.click('[data-testid=check-site]')
    await page.waitForSelector(`[data-testid=site-version]:has-text("${router.version}")`, { timeout: 20_000 })
    expect(await page.textContent('[data-testid=site-online]')).toContain('online')
    await shot('sites')
  })

  it('queues a job with a backup, watches it complete, opens the backup and its diff', async () => {
    const first = await queueJob('name the router', '/system identity set name=e2e-one', { backup: true })
    await first.open()
    await detailStatus('completed')
    await page.waitForSelector('[data-testid=job-backup-path]')
    const second = await queueJob('add camera VLAN', '/interface vlan add name=cams vlan-id=20 interface=ether1\n/system identity set name=e2e-two', {
      backup: true,
    })
    await second.open()
    await detailStatus('completed')
    await page.waitForSelector('[data-testid=job-backup-path]')
    await shot('job-detail-completed')
    expect(await page.textContent('[data-testid=detail-route]')).toBe('LAN, ran over LAN')

    await page.click('[data-testid=open-backup]')
    await page.waitForSelector('[data-testid=backup-view]')
    // The second backup was taken before the second script ran: it holds the first job's change.
    expect(await page.textContent('[data-testid=backup-text]')).toContain('e2e-one')
    await shot('backup-view')

    await page.goBack()
    await detailStatus('completed')
    // The job's backup before and its after-snapshot: exactly what this job changed, one click.
    await page.click('[data-testid=diff-job-change]')
    await page.waitForSelector('[data-testid=diff-side]')
    const diffText = await page.textContent('[data-testid=diff-side]')
    expect(diffText).toContain('vlan-id=20')
    expect(diffText).toContain('e2e-two')
    expect(await page.locator('[data-testid=diff-side] tr[data-kind=added]').count()).toBeGreaterThan(0)
    await shot('backup-diff-side')
    await page.click('[data-testid=diff-mode-unified]')
    expect(await page.textContent('[data-testid=diff-unified]')).toContain('+')
    await shot('backup-diff-unified')

    await page.click('[data-testid=nav-jobs]')
    await page.waitForSelector(`[data-testid=job-row][data-token="${second.token}"]`)
    await shot('jobs')
  })

  it('cancels a pending job and a running one: both end canceled, and the banner says so', async () => {
    const busy = await queueJob('hold the router', ':delay 20s', { route: 'lan' })
    const waiting = await queueJob('waits behind it', '/system identity print', { route: 'lan' })
    await waiting.open()
    await detailStatus('pending')
    await page.click('[data-testid=cancel-job]')
    await page.waitForSelector('[data-testid=cancel-outcome]:text-is("canceled")')
    await detailStatus('canceled')
    await shot('job-detail-canceled')

    await page.click('[data-testid=nav-jobs]')
    await page.click(`[data-testid=job-row][data-token="${busy.token}"] [data-testid=job-link]`)
    await detailStatus('in_progress')
    await page.click('[data-testid=cancel-job]')
    await detailStatus('canceled')
    // The lab stops a running script within milliseconds, so the click's "canceling" may never
    // paint; either way the banner ends saying how the job ended, never a stale "canceling".
    await page.waitForSelector('[data-testid=cancel-outcome]:text-is("canceled")')
  }, 60_000)

  it('queues a cloud job while the cloud is down, and watches it sync when it is back', async () => {
    await cloud.goOffline()
    const job = await queueJob('dns via the cloud', '/ip dns set servers=1.1.1.1', { route: 'cloud' })
    await job.open()
    await page.waitForSelector('[data-testid=sync-explanation]')
    expect(await page.textContent('[data-testid=sync-explanation]')).toContain('will sync')
    await page.waitForSelector('[data-testid=status-cloud][data-online=false]', { timeout: 20_000 })
    await shot('job-detail-waiting-to-sync')

    await cloud.goOnline()
    await page.waitForSelector('[data-testid=status-cloud][data-online=true]', { timeout: 30_000 })
    await detailStatus('completed')
    expect(await page.textContent('[data-testid=detail-cloud-job-id]')).not.toBe('—')
    expect(await page.textContent('[data-testid=detail-route]')).toBe('cloud, ran over cloud')
    await shot('job-detail-synced')
  }, 60_000)

  it('refuses a maintenance window that has already begun, under its field, and queues nothing', async () => {
    const before = core.jobStore.count()
    await page.click('[data-testid=nav-new]')
    await page.check('[data-testid="pick-site-lab-1"]')
    await page.fill('[data-testid=job-description]', 'a window typed a day late')
    await page.fill('[data-testid=script-editor]', ':put late')
    await page.click('[data-testid=route-lan]')
    // datetime-local takes the local time without an offset: yesterday at this hour.
    const yesterday = new Date(Date.now() - 86_400_000)
    const local = new Date(yesterday.getTime() - yesterday.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
    await page.fill('[data-testid=job-not-before]', local)
    await page.click('[data-testid=queue-job]')
    const error = page.locator('[data-testid=error-not_before]')
    await error.waitFor()
    expect(await error.textContent()).toMatch(/has passed \(it is .* now\), so the job would start at once: give a time still to come/)
    expect(await page.getAttribute('[data-testid=job-not-before]', 'aria-invalid')).toBe('true')
    expect(core.jobStore.count()).toBe(before)
    await page.fill('[data-testid=job-not-before]', '')
  })

  it('a double click on "Queue job" queues one job; the next submission is a new job', async () => {
    const counted = () => core.jobStore.list({ search: 'double click guard', limit: 100 }).length
    await page.click('[data-testid=nav-new]')
    await page.check('[data-testid="pick-site-lab-1"]')
    await page.fill('[data-testid=job-description]', 'double click guard')
    await page.fill('[data-testid=script-editor]', ':put once')
    await page.click('[data-testid=route-lan]')
    await page.dblclick('[data-testid=queue-job]')
    await page.locator('[data-testid=queued-job]').waitFor()
    // Both clicks were sent; let any second request land before counting.
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid=queue-job]')?.disabled)
    expect(counted()).toBe(1)
    await page.click('[data-testid=queue-job]')
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid=queue-job]')?.disabled)
    await expect.poll(counted).toBe(2)
  })

  it('shows the backups and settings screens, and nothing threw in the page', async () => {
    await page.click('[data-testid=nav-backups]')
    await page.waitForSelector('[data-testid=backup-row]')
    await shot('backups')
    // Each backup shows the number `fieldjobs backup diff A B` takes, the core's own, newest first.
    const stored = core.backups.list()
    expect(stored.length).toBeGreaterThanOrEqual(2)
    expect(await page.locator('[data-testid=backup-number]').allTextContents()).toEqual(stored.map((backup) => String(backup.id)))
    // Comparing the oldest with the newest names the terminal's command for the same diff, and the
    // numbers in it name exactly these two backups: the core's diff by number is the one on screen.
    const [newest, oldest] = [stored[0]!, stored[stored.length - 1]!]
    await page.locator(`[data-testid=backup-row][data-path="${oldest.path}"] [data-testid=diff-from]`).check()
    await page.locator(`[data-testid=backup-row][data-path="${newest.path}"] [data-testid=diff-to]`).check()
    await page.click('[data-testid=diff-selected]')
    expect(await page.textContent('[data-testid=diff-cli]')).toBe(`fieldjobs backup diff ${oldest.id} ${newest.id}`)
    await page.click('[data-testid=diff-mode-unified]')
    const byNumber = diffBackups(core.backups.read(String(oldest.id)), core.backups.read(String(newest.id)))
    expect(await page.textContent('[data-testid=diff-unified]')).toBe(byNumber.unified.split('\n').map((line) => `${line}\n`).join(''))
    await page.click(`[data-testid=backup-row][data-path="${newest.path}"] [data-testid=view-backup]`)
    expect(await page.textContent('[data-testid=backup-view-number]')).toBe(`backup ${newest.id} · `)
    await page.click('[data-testid=nav-settings]')
    await page.waitForSelector('[data-testid=settings-form]')
    expect(await page.getAttribute('[data-testid=settings-cloud_token]', 'type')).toBe('password')
    await shot('settings')
    await page.click('[data-testid=nav-new]')
    await page.waitForSelector('[data-testid=new-job-form]')
    await shot('new-job')
    expect(pageErrors).toEqual([])
  })
})
