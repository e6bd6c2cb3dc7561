// The LAN executor end to end: a real core and queue engine, real lab routers on 127.0.0.1, the
// real client. Each test waits on the job's events, never on time.
import { existsSync, readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Job, linesThatRan } from '../../src-main/contract/job-schema'
import { lanExecutorFor } from '../../src-main/core/app/runtime'
import { commandsBeforeFromLint } from '../../src-main/lint/commands-before'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { nextEvent, untilFinished } from '../support/job-events'
import { openTempCore, type TempCore } from '../support/temp-core'
import { addLabSite } from './lab-site'

let temp: TempCore
let lab: Lab | undefined
beforeEach(() => {
  temp = openTempCore()
})
afterEach(async () => {
  await temp.cleanup()
  await lab?.close()
  lab = undefined
})

function startQueue() {
  const { core } = temp
  return core.startQueue(lanExecutorFor(core, commandsBeforeFromLint), { concurrency: 4 }).engine
}

/** One lab router as a site, one job on it, the queue started: resolves once the job has finished. */
async function runOnLabRouter(
  fields: { description: string; script: string } & Record<string, unknown>,
  options: { version?: string; site?: Record<string, unknown> } = {},
) {
  lab = await startLab({ routers: 1, version: options.version })
  const router = lab.routers[0]!
  const site = addLabSite(temp.core, router, options.site)
  const { job } = temp.core.jobs.create({ site_id: site.id, ...fields })
  const done = untilFinished(temp.core, job.id)
  startQueue()
  return { router, site, result: await done }
}

describe('LanExecutor against lab routers', () => {
  it('takes a real export first, records associated_backup exactly, runs the script', async () => {
    const { router, site, result } = await runOnLabRouter({
      description: 'rename the router',
      script: '/system identity set name=renamed-by-job\n',
      should_backup: true,
    })
    expect(result.status).toBe('completed')
    expect(result.associated_backup).toMatch(new RegExp(`^${site.id}/\\d+\\.rsc$`))
    const file = temp.core.backups.file(result.associated_backup!)
    expect(file).toBe(`${temp.dataDir}/backups/${site.id}/${result.associated_backup!.split('/')[1]}`)
    const text = readFileSync(file, 'utf8')
    expect(text).toMatch(/^# .* by RouterOS 7\.18\.2\n# software id = /)
    // The export was taken before the change.
    expect(text).toContain('set name=lab-router-1')
    expect(temp.core.backups.read(result.associated_backup!).intact).toBe(true)
    expect(router.router.identity).toBe('renamed-by-job')
    // The temporary script entry is gone.
    expect(router.router.menu('/system/script').items()).toHaveLength(0)
  })

  it('a failing line fails the job with line, column and the warning; earlier lines stay applied', async () => {
    const { router, result } = await runOnLabRouter({
      description: 'half of it works',
      script: '/system identity set name=first-line-ran\n/ip address add address=10.9.9.1/24 interface=nope\n',
    })
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ category: 'script', line: 2, column: 1 })
    expect(result.error?.message).toContain('input does not match any value of interface')
    expect(result.error?.message).toContain('may already be in effect')
    expect(router.router.identity).toBe('first-line-ran')
    expect(router.router.menu('/system/script').items()).toHaveLength(0)
    expect(result.attempts).toBe(1)
  })

  it('a script that does not parse says nothing of it ran, and nothing did', async () => {
    const { router, result } = await runOnLabRouter({
      description: 'open brace',
      script: '/system identity set name=must-not-run\n:if (true) do={\n:put inside\n',
    })
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ category: 'script', line: expect.any(Number) })
    expect(result.error?.message).toMatch(/^the script did not parse: .*; nothing of it ran on the router$/)
    expect(result.error?.message).not.toContain('may already be in effect')
    expect(router.router.identity).not.toBe('must-not-run')
  })

  it('a failure at line 2 names line 1 as the one that ran', async () => {
    const { result } = await runOnLabRouter({
      description: 'second line fails',
      script: '/system identity set name=first\n/ip address add address=10.9.9.1/24 interface=nope\n',
    })
    expect(result.error?.message).toContain('; line 1 ran before it and may already be in effect on the router')
  })

  it('a failure after lines that only choose a menu says nothing ran, and the warning is not given', async () => {
    const { result } = await runOnLabRouter({
      description: 'menu, then a bad add',
      script: '# cameras\n/interface vlan\n\nadd name=cams vlan-id=20 interface=ether9\n',
    })
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ category: 'script', line: 4 })
    expect(result.error?.message).toMatch(/; the lines before it only choose a menu, so nothing of the script changed the router$/)
    expect(linesThatRan(result.error!)).toBeUndefined()
  })

  it('a command before the failing line keeps the warning, naming every line before it', async () => {
    const { result } = await runOnLabRouter({
      description: 'a command, a menu, a bad add',
      script: '/system identity set name=first\n/interface vlan\nadd name=cams vlan-id=20 interface=ether9\n',
    })
    expect(result.error?.message).toContain('; lines 1-2 ran before it and may already be in effect on the router')
    expect(linesThatRan(result.error!)).toBe('lines 1-2 ran')
  })

  it('without acknowledgement, completes once the router has the script', async () => {
    const { result } = await runOnLabRouter({
      description: 'fire and forget',
      script: '/system identity set name=background\n',
      needs_acknowledgement: false,
    })
    expect(result.status).toBe('completed')
    expect(result.output).toContain('delivered')
    expect(result.output).toContain('not known')
  })

  it('cancel while the script runs stops it on the router and ends canceled', async () => {
    lab = await startLab({ routers: 1 })
    const router = lab.routers[0]!
    const site = addLabSite(temp.core, router)
    const { job } = temp.core.jobs.create({
      site_id: site.id,
      description: 'slow script',
      script: '/system identity set name=before-delay\n:delay 60s\n/system identity set name=after-delay\n',
    })
    const running = nextEvent(temp.core.events, (event) => event.type === 'job.progress' && event.job_id === job.id && event.message.startsWith('script sent'))
    const done = untilFinished(temp.core, job.id)
    startQueue()
    await running
    // The script job exists on the router once run has reached it; wait for it via the router's table.
    const jobs = router.router.menu('/system/script/job')
    while (jobs.items().length === 0) await new Promise((resolve) => setImmediate(resolve))
    expect(temp.core.jobs.cancel(job.token).outcome).toBe('canceling')
    const result = await done
    expect(result.status).toBe('canceled')
    expect(jobs.items()).toHaveLength(0)
    expect(router.router.identity).toBe('before-delay')
    expect(router.router.menu('/system/script').items()).toHaveLength(0)
  })

  it('connection refused: nothing delivered, the job waits to be retried', async () => {
    lab = await startLab({ routers: 1 })
    const router = lab.routers[0]!
    await router.server.setFaults({ refuseConnections: true })
    const site = addLabSite(temp.core, router)
    const { job } = temp.core.jobs.create({ site_id: site.id, description: 'router is down', script: '/system identity set name=x\n' })
    const retried = nextEvent(
      temp.core.events,
      (event) => event.type === 'job.changed' && event.job.id === job.id && event.from === 'in_progress' && event.job.status === 'pending',
    )
    startQueue()
    const { job: waiting } = (await retried) as { job: Job }
    expect(waiting.next_attempt_at).not.toBeNull()
    expect(waiting.error).toMatchObject({ category: 'connection' })
    expect(waiting.error?.message).toContain('refused')
    expect(waiting.attempts).toBe(1)
  })

  it('wrong password: failed, not retried', async () => {
    const { result } = await runOnLabRouter(
      { description: 'bad credentials', script: '/system identity set name=x\n' },
      { site: { password: 'not-the-password' } },
    )
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ category: 'auth' })
    expect(result.error?.message).toContain('invalid user name or password')
    expect(result.attempts).toBe(1)
    expect(result.next_attempt_at).toBeNull()
  })

  it('RouterOS 6: the backup goes through /export file= and /file, and the file is removed', async () => {
    const { router, result } = await runOnLabRouter(
      { description: 'v6 with backup', script: '/system identity set name=v6-changed\n', should_backup: true },
      { version: '6.49.10' },
    )
    expect(result.status, JSON.stringify(result.error)).toBe('completed')
    const text = temp.core.backups.read(result.associated_backup!).text
    expect(text).toMatch(/^# .* by RouterOS 6\.49\.10\n/)
    expect(existsSync(temp.core.backups.file(result.associated_backup!))).toBe(true)
    expect(router.router.menu('/file').items().filter((file) => file.values.name.startsWith('fieldjobs-'))).toHaveLength(0)
    expect(router.router.identity).toBe('v6-changed')
  })
})
