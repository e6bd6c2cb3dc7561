// The bad-input matrix: each input a user can get wrong, driven through the surfaces the user touches
// (the `fieldjobs` CLI in-process; the runtime behind `fieldjobs run --once` and `fieldjobs sync
// --once`; the API behind the window), each asserting a clear message that says what to fix, a
// truthful job state, and that nothing else stored was lost.
//
// Covered elsewhere, on purpose not repeated here:
// - a wrong TLS fingerprint: test/routeros/tls-pinning*.test.ts;
// - a corrupt database file, or one from a newer schema (clear error, file never overwritten), at the
//   store: test/core/database.test.ts. Here only the CLI surface of those two is checked.
import { randomUUID } from 'node:crypto'
import dns from 'node:dns'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import { dispatch } from '../../src-main/api/dispatch'
import { type Job, SCRIPT_MAX_BYTES } from '../../src-main/contract/job-schema'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { startLab, type Lab, type LabRouter } from '../../src-main/lab/lab'
import { startCloudSync } from '../../src-main/core/cloud/start-cloud-sync'
import { CloudFake } from '../cloud-fake/cloud-fake'
import { cli, type CliRun } from '../support/cli-harness'
import { freePort } from '../support/free-port'
import { useTempDirs } from '../support/temp-dirs'
import { storedState } from './stored-state'

const PASSWORD_ENV = 'ROUTER_PASSWORD'

const tempDir = useTempDirs()

let dir: string
let scriptFile: string
const env = (extra: Record<string, string> = {}) => ({ [PASSWORD_ENV]: 'router-password', ...extra })
const inDir = (args: string[]) => [...args, '--data-dir', dir]
const run = (args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) =>
  cli(inDir(args), { env: env(options.env), stdin: options.stdin })

/** What every data folder holds before a case: work the case must not touch. */
async function seedOtherWork(): Promise<void> {
  const core = FieldjobsCore.open({ dataDir: dir })
  try {
    const keep = core.addSite({ name: 'keep', host: '192.0.2.10', username: 'admin', password: 'keep-pw', cloud_site_id: randomUUID() })
    const canceled = core.jobs.create({ site_id: keep.id, description: 'a canceled job', script: '/log info "kept"' }).job
    core.jobs.cancel(canceled.id)
    await core.backups.save(keep.id, '# 2026-01-01 10:00:00 by RouterOS 7.18.2\n/ip dns\nset servers=9.9.9.9\n', Date.UTC(2026, 0, 1), canceled.id)
  } finally {
    await core.close()
  }
}

beforeEach(async () => {
  dir = tempDir('fieldjobs-bad-input-')
  scriptFile = join(dir, 'script.rsc')
  writeFileSync(scriptFile, '/system identity set name=fieldjobs\n')
  await seedOtherWork()
})

/** Runs `action`, then proves nothing stored changed except the jobs named in `changedJobs`. */
async function expectNothingLost<T>(action: () => Promise<T>, changedJobs: readonly string[] = []): Promise<T> {
  const before = storedState(dir, changedJobs)
  const result = await action()
  expect(storedState(dir, changedJobs)).toEqual(before)
  return result
}

const addSiteArgs = (name: string, host: string, port: number) => ['site', 'add', '--no-check', '--name', name, '--host', host, '--port', String(port), '--user', 'admin', '--password-env', PASSWORD_ENV]

async function addSite(name: string, host: string, port: number, password = 'router-password'): Promise<void> {
  const added = await run(addSiteArgs(name, host, port), { env: { [PASSWORD_ENV]: password } })
  expect(added.code, added.stderr).toBe(0)
}

async function createJob(site: string): Promise<Job> {
  const created = await run(['job', 'create', '--site', site, '--description', 'set the identity', '--script', scriptFile, '--json'])
  expect(created.code, created.stderr).toBe(0)
  return created.json<Job>()
}

async function showJob(job: Job): Promise<Job & { note: string | null }> {
  const shown = await run(['job', 'show', job.token, '--json'])
  expect(shown.code, shown.stderr).toBe(0)
  return shown.json()
}

/** Creates a job for `site`, runs the queue once through the CLI, returns the run and the job after. */
async function runJobOnce(site: string): Promise<{ job: Job & { note: string | null }; output: CliRun }> {
  const queued = await createJob(site)
  const output = await expectNothingLost(() => run(['run', '--once']), [queued.id])
  const job = await showJob(queued)
  // `run --once` exits 1 when a job of its round failed (as ansible-playbook does for a host).
  expect(output.code, output.stderr).toBe(job.status === 'failed' ? 1 : 0)
  return { job, output }
}

/** A CLI call that must be refused, change nothing, and say why on stderr. */
async function refused(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const result = await expectNothingLost(() => run(args, options))
  expect(result.stdout).toBe('')
  return result
}

/** Calls the API the window uses (the same handlers as IPC and the browser bridge), on `dir`. */
async function callApi(channel: string, payload: unknown) {
  const core = FieldjobsCore.open({ dataDir: dir })
  try {
    return await dispatch(createApiHandlers({ core }), channel, payload)
  } finally {
    await core.close()
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('an empty or oversized script', () => {
  beforeEach(() => addSite('office', '127.0.0.1', 8728))

  it('an empty script file: exit 2, says the script is empty', async () => {
    writeFileSync(scriptFile, '')
    const result = await refused(['job', 'create', '--site', 'office', '--description', 'set the identity', '--script', scriptFile])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('fieldjobs job: --script is empty: give the RouterOS commands to run\n')
  })

  it('a blank script on standard input: exit 2, the same message', async () => {
    const result = await refused(['job', 'create', '--site', 'office', '--description', 'set the identity', '--script', '-'], { stdin: ' \n\t\n' })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('fieldjobs job: --script is empty: give the RouterOS commands to run\n')
  })

  it('a script over 64 KB: exit 2, says the limit and how to split it', async () => {
    writeFileSync(scriptFile, `/log info "${'x'.repeat(SCRIPT_MAX_BYTES)}"\n`)
    const result = await refused(['job', 'create', '--site', 'office', '--description', 'set the identity', '--script', scriptFile])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      "fieldjobs job: --script is larger than 64 KB, RouterOS's limit for one script: split it into several jobs\n",
    )
  })

  it('exec with an empty script: exit 2 before connecting anywhere', async () => {
    const result = await refused(['exec', '--host', '127.0.0.1', '--port', String(await freePort()), '--user', 'admin',
      '--password-env', PASSWORD_ENV, '--script', '-'], { stdin: '' })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('fieldjobs exec: the script is empty: give the RouterOS commands to run\n')
  })
})

describe('a description too short or too long', () => {
  beforeEach(() => addSite('office', '127.0.0.1', 8728))
  const create = (description: string) =>
    refused(['job', 'create', '--site', 'office', '--description', description, '--script', scriptFile])

  it('2 characters: exit 2, says at least 3', async () => {
    const result = await create('ab')
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('fieldjobs job: --description must be at least 3 characters\n')
  })

  it('2 characters padded with spaces: the spaces do not count', async () => {
    const result = await create('   ab   ')
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('fieldjobs job: --description must be at least 3 characters\n')
  })

  it('101 characters: exit 2, says at most 100', async () => {
    const result = await create('x'.repeat(101))
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('fieldjobs job: --description must be at most 100 characters\n')
  })

  it('none at all: exit 2, says it is required', async () => {
    const result = await refused(['job', 'create', '--site', 'office', '--script', scriptFile])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('fieldjobs job: --description is required\n')
  })

  it('several mistakes at once: each is named, by its flag', async () => {
    const result = await refused(
      ['job', 'create', '--site', 'office', '--description', 'ab', '--script', '-', '--route', 'wifi'],
      { stdin: '' },
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      'fieldjobs job: --description must be at least 3 characters; --script is empty: give the RouterOS commands to run; ' +
        '--route: must be one of auto, lan, cloud\n',
    )
  })
})

describe('invalid UUIDs', () => {
  it('an idempotency key that is not a UUID: exit 2, shows what one looks like', async () => {
    await addSite('office', '127.0.0.1', 8728)
    const result = await refused(['job', 'create', '--site', 'office', '--description', 'set the identity', '--script', scriptFile,
      '--idempotency-key', 'job-42'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('fieldjobs job: --idempotency-key: must be a UUID, like 7c7c1e4e-1918-4918-8a18-1e1818181818\n')
  })

  it('a cloud site id that is not a UUID: exit 2, no site added', async () => {
    const result = await refused([...addSiteArgs('office', '127.0.0.1', 8728), '--cloud-site-id', 'depot-7'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('fieldjobs site: --cloud-site-id: must be a UUID, like 7c7c1e4e-1918-4918-8a18-1e1818181818\n')
  })

  it('a site id that is not a UUID, from the window: a validation error naming the field', async () => {
    const answer = await expectNothingLost(() => callApi('jobs:create', { site_id: 'office', description: 'set the identity', script: '/log info "x"' }))
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'validation',
        message: 'site_id: must be a UUID, like 7c7c1e4e-1918-4918-8a18-1e1818181818',
        issues: [{ path: 'site_id', message: 'must be a UUID, like 7c7c1e4e-1918-4918-8a18-1e1818181818' }],
      },
    })
  })
})

describe('an unknown site', () => {
  it('job create for a site that does not exist: exit 3, says where to look', async () => {
    const result = await refused(['job', 'create', '--site', 'ghost', '--description', 'set the identity', '--script', scriptFile])
    expect(result.code).toBe(3)
    expect(result.stderr).toBe('fieldjobs job: no site named "ghost": see `fieldjobs site list`\n')
  })

  it('site check and job list for it: exit 3, the same message', async () => {
    for (const args of [['site', 'check', 'ghost'], ['job', 'list', '--site', 'ghost']]) {
      const result = await refused(args)
      expect(result.code).toBe(3)
      expect(result.stderr).toMatch(/^fieldjobs (site|job): no site named "ghost": see `fieldjobs site list`\n$/)
    }
  })

  it('a well-formed site id nobody has, from the window: not_found with the id', async () => {
    const siteId = randomUUID()
    const answer = await expectNothingLost(() => callApi('jobs:create', { site_id: siteId, description: 'set the identity', script: '/log info "x"' }))
    expect(answer).toMatchObject({ ok: false, error: { code: 'not_found', message: `no site with id ${siteId}` } })
  })
})

describe('a host that resolves nowhere', () => {
  // nowhere.invalid can never resolve (RFC 6761), but this machine's resolver would still send the
  // query to a DNS server off the machine. Tests send nothing beyond loopback, so the lookup is
  // answered here, exactly as getaddrinfo answers a name that does not exist.
  const lookups: string[] = []
  beforeEach(() => {
    lookups.length = 0
    vi.spyOn(dns, 'lookup').mockImplementation(((host: string, _options: unknown, callback: (error: Error) => void) => {
      lookups.push(host)
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: host })
      process.nextTick(() => callback(error))
    }) as typeof dns.lookup)
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('a queued job waits with backoff, and its error says the name does not resolve', async () => {
    await addSite('office', 'nowhere.invalid', 8728)
    const { job, output } = await runJobOnce('office')
    const message =
      "the host name nowhere.invalid does not resolve to an address: check the host for a typo, or use the router's IP address " +
      '(nothing reached the router; it will be retried)'
    expect(job).toMatchObject({ status: 'pending', attempts: 1, error: { message, category: 'connection' } })
    expect(Date.parse(job.next_attempt_at as string)).toBeGreaterThan(Date.parse(job.created_at))
    expect(job.note).toBe(`waiting to retry: ${message}`)
    // `job show` says when, as the window does.
    expect((await run(['job', 'show', job.token])).stdout).toMatch(new RegExp(`^attempts +1, next at ${escape(job.next_attempt_at as string)}$`, 'm'))
    // And `job list` in its STARTS column, where a maintenance window's start shows.
    const listed = (await run(['job', 'list', '--no-header'])).stdout.trimEnd().split('\t')
    expect(listed[5]).toBe(job.next_attempt_at)
    expect(output.stdout).toMatch(new RegExp(`${job.token}\\tpending\\tauto\\toffice\\t.*\\t${escape(message)}\\n`))
    // The only lookup was the one answered here: nothing left the machine.
    expect(lookups).toEqual(['nowhere.invalid'])
  })

  it('site check: exit 1, offline, the same reason', async () => {
    await addSite('office', 'nowhere.invalid', 8728)
    const result = await expectNothingLost(() => run(['site', 'check', 'office']))
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(
      "offline: the host name nowhere.invalid does not resolve to an address: check the host for a typo, or use the router's IP address\n",
    )
  })
})

describe('a wrong port', () => {
  it('nothing listens there: the job waits with backoff, its error names host:port and what to check', async () => {
    const port = await freePort()
    await addSite('office', '127.0.0.1', port)
    const { job, output } = await runJobOnce('office')
    const message =
      `127.0.0.1:${port} refused the connection: is the port right, and the API service enabled on the router (/ip service)? ` +
      '(nothing reached the router; it will be retried)'
    expect(job).toMatchObject({ status: 'pending', attempts: 1, error: { message, category: 'connection' } })
    expect(Date.parse(job.next_attempt_at as string)).toBeGreaterThan(Date.parse(job.created_at))
    expect(output.stdout).toContain(`\toffice\t`)
    expect(output.stdout).toContain(message)
    expect(output.stdout).not.toMatch(/ECONNREFUSED/)
  })
})

describe('against a lab router', () => {
  let lab: Lab
  let router: LabRouter
  beforeAll(async () => {
    lab = await startLab({ routers: 1 })
    router = lab.routers[0]!
  })
  afterAll(async () => {
    await lab.close()
  })
  afterEach(async () => {
    await router.server.setFaults({ garbageOnConnect: false, garbageOnCommand: undefined })
  })

  describe('wrong credentials', () => {
    it('the job fails at once, is not retried, and says to check the user name and password', async () => {
      await addSite('office', router.host, router.port, 'not-the-password')
      const identity = router.router.identity
      const { job } = await runJobOnce('office')
      expect(job).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: {
          message: `${router.host}:${router.port} refused the login of "admin": invalid user name or password (6); check the user name and password`,
          category: 'auth',
        },
      })
      // Not retried: a second run leaves it as it is.
      await expectNothingLost(() => run(['run', '--once']))
      expect((await showJob(job)).attempts).toBe(1)
      expect(router.router.identity).toBe(identity)
    })
  })

  describe('a router that answers garbage bytes', () => {
    it('on connect (another service on the port): nothing sent, the error asks whether it is the API port', async () => {
      await router.server.setFaults({ garbageOnConnect: true })
      await addSite('office', router.host, router.port, router.password)
      const identity = router.router.identity
      const { job } = await runJobOnce('office')
      expect(job.error).toEqual({
        message:
          `${router.host}:${router.port} does not speak the RouterOS API (reserved control byte 0xf8 where a word length was expected): ` +
          "is that the router's API port (8728, or 8729 with TLS)?",
        category: 'connection',
        line: null,
        column: null,
      })
      // Nothing reached the router, but waiting will not make another service speak the API: failed,
      // not retried.
      expect(job).toMatchObject({ status: 'failed', attempts: 1 })
      expect(router.router.identity).toBe(identity)
    })

    it('in answer to the script: the job fails, is not retried, and says what came back', async () => {
      await router.server.setFaults({ garbageOnCommand: '/system/script/add' })
      await addSite('office', router.host, router.port, router.password)
      const { job } = await runJobOnce('office')
      expect(job).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: {
          message: expect.stringContaining(
            `${router.host}:${router.port} sent bytes that are not the RouterOS API (reserved control byte 0xf8 where a word length was expected), ` +
              'so the connection was closed',
          ),
          category: 'connection',
        },
      })
      expect(job.error?.message).toMatch(/^the connection broke while adding the script, so it was not run/)
      await router.server.setFaults({ garbageOnCommand: undefined })
      await expectNothingLost(() => run(['run', '--once']))
      expect((await showJob(job)).attempts).toBe(1)
    })
  })
})

describe('a cloud that answers HTML or truncated JSON', () => {
  let fake: CloudFake
  let cloudEnv: Record<string, string>
  beforeEach(async () => {
    fake = await CloudFake.start()
    cloudEnv = { FIELDJOBS_API_URL: fake.url, FIELDJOBS_API_TOKEN: fake.token }
    const added = await run([...addSiteArgs('office', '127.0.0.1', 8728), '--cloud-site-id', randomUUID()])
    expect(added.code, added.stderr).toBe(0)
  })
  afterEach(async () => {
    await fake.close()
  })

  const cloudJob = async () => {
    const created = await run(['job', 'create', '--site', 'office', '--description', 'set the identity', '--script', scriptFile, '--route', 'cloud', '--json'])
    expect(created.code, created.stderr).toBe(0)
    return created.json<Job>()
  }

  it('an HTML page (a captive portal): sync exits 0 and says so; the job waits and is created once when the cloud is back', async () => {
    const job = await cloudJob()
    fake.htmlNext()
    const synced = await expectNothingLost(() => run(['sync', '--once'], { env: cloudEnv }), [job.id])
    expect(synced.code).toBe(0)
    expect(synced.stderr).toContain('1 job waiting on the cloud')
    expect(synced.stdout).toContain(
      `the cloud answered POST with an HTML page (HTTP 200), not the API's JSON: a proxy, a captive portal or a wrong API URL (${fake.url})?`,
    )
    expect(synced.stdout).toContain('1 waiting to sync')
    expect(await showJob(job)).toMatchObject({ status: 'pending', cloud_job_id: null, error: null })
    const shown = await run(['job', 'show', job.token])
    expect(shown.stdout).toMatch(/note\s+sent to the cloud, not confirmed yet: the next sync asks again/)

    const again = await expectNothingLost(() => run(['sync', '--once'], { env: cloudEnv }), [job.id])
    expect(again.code, again.stdout).toBe(0)
    expect((await showJob(job)).cloud_job_id).toBe(fake.jobByKey(job.idempotency_key)?.id)
    expect(fake.duplicates()).toEqual([])
    expect(fake.counters.jobsCreated).toBe(1)
  })

  it('truncated JSON, on every retry: the round says the answer was cut off; the job is created once later', async () => {
    const job = await cloudJob()
    const core = FieldjobsCore.open({ dataDir: dir })
    // The runtime's sync with fast retries, so four cut-off answers take milliseconds, not seconds.
    const sync = startCloudSync(core, { env: cloudEnv, start: false, rateLimit: null, client: { retry: { baseMs: 1, capMs: 5, maxAttempts: 4 } } })
    try {
      fake.truncateNext(4)
      const before = storedState(dir, [job.id])
      const cut = await sync.engine!.runOnce()
      expect(cut.last_error).toMatch(/^the cloud's answer to POST was cut off after \d+ characters$/)
      expect(cut).toMatchObject({ created: 0, waiting: 1 })
      expect(core.jobStore.find(job.id)).toMatchObject({ status: 'pending', error: null })
      expect(storedState(dir, [job.id])).toEqual(before)

      const whole = await sync.engine!.runOnce()
      expect(whole).toMatchObject({ created: 1, waiting: 0, last_error: null })
      expect(core.jobStore.find(job.id).cloud_job_id).toBe(fake.jobByKey(job.idempotency_key)?.id)
      // The cut-off create had committed on the cloud: the retry with the same key found it.
      expect(fake.duplicates()).toEqual([])
      expect(storedState(dir, [job.id])).toEqual(before)
    } finally {
      await sync.stop()
      await core.close()
    }
  })
})

describe('a backup file edited on disk', () => {
  it('the window reads it as not intact and refuses to diff it; nothing is rewritten', async () => {
    const core = FieldjobsCore.open({ dataDir: dir })
    const [backup] = core.backups.list()
    const site = core.siteStore.get(backup!.site_id)
    const newer = await core.backups.save(site.id, '# 2026-01-02 10:00:00 by RouterOS 7.18.2\n/ip dns\nset servers=1.1.1.1\n', Date.UTC(2026, 0, 2))
    await core.close()
    const file = join(dir, 'backups', ...backup!.path.split('/'))
    const edited = readFileSync(file, 'utf8').replace('9.9.9.9', '6.6.6.6')
    writeFileSync(file, edited)

    const read = await expectNothingLost(() => callApi('backups:read', { path: backup!.path }))
    expect(read).toEqual({ ok: true, value: { path: backup!.path, text: edited, intact: false } })
    const diff = await expectNothingLost(() => callApi('backups:diff', { from: backup!.path, to: newer }))
    expect(diff).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message:
          `the backup ${backup!.path} was changed on disk after it was taken (it no longer matches the hash recorded then), ` +
          'so it is not compared: open it alone to see what the file holds now, or pick another backup',
        issues: [],
      },
    })
    expect(readFileSync(file, 'utf8')).toBe(edited)
  })
})

// The store-level tests are test/core/database.test.ts ("refuses a database from a newer schema and
// leaves it untouched", "gives a clear error for a corrupt file and never overwrites it"); these
// check only that the CLI, at start, passes that message on and leaves the file alone.
describe('the database', () => {
  const databaseFile = () => join(dir, 'fieldjobs.db')

  it('a corrupt file: every command exits 1 at start with the path and what to do; the file is untouched', async () => {
    const garbage = Buffer.from('this is not a database, it is a shopping list\n'.repeat(200))
    rmSync(databaseFile())
    rmSync(`${databaseFile()}-wal`, { force: true })
    rmSync(`${databaseFile()}-shm`, { force: true })
    writeFileSync(databaseFile(), garbage)
    const result = await run(['job', 'list'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      new RegExp(`^fieldjobs job: the database ${escape(databaseFile())} is damaged \\(.+\\)\\. It was left untouched: move it aside to start afresh, or restore a copy\\.\\n$`),
    )
    expect(readFileSync(databaseFile()).equals(garbage)).toBe(true)
  })

  it('a file from a newer schema: exit 1, says to update Fieldjobs; the file is untouched', async () => {
    const raw = new Database(databaseFile())
    raw.prepare(`INSERT INTO schema_migrations VALUES (999, '0999-future', 'x', '2030-01-01')`).run()
    raw.close()
    const before = readFileSync(databaseFile())
    const result = await run(['site', 'list'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^fieldjobs site: this data folder was written by a newer Fieldjobs \(schema 999, this one knows up to \d+\); update Fieldjobs, or point --data-dir elsewhere\. The database was not changed\.\n$/)
    expect(readFileSync(databaseFile()).equals(before)).toBe(true)
  })
})
