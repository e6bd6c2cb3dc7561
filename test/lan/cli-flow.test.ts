// The flow a new user follows, through runCli exactly as the terminal would: `fieldjobs lab` in one
// "terminal", then `site add`, `job create --backup`, `run --once`, `job show`, `site check` in another.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Job } from '../../src-main/contract/job-schema'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { cli, startCli } from '../support/cli-harness'
import { api } from '../lab/router/api'
import { useTempDirs } from '../support/temp-dirs'

interface LabListing {
  name: string
  host: string
  port: number
  user: string
  password: string
}

/** `fieldjobs lab --json` in-process; `printed` is its listing once all of it is out. */
const startLabCommand = () =>
  startCli(['lab', '--json'], {
    until: (stdout) => {
      try {
        return JSON.parse(stdout) as LabListing[]
      } catch {
        return undefined // Not all of it yet.
      }
    },
  })

const tempDir = useTempDirs()
let lab: Lab | undefined
afterEach(async () => {
  await lab?.close()
  lab = undefined
})

describe('the new-user flow through the CLI', () => {
  it('lab, site add, job create --backup, run --once, job show, site check', async () => {
    const labTerminal = startLabCommand()
    const [router] = await labTerminal.printed
    const dataDir = tempDir()
    const env = { LAB_PASSWORD: router!.password }
    const common = ['--data-dir', dataDir]

    const added = await cli(
      ['site', 'add', '--name', 'office', '--host', router!.host, '--port', String(router!.port), '--user', router!.user, '--password-env', 'LAB_PASSWORD', ...common],
      { env },
    )
    expect(added.code, added.stderr).toBe(0)

    const good = await cli(['job', 'create', '--site', 'office', '--description', 'rename the router', '--script', '-', '--backup', '--json', ...common], {
      stdin: '/system identity set name=office-core\n',
    })
    expect(good.code, good.stderr).toBe(0)
    const goodJob = good.json<Job>()

    const bad = await cli(['job', 'create', '--site', 'office', '--description', 'a typo on line 2', '--script', '-', '--json', ...common], {
      stdin: '/ip address add address=10.1.1.1/24 interface=bridge1 comment=from-fieldjobs\n/ip address add address=10.2.2.1/24 interface=ether99\n',
    })
    expect(bad.code, bad.stderr).toBe(0)
    const badJob = bad.json<Job>()

    const ran = await cli(['run', '--once', ...common])
    // One job failed: the round says so and exits 1, as ansible-playbook does when a host fails.
    expect(ran.code, ran.stderr).toBe(1)
    expect(ran.stderr).toMatch(/^1 completed, 1 failed, 0 waiting$/m)
    expect(ran.stdout).toContain(`${goodJob.token}\tcompleted`)
    expect(ran.stdout).toContain(`${badJob.token}\tfailed`)
    // Progress lines name the job by the token the engineer was given, not by its internal id.
    expect(ran.stdout).toMatch(new RegExp(`^  ${goodJob.token}  backup \\d+ saved: `, 'm'))

    const shown = await cli(['job', 'show', goodJob.token, '--json', ...common])
    const done = shown.json<Job>()
    expect(done.status).toBe('completed')
    expect(done.associated_backup).toMatch(/^[0-9a-f-]{36}\/\d+\.rsc$/)
    const backupFile = join(dataDir, 'backups', ...done.associated_backup!.split('/'))
    expect(existsSync(backupFile)).toBe(true)
    const backup = readFileSync(backupFile, 'utf8')
    expect(backup).toMatch(/^# .* by RouterOS /)
    expect(backup).toContain('/system identity\nset name=lab-router-1')

    const failed = (await cli(['job', 'show', badJob.token, '--json', ...common])).json<Job>()
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatchObject({ category: 'script', line: 2 })
    expect(failed.error?.column).toEqual(expect.any(Number))
    expect(failed.error?.message).toContain('may already be in effect')
    const human = await cli(['job', 'show', badJob.token, ...common])
    expect(human.stdout).toMatch(/error\s+.*\(line 2 column \d+\)/)

    // The router's configuration shows the change (and line 1 of the failed job).
    const check = await cli(['site', 'check', 'office', '--json', ...common])
    expect(check.code, check.stderr).toBe(0)
    expect(check.json<{ identity: string; online: boolean }>()).toMatchObject({ online: true, identity: 'office-core' })
    const exported = await cli(
      ['exec', '--host', router!.host, '--port', String(router!.port), '--user', router!.user, '--password-env', 'LAB_PASSWORD', '--script', '-', '--json'],
      { env, stdin: ':if ([:len [/ip address find comment=from-fieldjobs]] = 0) do={ :error "line 1 of the failed job is missing" }\n' },
    )
    expect(exported.json<{ status: string }>().status, exported.stdout).toBe('completed')

    labTerminal.stop()
    expect(await labTerminal.exited).toBe(0)
  })
})

describe('fieldjobs exec', () => {
  const connection = async () => {
    lab = await startLab({ routers: 1 })
    const router = lab.routers[0]!
    return {
      router,
      env: { PW: router.password },
      flags: ['--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'PW'],
    }
  }

  it('runs a script now and exits 0', async () => {
    const { router, env, flags } = await connection()
    const run = await cli(['exec', ...flags, '--script', '-', '--json'], { env, stdin: '/system identity set name=exec-ran\n' })
    expect(run.code, run.stderr).toBe(0)
    expect(run.json()).toMatchObject({ status: 'completed', error: null })
    expect(router.router.identity).toBe('exec-ran')
    // Without --output nothing printed comes back, and exec says how to get it.
    const plain = await cli(['exec', ...flags, '--script', '-'], { env, stdin: ':put hello\n' })
    expect(plain.stdout).toBe('completed\nthe script ran to completion (RouterOS does not return :put output from /system/script/run); --output prints it (RouterOS 7)\n')
  })

  it('a failing script exits 1 with line and column', async () => {
    const { env, flags } = await connection()
    const run = await cli(['exec', ...flags, '--script', '-', '--json'], { env, stdin: ':put ok\n/interface frobnicate\n' })
    expect(run.code).toBe(1)
    expect(run.json()).toMatchObject({ status: 'failed', error: { category: 'script', line: 2 } })
  })

  it('a failure after lines that only choose a menu says nothing ran, in exec and in run --once', async () => {
    const { env, flags } = await connection()
    const script = '/interface vlan\nadd name=cams vlan-id=20 interface=ether9\n'
    const run = await cli(['exec', ...flags, '--script', '-', '--json'], { env, stdin: script })
    expect(run.code).toBe(1)
    expect(run.json<{ error: { message: string } }>().error.message).toMatch(/only choose a menu, so nothing of the script changed the router$/)

    const dataDir = tempDir()
    const router = lab!.routers[0]!
    const common = ['--data-dir', dataDir]
    const added = await cli(['site', 'add', '--no-check', '--name', 'r', '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'PW', ...common], { env })
    expect(added.code, added.stderr).toBe(0)
    const created = await cli(['job', 'create', '--site', 'r', '--description', 'bad vlan', '--script', '-', '--json', ...common], { stdin: script })
    expect(created.code, created.stderr).toBe(0)
    await cli(['run', '--once', ...common])
    const shown = await cli(['job', 'show', created.json<{ token: string }>().token, '--json', ...common])
    expect(shown.json<{ status: string; error: { message: string } }>()).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/only choose a menu/) } })
  })

  it('a wrong password exits 1 without sending anything', async () => {
    const { env, flags } = await connection()
    const run = await cli(['exec', ...flags, '--script', '-', '--json'], { env: { PW: `${env.PW}-wrong` }, stdin: ':put ok\n' })
    expect(run.code).toBe(1)
    expect(run.json()).toMatchObject({ status: 'not_delivered', error: { category: 'auth' } })
  })

  it('--output prints what the script printed, as it printed it, and only that', async () => {
    const { env, flags } = await connection()
    const script = ':put [/system identity get name]\n:foreach i in={1;2} do={ :put "n=$i" }\n'
    const run = await cli(['exec', ...flags, '--output', '--script', '-'], { env, stdin: script })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toBe('lab-router-1\nn=1\nn=2\n')
    const json = await cli(['exec', ...flags, '--output', '--json', '--script', '-'], { env, stdin: ':put "a b"' })
    expect(json.json()).toEqual({ status: 'completed', output: 'a b\n', error: null })
  })

  it('--output on a failing script: what it printed before, then the located error; exit 1', async () => {
    const { router, env, flags } = await connection()
    const script = ':put one\n/system identity set name=half-done\n/ip route remove numbers=*ff\n:put never\n'
    const run = await cli(['exec', ...flags, '--output', '--script', '-'], { env, stdin: script })
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('one\n')
    expect(run.stderr).toMatch(/^the script failed: no such item; lines 1-2 ran before it .* \(line 3 column \d+\) \[script\]\n/)
    expect(router.router.identity).toBe('half-done')
    // A block left open: the router finds it where the source ends; the line named is the script's last.
    const open = await cli(['exec', ...flags, '--output', '--json', '--script', '-'], { env, stdin: ':put before\n:if (true) do={ :put x\n' })
    expect(open.json()).toMatchObject({ status: 'failed', output: '', error: { category: 'script', line: 2, column: null } })
  })

  it('--output and Ctrl-C: the router is told to stop the script, and the rest of it never runs', async () => {
    const { router, env, flags } = await connection()
    const running = startCli(['exec', ...flags, '--output', '--script', '-'], { env, stdin: ':put started\n:delay 1s\n/system identity set name=too-late\n' })
    const scriptJobs = async () => (await api(router.router, '/system/script/job/print')).items
    await vi.waitFor(async () => expect(await scriptJobs()).toHaveLength(1), { timeout: 5_000, interval: 20 })
    running.stop()
    expect(await running.exited).toBe(1)
    expect(running.output()).toEqual({ stdout: '', stderr: expect.stringMatching(/^canceled: the router was told to stop the script; /) })
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    expect(router.router.identity).toBe('lab-router-1')
    expect(await scriptJobs()).toEqual([])
  })

  it('--output on RouterOS 6 says it needs 7 and runs nothing; --output with --no-ack exits 2', async () => {
    lab = await startLab({ routers: 1, version: '6.49.10' })
    const router = lab.routers[0]!
    const flags = ['--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'PW']
    const run = await cli(['exec', ...flags, '--output', '--script', '-'], { env: { PW: router.password }, stdin: '/system identity set name=ran\n' })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('--output needs RouterOS 7')
    expect(router.router.identity).toBe('lab-router-1')
    const both = await cli(['exec', ...flags, '--output', '--no-ack', '--script', '-'], { env: { PW: router.password }, stdin: ':put 1' })
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('give --output or --no-ack, not both')
  })

  it('bad usage exits 2', async () => {
    const run = await cli(['exec', '--user', 'admin', '--password-env', 'PW', '--script', '-'], { env: { PW: 'x' } })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--host')
  })
})
