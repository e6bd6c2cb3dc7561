// Ctrl-C (or SIGTERM) during `fieldjobs run`, with the real process and real signals: the first
// signal stops taking work and waits for running jobs, so their outcome is recorded; a second one
// abandons them, and the next start marks them "outcome unknown" as before. A setting saved in another
// terminal meanwhile is applied, and `run` says what it uses now.
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Job } from '../../src-main/contract/job-schema'
import { cli } from '../support/cli-harness'
import { useLabSite } from '../support/lab-site'
import { repoRoot } from '../support/repo-root'

const { labSite, queuedSlowJob: slowJob, tempDir } = useLabSite()
const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

/** A data folder with one lab site and one job that runs long enough to be interrupted. */
const queuedSlowJob = () => slowJob('fieldjobs-interrupt-', '2s')

/** `node bin/fieldjobs.js run` as a terminal starts it; resolves `sent` once the script is on the router. */
function startRun(dataDir: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/fieldjobs.js'), 'run', '--data-dir', dataDir], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  const waiters: Array<{ stream: 'stdout' | 'stderr'; text: string; resolve(): void }> = []
  const check = () => {
    for (const waiter of [...waiters]) {
      if ((waiter.stream === 'stdout' ? stdout : stderr).includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  }
  child.stdout!.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), check()))
  child.stderr!.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), check()))
  const exitCode = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  // As printed() below: a run that does not stop fails in 20 s with what it printed.
  const exited = Promise.race([
    exitCode,
    new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new Error(`run did not exit within 20000 ms; stdout: ${JSON.stringify(stdout)}; stderr: ${JSON.stringify(stderr)}`)), 20_000)
      void exitCode.then(() => clearTimeout(timer))
    }),
  ])
  exited.catch(() => undefined) // Rejected only for a test that awaits it; others are not failed by it.
  // Fails before the test's own timeout, saying what was awaited and what the process printed, so a
  // line that never comes is told from a slow machine.
  const printed = (stream: 'stdout' | 'stderr', text: string, withinMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.splice(waiters.findIndex((waiter) => waiter.resolve === done), 1)
        reject(new Error(`run did not print ${JSON.stringify(text)} on ${stream} within ${withinMs} ms; stdout: ${JSON.stringify(stdout)}; stderr: ${JSON.stringify(stderr)}`))
      }, withinMs)
      const done = () => (clearTimeout(timer), resolve())
      waiters.push({ stream, text, resolve: done })
      check()
    })
  return { child, exited, printed, output: () => ({ stdout, stderr }) }
}

describe('fieldjobs run, interrupted', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s waits for the running job and records its outcome', async (signal) => {
    const { router, dataDir, env, common, job } = await queuedSlowJob()
    const run = startRun(dataDir, env)
    await run.printed('stdout', 'script sent')
    run.child.kill(signal)
    await run.printed('stderr', 'stopping: waiting for 1 running job (Ctrl-C again to abandon)')
    expect(await run.exited, run.output().stderr).toBe(0)

    const shown = (await cli(['job', 'show', job.token, '--json', ...common], { env })).json<Job>()
    expect(shown.status).toBe('completed')
    expect(router.router.identity).toBe('after-the-delay')
  })

  it('a second Ctrl-C abandons the running job: the next start marks it outcome unknown', async () => {
    const { dataDir, env, common, job } = await queuedSlowJob()
    const run = startRun(dataDir, env)
    await run.printed('stdout', 'script sent')
    run.child.kill('SIGINT')
    await run.printed('stderr', 'stopping: waiting for 1 running job')
    run.child.kill('SIGINT')
    expect(await run.exited).toBe(130)
    expect(run.output().stderr).toContain('abandoned 1 running job')

    expect((await cli(['job', 'show', job.token, '--json', ...common], { env })).json<Job>().status).toBe('in_progress')
    const next = await cli(['run', '--once', ...common], { env })
    expect(next.stdout).toContain('outcome unknown')
    expect((await cli(['job', 'show', job.token, '--json', ...common], { env })).json<Job>().status).toBe('unknown')
  })
})

describe('fieldjobs run, while settings change in another terminal', () => {
  it('applies them and says what it uses now', async () => {
    const dataDir = tempDir('fieldjobs-run-settings-')
    const env = { FIELDJOBS_SECRET_STORE: 'keyfile' }
    const common = ['--data-dir', dataDir]
    expect((await cli(['settings', 'set', 'probe_interval_s', '0', ...common], { env })).code).toBe(0)
    // Loopback only: the cloud sync that a token starts must not reach for the real cloud.
    expect((await cli(['settings', 'set', 'cloud_api_url', 'http://127.0.0.1:9/', ...common], { env })).code).toBe(0)
    const run = startRun(dataDir, env)
    await run.printed('stdout', 'running queued jobs')
    expect((await cli(['settings', 'set', 'concurrency', '3', ...common], { env })).code).toBe(0)
    await run.printed('stdout', 'settings changed: concurrency 3, probe off, backups off\n')
    expect((await cli(['settings', 'set', 'cloud_token', '--value-env', 'T', ...common], { env: { ...env, T: 'sk-test-token' } })).code).toBe(0)
    await run.printed('stdout', 'cloud sync restarted with the new URL or token\n')
    run.child.kill('SIGINT')
    expect(await run.exited, run.output().stderr).toBe(0)
    expect(run.output().stdout).not.toContain('sk-test-token')
  })

  it('turning scheduled backups on takes them at once, and run says so', async () => {
    const { dataDir, env, common } = await labSite('fieldjobs-run-backups-')
    expect((await cli(['settings', 'set', 'probe_interval_s', '0', ...common], { env })).code).toBe(0)
    const run = startRun(dataDir, env)
    await run.printed('stdout', 'running queued jobs')
    expect((await cli(['settings', 'set', 'backup_interval_h', '24', ...common], { env })).code).toBe(0)
    await run.printed('stdout', 'backups every 24 h\n')
    await run.printed('stdout', 'backup lab1: changed 1 ')
    run.child.kill('SIGINT')
    expect(await run.exited, run.output().stderr).toBe(0)
    const listed = (await cli(['backup', 'list', '--json', ...common], { env })).json<Array<{ id: number; job_id: string | null }>>()
    expect(listed).toMatchObject([{ id: 1, job_id: null }])
  })
})
