// Commit-confirmed jobs end to end: a real core and queue engine, the real LAN executor and client,
// lab routers on 127.0.0.1 whose scheduler runs on virtual time shared with the executor's waits
// (VirtualTime), so a 60 s revert window costs no real time. Each test waits on the job's events.
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { statusExplanation } from '../../src-main/cli/format'
import { BatchService } from '../../src-main/core/batch/batch-service'
import { configurationBody, parseRouterClock, schedulerStart } from '../../src-main/core/lan/commit-confirmed'
import { LanExecutor } from '../../src-main/core/lan/lan-executor'
import { startLab, type Lab, type LabRouter } from '../../src-main/lab/lab'
import type { AccessChange } from '../../src-main/lab/router'
import { VirtualTime } from '../../src-main/lab/virtual-time'
import { untilFinished } from '../support/job-events'
import { addSite, openTempCore, type TempCore, unreachableRouter } from '../support/temp-core'
import { addLabSite } from './lab-site'

let temp: TempCore
let lab: Lab | undefined
let time: VirtualTime
beforeEach(() => {
  temp = openTempCore()
  time = new VirtualTime()
})
afterEach(async () => {
  await temp.cleanup()
  await lab?.close()
  lab = undefined
})

async function startRouter(version?: string): Promise<LabRouter> {
  lab = await startLab({ routers: 1, now: time.now, timers: time.timers, version })
  return lab.routers[0]!
}

function startQueue() {
  const { core } = temp
  const executor = new LanExecutor({
    sitePassword: (site) => core.sitePassword(site),
    backups: core.backups,
    clock: { now: time.now },
    sleep: time.sleep,
  })
  return core.startQueue(executor, { concurrency: 2 }).engine
}

function progressOf(jobId: string): string[] {
  const lines: string[] = []
  temp.core.events.subscribe((event) => {
    if (event.type === 'job.progress' && event.job_id === jobId) lines.push(event.message)
  })
  return lines
}

/** The commands the router runs, in order, each as `/path/verb` plus its `script=/export` if any. */
function commandLog(entry: LabRouter): string[] {
  const log: string[] = []
  const run = entry.router.run.bind(entry.router)
  entry.router.run = (command, ctx) => {
    const script = command.attributes.get('script')
    log.push(script === '/export' ? `${command.command} script=/export` : command.command)
    return run(command, ctx)
  }
  return log
}

/** Exports taken before the script was sent (v7: `/execute script=/export as-string`). */
const exportsBeforeScript = (log: string[]) => log.slice(0, log.indexOf('/system/script/add')).filter((line) => line === '/execute script=/export')

/** The configuration as an export without its header (date, version, software id, model, serial). */
const configuration = (entry: LabRouter) => entry.router.exportText({ header: false })

const LOCKOUTS = {
  'disables the api service': '/ip service disable api\n',
  'moves the management address': '/ip address set [find address="192.168.88.1/24"] address=192.168.77.1/24\n',
  'drops the api port in the firewall': '/ip firewall filter add chain=input protocol=tcp dst-port=8728 action=drop place-before=0\n',
}

describe('commit-confirmed jobs on the LAN', () => {
  for (const [what, script] of Object.entries(LOCKOUTS)) {
    it(`a script that ${what} ends reverted, with the configuration from before the job`, async () => {
      const entry = await startRouter()
      const site = addLabSite(temp.core, entry)
      await entry.router.runScript('/system identity set name=before-the-job\n/ip dns set servers=9.9.9.9')
      const before = configuration(entry)
      const losses: AccessChange[] = []
      entry.router.onAccessChange((change) => losses.push(change))

      const { job } = temp.core.jobs.create({ site_id: site.id, description: what, script, revert_after_s: 60 })
      const progress = progressOf(job.id)
      const done = untilFinished(temp.core, job.id)
      startQueue()
      const result = await done

      expect(result.status).toBe('reverted')
      expect(statusExplanation(result)).toMatch(/^reverted: .*restored its configuration from before the job; the change is gone$/)
      expect(result.error?.category).toBe('connection')
      expect(result.error?.message).toMatch(/restored the configuration from before the job at 2026-11-22 16:01:00 \(router time\).*equals that snapshot/)
      // The lab cut the app off: the script's connection ended, and new connections were refused.
      expect(losses.length).toBeGreaterThan(0)
      expect(result.output).toContain('the connection ended while the script ran')
      expect(progress.some((line) => /does not answer yet: .*refused/i.test(line))).toBe(true)
      // The router restored itself: same export (without header), no scheduler, no snapshot left.
      expect(configuration(entry)).toBe(before)
      expect(entry.router.identity).toBe('before-the-job')
      expect(entry.router.menu('/system/scheduler').items()).toEqual([])
      expect(entry.router.menu('/file').items().map((file) => file.values.name)).toEqual([])
    })
  }

  it("a revert keeps the router's secrets: a WireGuard private key is the same after the restore", async () => {
    const entry = await startRouter()
    const site = addLabSite(temp.core, entry)
    // The restore runs the snapshot; without show-sensitive in it, RouterOS 7 would make a new key and break every tunnel.
    await entry.router.runScript('/interface wireguard add name=wg-office')
    const keyOf = () => entry.router.menu('/interface/wireguard').items()[0]?.values['private-key']
    const key = keyOf()
    expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/)
    const { job } = temp.core.jobs.create({ site_id: site.id, description: 'lockout', script: LOCKOUTS['disables the api service'], revert_after_s: 60 })
    const done = untilFinished(temp.core, job.id)
    startQueue()
    expect((await done).status).toBe('reverted')
    expect(keyOf()).toBe(key)
  })

  it('a harmless script completes; the scheduler and the snapshot are removed and nothing restores later', async () => {
    const entry = await startRouter()
    const site = addLabSite(temp.core, entry)
    const rebooted: string[] = []
    entry.router.onReboot(() => rebooted.push('reboot'))
    const { job } = temp.core.jobs.create({
      site_id: site.id,
      description: 'rename',
      script: '/system identity set name=confirmed\n',
      revert_after_s: 60,
    })
    const progress = progressOf(job.id)
    const done = untilFinished(temp.core, job.id)
    startQueue()
    const result = await done
    expect(result.status).toBe('completed')
    expect(result.output).toContain('confirmed: the router answered on a new connection after the script')
    expect(progress.some((line) => line.includes('the router restores it at 2026-11-22 16:01:00'))).toBe(true)
    expect(progress.at(-1)).toBe('confirmed: the router answered after the script; the revert is canceled and the change stays')
    expect(entry.router.menu('/system/scheduler').items()).toEqual([])
    expect(entry.router.menu('/file').items()).toEqual([])
    expect(entry.router.menu('/system/script').items()).toEqual([])
    await time.advance(10 * 60_000)
    expect(rebooted).toEqual([])
    expect(entry.router.identity).toBe('confirmed')
  })

  it('with a backup too, one export before the script serves as backup and baseline; a lockout still reverts', async () => {
    const entry = await startRouter()
    const site = addLabSite(temp.core, entry)
    const before = configuration(entry)
    const log = commandLog(entry)
    const { job } = temp.core.jobs.create({
      site_id: site.id,
      description: 'cut off',
      script: LOCKOUTS['disables the api service'],
      should_backup: true,
      revert_after_s: 60,
    })
    const done = untilFinished(temp.core, job.id)
    startQueue()
    const result = await done
    expect(result.status).toBe('reverted')
    expect(exportsBeforeScript(log)).toHaveLength(1)
    expect(configuration(entry)).toBe(before)
    expect(configurationBody(temp.core.backups.read(result.associated_backup!).text)).toBe(before)
  })

  it('with a backup too, a leftover restore of an earlier attempt is removed and the baseline taken again', async () => {
    const entry = await startRouter()
    const site = addLabSite(temp.core, entry)
    const { job } = temp.core.jobs.create({
      site_id: site.id,
      description: 'rename',
      script: '/system identity set name=confirmed\n',
      should_backup: true,
      revert_after_s: 60,
    })
    await entry.router.runScript(`/system scheduler add name=fieldjobs-revert-${job.token} start-date=2030-01-01 start-time=00:00:00 interval=0s on-event=":log info leftover"`)
    const before = configuration(entry)
    const log = commandLog(entry)
    const done = untilFinished(temp.core, job.id)
    startQueue()
    const result = await done
    expect(result.status).toBe('completed')
    // The backup holds the leftover scheduler; the baseline, taken after its removal, does not.
    expect(exportsBeforeScript(log)).toHaveLength(2)
    expect(configurationBody(temp.core.backups.read(result.associated_backup!).text)).toBe(before)
    expect(entry.router.menu('/system/scheduler').items()).toEqual([])
    expect(entry.router.identity).toBe('confirmed')
  })

  it('a failing script on a reachable router is confirmed and fails with its own error', async () => {
    const entry = await startRouter()
    const site = addLabSite(temp.core, entry)
    const { job } = temp.core.jobs.create({
      site_id: site.id,
      description: 'half of it works',
      script: '/system identity set name=first-line-ran\n/ip address add address=10.9.9.1/24 interface=nope\n',
      revert_after_s: 30,
    })
    const done = untilFinished(temp.core, job.id)
    startQueue()
    const result = await done
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ category: 'script', line: 2 })
    expect(result.output).toContain('confirmed:')
    expect(entry.router.menu('/system/scheduler').items()).toEqual([])
    expect(entry.router.identity).toBe('first-line-ran')
  })

  it('RouterOS 6 (no show-sensitive, old dates): a lockout ends reverted too', async () => {
    const entry = await startRouter('6.49.10')
    const site = addLabSite(temp.core, entry)
    const before = configuration(entry)
    const { job } = temp.core.jobs.create({ site_id: site.id, description: 'cut off', script: LOCKOUTS['disables the api service'], revert_after_s: 60 })
    const progress = progressOf(job.id)
    const done = untilFinished(temp.core, job.id)
    startQueue()
    const result = await done
    expect(result.status).toBe('reverted')
    expect(progress.some((line) => line.includes('the router restores it at nov/22/2026 16:01:00'))).toBe(true)
    expect(configuration(entry)).toBe(before)
    expect(entry.router.menu('/file').items()).toEqual([])
  })

  it('a cancel while the router does not answer stops waiting and leaves the restore armed', async () => {
    const entry = await startRouter()
    const site = addLabSite(temp.core, entry)
    const before = configuration(entry)
    const { job } = temp.core.jobs.create({ site_id: site.id, description: 'cut off', script: LOCKOUTS['disables the api service'], revert_after_s: 60 })
    const done = untilFinished(temp.core, job.id)
    // Cancel at the first failed reconnect, i.e. inside the revert window.
    const stop = temp.core.events.subscribe((event) => {
      if (event.type === 'job.progress' && event.job_id === job.id && event.message.startsWith('the router does not answer yet')) {
        stop()
        temp.core.jobs.cancel(job.id)
      }
    })
    startQueue()
    const result = await done
    expect(result.status).toBe('canceled')
    expect(result.output).toContain('the router still restores the configuration from before the job at 2026-11-22 16:01:00')
    // The router is still safe: its scheduler fires and restores.
    expect(entry.router.menu('/system/scheduler').items().map((item) => item.values.name)).toEqual([`fieldjobs-revert-${job.token}`])
    await time.advance(60_000)
    await entry.router.whenResetSettled()
    expect(configuration(entry)).toBe(before)
  })
})

describe('the settings default for revert after', () => {
  it('applies to LAN-capable jobs that do not say; null says no revert; cloud jobs get none', async () => {
    const site = addSite(temp.core, 'office', { cloud_site_id: randomUUID() })
    const create = (fields: Record<string, unknown>) =>
      temp.core.jobs.create({ site_id: site.id, description: 'log a line', script: '/log info x', ...fields }).job.revert_after_s
    expect(create({})).toBeNull()
    temp.core.settings.update({ default_revert_after_s: 90 })
    expect(create({})).toBe(90)
    expect(create({ route: 'lan' })).toBe(90)
    expect(create({ revert_after_s: 45 })).toBe(45)
    expect(create({ revert_after_s: null })).toBeNull()
    expect(create({ route: 'cloud' })).toBeNull()
  })

  it('refuses a revert window on a cloud job: the cloud API has no commit-confirmed', () => {
    const site = addSite(temp.core, 'office', { cloud_site_id: randomUUID() })
    expect(() =>
      temp.core.jobs.create({ site_id: site.id, description: 'log a line', script: '/log info x', route: 'cloud', revert_after_s: 60 }),
    ).toThrow(/cloud job cannot revert itself; use route lan \(or auto\)/)
    expect(temp.core.jobStore.count()).toBe(0)
  })

  it('reaches every job of a batch that does not say; 0 from the form means none', () => {
    const sites = [addSite(temp.core, 'a'), addSite(temp.core, 'b')]
    temp.core.settings.update({ default_revert_after_s: 120 })
    const batches = new BatchService(temp.core)
    const base = { site_ids: sites.map((site) => site.id), description: 'roll out', script: '/log info x' }
    expect(batches.create(base).jobs.map((job) => job.revert_after_s)).toEqual([120, 120])
    expect(batches.create({ ...base, revert_after_s: 45 }).jobs.map((job) => job.revert_after_s)).toEqual([45, 45])
    expect(batches.create({ ...base, revert_after_s: null }).jobs.map((job) => job.revert_after_s)).toEqual([null, null])
  })

  it('an auto job with a revert window waits for the LAN instead of going to the cloud without its safety net', async () => {
    const site = addSite(temp.core, 'remote', { cloud_site_id: randomUUID() })
    const { job } = temp.core.jobs.create({ site_id: site.id, description: 'risky change', script: '/log info x', revert_after_s: 60 })
    const { engine } = temp.core.startQueue(unreachableRouter)
    await engine.whenIdle()
    await engine.stop()
    expect(temp.core.jobStore.get(job.id)).toMatchObject({ status: 'pending', sync_state: 'local', attempts: 1 })
  })
})

describe('the restore time on the router clock', () => {
  it('crosses midnight and the year in the format the router prints', () => {
    const iso = parseRouterClock('2026-11-22', '23:59:45')
    expect(schedulerStart(iso.ms + 30_000, iso.iso)).toEqual({ 'start-date': '2026-11-23', 'start-time': '00:00:15' })
    const old = parseRouterClock('dec/31/2026', '23:59:50')
    expect(schedulerStart(old.ms + 60_000, old.iso)).toEqual({ 'start-date': 'jan/01/2027', 'start-time': '00:00:50' })
    expect(() => parseRouterClock('', '')).toThrow(/not a date and time/)
  })

  it('compares exports without their leading comment lines only', () => {
    const a = '# 2026-11-22 16:00:00 by RouterOS 7.18.2\n# software id = AB12-CD34\n/system identity\nset name=x\n'
    const b = '# 2026-11-22 16:05:00 by RouterOS 7.18.2\n# software id = AB12-CD34\n/system identity\nset name=x\n'
    expect(configurationBody(a)).toBe(configurationBody(b))
    expect(configurationBody(`${a}# a note inside\n`)).not.toBe(configurationBody(b))
  })
})
