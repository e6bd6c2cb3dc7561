// `fieldjobs sync --once` through runCli, in-process, against the fake: push, poll, finish, and
// what the engineer reads (without acknowledgement, "completed" means delivered).
import { randomUUID } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Job } from '../../src-main/contract/job-schema'
import { cli, startCli } from '../support/cli-harness'
import { useCloud } from './harness'

const cloud = useCloud()

async function prepare() {
  const fake = await cloud.fake()
  const dir = cloud.dataDir()
  const cloudSiteId = randomUUID()
  const env = { ROUTER_PASSWORD: 'secret', FIELDJOBS_API_URL: fake.url, FIELDJOBS_API_TOKEN: fake.token }
  const added = await cli(
    ['site', 'add', '--no-check', '--name', 'depot', '--host', '127.0.0.1', '--user', 'admin', '--password-env', 'ROUTER_PASSWORD',
      '--cloud-site-id', cloudSiteId, '--data-dir', dir],
    { env },
  )
  expect(added.code, added.stderr).toBe(0)
  const script = join(dir, 'script.rsc')
  writeFileSync(script, '/ip address add address=192.168.99.1/24 interface=ether2\n')
  return { fake, dir, env, script, cloudSiteId }
}

describe('fieldjobs sync --once', () => {
  it('pushes, polls and finishes jobs; prints what happened; never prints the token', async () => {
    const { fake, dir, env, script } = await prepare()
    const created = await cli(
      ['job', 'create', '--site', 'depot', '--description', 'Add an address', '--script', script, '--route', 'cloud',
        '--no-ack', '--json', '--data-dir', dir],
      { env },
    )
    expect(created.code, created.stderr).toBe(0)
    const job = created.json<Job>()

    const first = await cli(['sync', '--once', '--data-dir', dir], { env })
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/created 1/)
    expect(first.stdout).toMatch(/1 on the cloud, not finished yet; 0 waiting to sync/)
    expect(fake.counters.jobsCreated).toBe(1)

    const shown = (await cli(['job', 'show', job.token, '--json', '--data-dir', dir], { env })).json<Job>()
    expect(shown.cloud_job_id).toBe(fake.jobByKey(job.idempotency_key)?.id)
    expect(shown.sync_state).toBe('synced')

    // The router picks it up and reports it done; the next round polls and finishes it.
    fake.deviceControl.complete(shown.cloud_job_id as string)
    const second = await cli(['sync', '--once', '--json', '--data-dir', dir], { env })
    expect(second.code, second.stderr).toBe(0)
    expect(second.json()).toMatchObject({ created: 0, polled: 1, finished: 1, waiting: 0, on_cloud: 0, last_error: null })
    const finished = await cli(['job', 'show', job.token, '--data-dir', dir], { env })
    expect(finished.stdout).toMatch(/status\s+completed/)
    expect(finished.stdout).toMatch(/completed means delivered/)
    expect(finished.stdout).toMatch(/ran on cloud/)

    // Nothing left: a third round sends nothing.
    const before = fake.counters.requests
    expect((await cli(['sync', '--once', '--data-dir', dir], { env })).code).toBe(0)
    expect(fake.counters.requests).toBe(before)
    for (const run of [first, second, finished]) expect(run.stdout + run.stderr).not.toContain(fake.token)
    expect(first.stderr).toContain(`****${fake.token.slice(-4)}`)
  })

  it('job cancel of a job on the cloud says the cancel goes at the next sync, and that sync cancels it', async () => {
    const { fake, dir, env, script } = await prepare()
    const created = await cli(
      ['job', 'create', '--site', 'depot', '--description', 'Add an address', '--script', script, '--route', 'cloud', '--json', '--data-dir', dir],
      { env },
    )
    const job = created.json<Job>()
    expect((await cli(['sync', '--once', '--data-dir', dir], { env })).code).toBe(0)
    const canceling = await cli(['job', 'cancel', job.token, '--data-dir', dir], { env })
    expect(canceling.code, canceling.stderr).toBe(0)
    // Not "the running job was told to stop": nothing runs here; the cloud holds it.
    expect(canceling.stdout).toBe(`job ${job.token} canceling: the cloud is asked to cancel it at the next sync (\`fieldjobs sync\` or \`fieldjobs run\`)\n`)
    // Nothing reached the cloud yet: the DELETE goes with the next round.
    expect(fake.counters.byMethod.DELETE ?? 0).toBe(0)
    const synced = await cli(['sync', '--once', '--data-dir', dir], { env })
    expect(synced.code, synced.stderr).toBe(0)
    expect(fake.counters.byMethod.DELETE).toBe(1)
    expect((await cli(['job', 'show', job.token, '--json', '--data-dir', dir], { env })).json<Job>().status).toBe('canceled')
  })

  it('exits 0 for cron when the cloud does not answer, and says on stderr that the jobs wait', async () => {
    const { fake, dir, env, script } = await prepare()
    await cli(['job', 'create', '--site', 'depot', '--description', 'Add an address', '--script', script, '--route', 'cloud', '--data-dir', dir], { env })
    await fake.goOffline()
    const run = await cli(['sync', '--once', '--data-dir', dir], { env })
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/1 job waiting on the cloud \(.*connection refused.*\); the next round tries again/)
    expect(run.stdout).toMatch(/1 waiting to sync/)
    expect(run.stdout).toMatch(/gave no usable answer, jobs wait: .*connection refused/)
    // The log has it too, with the token nowhere in it.
    const log = readFileSync(join(dir, 'logs', 'fieldjobs.log'), 'utf8')
    expect(log).toMatch(/"event":"cloud.sync_error".*connection refused/)
    expect(log).not.toContain(env.FIELDJOBS_API_TOKEN)
  })

  it('ten rounds against a flaky cloud all exit 0, each makes progress, and every job is created once', async () => {
    const { fake, dir, env, script } = await prepare()
    const tokens: string[] = []
    for (let n = 0; n < 10; n++) {
      const created = await cli(['job', 'create', '--site', 'depot', '--description', `flaky ${n}`, '--script', script, '--route', 'cloud', '--no-ack', '--json', '--data-dir', dir], { env })
      tokens.push(created.json<Job>().token)
    }
    // A cloud under load: a third of requests answer 503, reset the connection, or commit a create
    // and drop its answer. Rounds go on until every job is on the cloud (each round makes progress).
    fake.setFaults({ serverErrorRate: 0.15, resetRate: 0.1, dropAfterCommitRate: 0.1, seed: 7 })
    const codes: number[] = []
    for (let round = 0; round < 10; round++) {
      const run = await cli(['sync', '--once', '--data-dir', dir], { env })
      codes.push(run.code)
    }
    expect(codes).toEqual(Array(10).fill(0))
    expect(fake.duplicates()).toEqual([])
    expect(fake.counters.serverErrors + fake.counters.resets + fake.counters.dropsAfterCommit).toBeGreaterThan(0)
    // Nothing lost: the rest are created by the next quiet round, each once.
    fake.setFaults({})
    expect((await cli(['sync', '--once', '--data-dir', dir], { env })).code).toBe(0)
    expect(fake.counters.jobsCreated).toBe(10)
    expect(fake.duplicates()).toEqual([])
    const listed = (await cli(['job', 'list', '--json', '--data-dir', dir], { env })).json<Job[]>()
    expect(listed.map((job) => job.token).sort()).toEqual([...tokens].sort())
  })

  it('exits 1 when the cloud refuses the token: the user must change it', async () => {
    const { dir, env, script } = await prepare()
    await cli(['job', 'create', '--site', 'depot', '--description', 'Add an address', '--script', script, '--route', 'cloud', '--data-dir', dir], { env })
    const run = await cli(['sync', '--once', '--data-dir', dir], { env: { ...env, FIELDJOBS_API_TOKEN: 'not-the-token' } })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('the cloud refused the API token: change it')
  })

  it('exits 2 with what to do when no token is set', async () => {
    const dir = cloud.dataDir()
    const run = await cli(['sync', '--once', '--data-dir', dir], { env: {} })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/FIELDJOBS_API_TOKEN/)
  })

  it('a long-running sync takes a token rotated in another terminal at once, and says so', async () => {
    const { fake, dir, script } = await prepare()
    // The token in the settings, not the environment, so that `settings set` can rotate it.
    const env = { ROUTER_PASSWORD: 'secret', OLD: 'sdx_revoked_token', NEW: fake.token }
    for (const args of [['cloud_api_url', fake.url], ['cloud_token', '--value-env', 'OLD']]) {
      expect((await cli(['settings', 'set', ...args, '--data-dir', dir], { env })).code).toBe(0)
    }
    const created = await cli(['job', 'create', '--site', 'depot', '--description', 'Add an address', '--script', script, '--route', 'cloud', '--json', '--data-dir', dir], { env })
    const job = created.json<Job>()
    const sync = startCli(['sync', '--data-dir', dir], { env, until: (stdout) => (stdout.includes('401 invalid_token') ? true : undefined) })
    await sync.printed
    expect(fake.counters.jobsCreated).toBe(0)

    expect((await cli(['settings', 'set', 'cloud_token', '--value-env', 'NEW', '--data-dir', dir], { env })).code).toBe(0)
    for (let waited = 0; fake.counters.jobsCreated === 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(fake.counters.jobsCreated).toBe(1)
    expect(fake.jobByKey(job.idempotency_key)).toBeDefined()
    sync.stop()
    expect(await sync.exited).toBe(0)
    const { stdout, stderr } = sync.output()
    expect(stderr).toContain(`(token ****${fake.token.slice(-4)}, from the secret store): the cloud settings changed`)
    expect(stdout + stderr).not.toContain(fake.token)
  })
})
