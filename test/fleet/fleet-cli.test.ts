// The fleet day through the CLI against lab routers: tag sites, give them variables, push one
// templated batch by tag, follow it, cancel one, and see a missing variable change nothing.
import { afterEach, describe, expect, it } from 'vitest'
import type { Job } from '../../src-main/contract/job-schema'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { cli } from '../support/cli-harness'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
let lab: Lab | undefined
afterEach(async () => {
  await lab?.close()
  lab = undefined
})

/** A data folder with one site per lab router: r1..rN, each tagged as given. */
async function fleet(tags: string[][]) {
  lab = await startLab({ routers: tags.length })
  const dataDir = tempDir()
  const common = ['--data-dir', dataDir]
  for (const [index, router] of lab.routers.entries()) {
    const tagFlags = (tags[index] ?? []).flatMap((tag) => ['--tag', tag])
    const added = await cli(
      ['site', 'add', '--name', `r${index + 1}`, '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'PW', ...tagFlags, ...common],
      { env: { PW: router.password } },
    )
    expect(added.code, added.stderr).toBe(0)
  }
  return { common, routers: lab.routers }
}

describe('a templated batch by tag', () => {
  it('renders per site, runs on exactly the tagged routers, and batch show gives per-site results', async () => {
    const { common, routers } = await fleet([['north'], ['north', 'core'], ['south']])
    expect((await cli(['site', 'update', 'r3', '--tag', 'north', ...common])).code).toBe(0)
    expect((await cli(['site', 'update', 'r3', '--untag', 'north', ...common])).code).toBe(0)
    const listed = await cli(['site', 'list', '--tag', 'north', '--json', ...common])
    expect(listed.json<Array<{ name: string; tags: string[] }>>().map((site) => [site.name, site.tags])).toEqual([
      ['r1', ['north']],
      ['r2', ['core', 'north']],
    ])
    for (const [site, label] of [['r1', 'alpha'], ['r2', 'beta']]) {
      const set = await cli(['site', 'var', 'set', site as string, 'label', label as string, ...common])
      expect(set.code, set.stderr).toBe(0)
    }
    expect((await cli(['site', 'var', 'list', 'r1', ...common])).stdout).toBe('label\talpha\n')

    const template = ':local keep $label\n/system identity set name="{{var.label}}-{{site.name}}"\n'
    const created = await cli(['batch', 'create', '--script', '-', '--description', 'rename north', '--tag', 'north', '--route', 'lan', '--json', ...common], {
      stdin: template,
    })
    expect(created.code, created.stderr).toBe(0)
    const batch = created.json<{ batch_id: string; jobs: Job[] }>()
    expect(batch.jobs.map((job) => job.script)).toEqual([
      ':local keep $label\n/system identity set name="alpha-r1"\n',
      ':local keep $label\n/system identity set name="beta-r2"\n',
    ])
    expect(batch.jobs[0]).toMatchObject({ template, template_values: { 'var.label': 'alpha', 'site.name': 'r1' } })

    const run = await cli(['run', '--once', ...common])
    expect(run.code, run.stderr).toBe(0)
    expect(routers.map((router) => router.router.identity)).toEqual(['alpha-r1', 'beta-r2', 'lab-router-3'])

    const shown = await cli(['batch', 'show', batch.batch_id, ...common])
    expect(shown.code, shown.stderr).toBe(0)
    const rows = shown.stdout.trimEnd().split('\n').slice(3).map((line) => line.split('\t').slice(0, 3))
    expect(rows).toEqual([
      ['r1', batch.jobs[0]!.token, 'completed'],
      ['r2', batch.jobs[1]!.token, 'completed'],
    ])
    const listedBatches = await cli(['batch', 'list', '--json', ...common])
    expect(listedBatches.json<Array<{ batch_id: string; done: number; total: number }>>()).toMatchObject([{ batch_id: batch.batch_id, done: 2, total: 2 }])

    // The short id `run` printed is enough, as git takes a short commit id.
    const short = /^batch (\S+): 2\/2 done/m.exec(run.stdout)?.[1]
    expect(short).toBe(batch.batch_id.slice(0, 8))
    expect((await cli(['batch', 'show', short!, ...common])).stdout).toBe(shown.stdout)
  })

  it('takes the start of a batch id when it names one batch, and says which when it names several', async () => {
    const { common } = await fleet([['all']])
    const create = (key: string) =>
      cli(['batch', 'create', '--script', '-', '--description', key, '--all', '--route', 'lan', '--idempotency-key', key, ...common], { stdin: ':put 1\n' })
    for (const key of ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002', 'bbbbbbbb-0000-4000-8000-000000000003']) {
      expect((await create(key)).code).toBe(0)
    }
    const several = await cli(['batch', 'show', 'aaaaaaaa', ...common])
    expect(several.code).toBe(2)
    expect(several.stderr).toContain('aaaaaaaa starts the id of more than one batch: ')
    expect(several.stderr).toContain('aaaaaaaa-0000-4000-8000-000000000001 (')
    expect(several.stderr).toContain('aaaaaaaa-0000-4000-8000-000000000002 (')
    expect(several.stderr).toContain('give more of its id')
    const tooShort = await cli(['batch', 'show', 'bbb', ...common])
    expect(tooShort.code).toBe(3)
    expect(tooShort.stderr).toContain('no batch bbb: give its id, or at least its first 4 characters')
    const none = await cli(['batch', 'show', 'cccc', ...common])
    expect(none.code).toBe(3)
    expect(none.stderr).toContain('no batch cccc (`fieldjobs batch list` lists them)')
    // Unique: shown and canceled by it.
    expect((await cli(['batch', 'show', 'aaaaaaaa-0000-4000-8000-000000000002', '--json', ...common])).json<{ description: string }>().description).toBe(
      'aaaaaaaa-0000-4000-8000-000000000002',
    )
    const canceled = await cli(['batch', 'cancel', 'bbbb', '--json', ...common])
    expect(canceled.code, canceled.stderr).toBe(0)
    expect((await cli(['batch', 'show', 'bbbbbbbb-0000-4000-8000-000000000003', '--json', ...common])).json<{ jobs: Job[] }>().jobs.map((job) => job.status)).toEqual(['canceled'])
  })

  it('refuses the whole batch when a variable is missing on any site, naming each site and key, and creates nothing', async () => {
    const { common, routers } = await fleet([['edge'], ['edge'], ['edge']])
    await cli(['site', 'var', 'set', 'r2', 'dns', '9.9.9.9', ...common])
    const refused = await cli(['batch', 'create', '--script', '-', '--description', 'dns', '--all', ...common], {
      stdin: '/ip dns set servers={{var.dns}}\n/system identity set name={{var.label}}\n',
    })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('the template cannot be filled in, so no job was created')
    for (const [site, key] of [['r1', 'dns'], ['r1', 'label'], ['r2', 'label'], ['r3', 'dns'], ['r3', 'label']]) {
      expect(refused.stderr).toContain(`site "${site}" has no value for {{var.${key}}}`)
    }
    expect(refused.stderr).not.toContain('site "r2" has no value for {{var.dns}}')
    expect((await cli(['job', 'list', '--json', ...common])).json<Job[]>()).toEqual([])
    expect((await cli(['batch', 'list', '--json', ...common])).json<unknown[]>()).toEqual([])
    await cli(['run', '--once', ...common])
    expect(routers.map((router) => router.router.identity)).toEqual(['lab-router-1', 'lab-router-2', 'lab-router-3'])
  })

  it('--canary 1 with a failing canary cancels the rest; batch cancel cancels what has not started', async () => {
    const { common, routers } = await fleet([['all'], ['all'], ['all']])
    // The canary's value makes its script fail on the router: the others never run.
    await cli(['site', 'var', 'set', 'r1', 'iface', 'ether99', ...common])
    await cli(['site', 'var', 'set', 'r2', 'iface', 'ether1', ...common])
    await cli(['site', 'var', 'set', 'r3', 'iface', 'ether1', ...common])
    const script = '/ip address add address=10.9.9.1/24 interface={{var.iface}}\n/system identity set name=changed\n'
    const created = await cli(['batch', 'create', '--script', '-', '--description', 'canary', '--tag', 'all', '--canary', '1', '--route', 'lan', '--json', ...common], {
      stdin: script,
    })
    expect(created.code, created.stderr).toBe(0)
    const listing = await cli(['job', 'list', ...common])
    expect(listing.stdout.split('\n').filter((line) => line.includes('\tafter canary\t'))).toHaveLength(2)
    await cli(['run', '--once', ...common])
    const batch = created.json<{ batch_id: string }>()
    const shown = await cli(['batch', 'show', batch.batch_id, '--json', ...common])
    expect(shown.json<{ jobs: Job[] }>().jobs.map((job) => job.status)).toEqual(['failed', 'canceled', 'canceled'])
    expect(routers.map((router) => router.router.identity)).toEqual(['lab-router-1', 'lab-router-2', 'lab-router-3'])
    // Each canceled job says who stopped it and why, in the batch's table and in its own detail.
    const why = "canceled because the batch's canary did not succeed (r1 failed): nothing ran on this router"
    expect(shown.json<{ jobs: Job[] }>().jobs.slice(1).map((job) => job.error)).toEqual([
      { message: why, category: 'canceled', line: null, column: null },
      { message: why, category: 'canceled', line: null, column: null },
    ])
    expect((await cli(['batch', 'show', batch.batch_id, ...common])).stdout).toContain(`\tcanceled\t${why}\n`)

    const later = await cli(['batch', 'create', '--script', '-', '--description', 'tonight', '--sites', 'r2,r3', '--not-before', '23:59', '--route', 'lan', '--json', ...common], {
      stdin: '/system identity set name=tonight\n',
    })
    expect(later.code, later.stderr).toBe(0)
    const tonight = later.json<{ batch_id: string; jobs: Job[] }>()
    expect(tonight.jobs.every((job) => job.not_before !== null)).toBe(true)
    await cli(['run', '--once', ...common])
    expect(routers.map((router) => router.router.identity)).toEqual(['lab-router-1', 'lab-router-2', 'lab-router-3'])
    const starts = (await cli(['job', 'list', '--status', 'pending', ...common])).stdout.trimEnd().split('\n').slice(1).map((line) => line.split('\t')[5])
    expect(starts).toEqual([tonight.jobs[1]!.not_before, tonight.jobs[0]!.not_before])
    const canceled = await cli(['batch', 'cancel', tonight.batch_id, ...common])
    expect(canceled.code, canceled.stderr).toBe(0)
    expect(canceled.stdout).toMatch(/\n2 jobs of batch \S+ canceled or told to stop; finished ones keep their outcome\n$/)
    expect((await cli(['batch', 'show', tonight.batch_id, '--json', ...common])).json<{ jobs: Job[] }>().jobs.map((job) => job.status)).toEqual(['canceled', 'canceled'])
    // The counts read as sentences: "1 job", not "1 job(s)".
    const one = await cli(['batch', 'create', '--script', '-', '--description', 'one', '--sites', 'r1', '--not-before', '23:59', '--route', 'lan', ...common], {
      stdin: '/system identity set name=one\n',
    })
    expect(one.stdout).toMatch(/^queued batch \S+: 1 job\n/)
  })
})

describe('--not-before on job create', () => {
  it('takes HH:MM as the next such local time and refuses what is not a time', async () => {
    const dataDir = tempDir()
    const common = ['--data-dir', dataDir]
    await cli(['site', 'add', '--name', 'x', '--host', '127.0.0.1', '--user', 'admin', '--password-env', 'PW', '--no-check', ...common], { env: { PW: 'p' } })
    const created = await cli(['job', 'create', '--site', 'x', '--description', 'later', '--script', '-', '--not-before', '03:00', '--json', ...common], { stdin: ':put 1' })
    expect(created.code, created.stderr).toBe(0)
    const notBefore = Date.parse(created.json<Job>().not_before!)
    expect(notBefore).toBeGreaterThan(Date.now())
    expect(notBefore - Date.now()).toBeLessThanOrEqual(24 * 3_600_000)
    expect(new Date(notBefore).getHours()).toBe(3)
    const shown = await cli(['job', 'show', created.json<Job>().token, ...common])
    expect(shown.stdout).toContain('waiting for its maintenance window')
    const bad = await cli(['job', 'create', '--site', 'x', '--description', 'later', '--script', '-', '--not-before', 'tonight', ...common], { stdin: ':put 1' })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--not-before "tonight": give a time as HH:MM')
    // Each example the message gives is taken: one a user copies must not be refused in turn (as past).
    const examples = bad.stderr.match(/\d{4}-\d{2}-\d{2}T[\d:]+Z?/g) ?? []
    expect(examples).toHaveLength(2)
    for (const example of examples) {
      const taken = await cli(['job', 'create', '--site', 'x', '--description', 'later', '--script', '-', '--not-before', example, ...common], { stdin: ':put 1' })
      expect(taken.code, `${example}: ${taken.stderr}`).toBe(0)
    }
  })

  it('refuses a start that has passed (a mistyped date would run the change at once), with exit 2', async () => {
    const dataDir = tempDir()
    const common = ['--data-dir', dataDir]
    await cli(['site', 'add', '--name', 'x', '--host', '127.0.0.1', '--user', 'admin', '--password-env', 'PW', '--no-check', ...common], { env: { PW: 'p' } })
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 16)
    const refused = await cli(['job', 'create', '--site', 'x', '--description', 'later', '--script', '-', '--not-before', yesterday, ...common], { stdin: ':put 1' })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/^fieldjobs job: --not-before: \S+ has passed \(it is \S+ now\), so the job would start at once: give a time still to come, or leave it out/m)
    expect((await cli(['job', 'list', '--json', ...common])).json<Job[]>()).toEqual([])
  })
})
