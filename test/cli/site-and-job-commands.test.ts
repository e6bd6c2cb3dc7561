import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Job } from '../../src-main/contract/job-schema'
import type { Site } from '../../src-main/contract/site-schema'
import { cli } from '../support/cli-harness'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
let dataDir: string
beforeEach(() => {
  dataDir = tempDir()
})

const env = { ROUTER_PASSWORD: 'Pa55-w0rd-in-env' }
const addSite = () =>
  cli(['site', 'add', '--no-check', '--name', 'office', '--host', '192.168.88.1', '--user', 'admin', '--password-env', 'ROUTER_PASSWORD', '--data-dir', dataDir, '--json'], { env })

describe('fieldjobs site', () => {
  it('adds, lists and removes sites; the password comes from the named environment variable', async () => {
    const added = await addSite()
    expect(added.code).toBe(0)
    const site = added.json<Site>()
    expect(site).toMatchObject({ name: 'office', host: '192.168.88.1', api_port: 8728, tls: false })
    expect(added.stdout).not.toContain(env.ROUTER_PASSWORD)

    const listed = await cli(['site', 'list', '--data-dir', dataDir, '--json'])
    expect(listed.json<Site[]>().map((s) => s.name)).toEqual(['office'])
    const plain = await cli(['site', 'list', '--data-dir', dataDir])
    expect(plain.stdout).toContain('office\t192.168.88.1:8728')

    expect((await cli(['site', 'remove', 'office', '--data-dir', dataDir])).code).toBe(0)
    expect((await cli(['site', 'list', '--data-dir', dataDir, '--json'])).json()).toEqual([])
  })

  it('keeps a site that has history unless --purge, saying how many jobs and backups would go', async () => {
    await addSite()
    const created = await cli(['job', 'create', '--site', 'office', '--description', 'a change', '--script', '-', '--data-dir', dataDir, '--json'], {
      stdin: '/system identity set name=x\n',
    })
    expect(created.code, created.stderr).toBe(0)
    const token = created.json<{ token: string }>().token
    expect((await cli(['job', 'cancel', token, '--data-dir', dataDir])).code).toBe(0)

    const refused = await cli(['site', 'remove', 'office', '--data-dir', dataDir])
    expect(refused.code).toBe(4)
    expect(refused.stderr).toContain('site "office" has 1 job and 0 backups, the record of what was done to this router, so it was not removed')
    expect(refused.stderr).toContain('fieldjobs site remove office --purge')
    // Nothing went: the site and its job are still there.
    expect((await cli(['site', 'list', '--data-dir', dataDir, '--json'])).json<Site[]>().map((s) => s.name)).toEqual(['office'])
    expect((await cli(['job', 'show', token, '--data-dir', dataDir])).code).toBe(0)

    const purged = await cli(['site', 'remove', 'office', '--purge', '--data-dir', dataDir, '--json'])
    expect(purged.code, purged.stderr).toBe(0)
    expect(purged.json()).toEqual({ removed: 'office', jobs_deleted: 1, backups_deleted: 0 })
    expect((await cli(['job', 'show', token, '--data-dir', dataDir])).code).toBe(3)
  })

  it('site edit changes the address, port, tls and password in place, keeping the site and its jobs', async () => {
    await addSite()
    const created = await cli(['job', 'create', '--site', 'office', '--description', 'kept job', '--script', '-', '--data-dir', dataDir, '--json'], {
      stdin: ':put x\n',
    })
    const before = (await cli(['site', 'list', '--data-dir', dataDir, '--json'])).json<Site[]>()[0]!
    const edited = await cli(['site', 'edit', 'office', '--host', '10.1.2.3', '--tls', '--user', 'ops', '--password-env', 'NEW_PW', '--data-dir', dataDir, '--json'], {
      env: { NEW_PW: 'n3w-pass' },
    })
    expect(edited.code, edited.stderr).toBe(0)
    expect(edited.json<Site>()).toMatchObject({ id: before.id, name: 'office', host: '10.1.2.3', tls: true, api_port: 8729, username: 'ops' })
    expect(edited.stdout).not.toContain('n3w-pass')
    const moved = await cli(['site', 'edit', 'office', '--port', '18729', '--name', 'office-2', '--data-dir', dataDir])
    expect(moved.code, moved.stderr).toBe(0)
    expect(moved.stdout).toContain('edited site office-2: office-2\t10.1.2.3:18729 tls')
    expect((await cli(['job', 'show', created.json<{ token: string }>().token, '--data-dir', dataDir])).code).toBe(0)

    const nothing = await cli(['site', 'edit', 'office-2', '--data-dir', dataDir])
    expect(nothing.code).toBe(2)
    expect(nothing.stderr).toContain('say what to change')
    const bad = await cli(['site', 'edit', 'office-2', '--port', '0', '--data-dir', dataDir])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--port must be between 1 and 65535')
    expect((await cli(['site', 'edit', 'ghost', '--host', 'x', '--data-dir', dataDir])).code).toBe(3)
  })

  it('reads the data folder from FIELDJOBS_DATA_DIR when --data-dir is absent', async () => {
    const added = await cli(['site', 'add', '--no-check', '--name', 'x', '--host', '10.0.0.1', '--user', 'a', '--password-env', 'P', '--tls'], {
      env: { P: 'p', FIELDJOBS_DATA_DIR: dataDir },
    })
    expect(added.code).toBe(0)
    expect((await cli(['site', 'list', '--json', '--data-dir', dataDir])).json<Site[]>()[0]).toMatchObject({ api_port: 8729, tls: true })
  })

  it('never takes a secret from argv, and says which variable is missing', async () => {
    const noFlag = await cli(['site', 'add', '--no-check', '--name', 'x', '--host', 'h', '--user', 'u', '--data-dir', dataDir])
    expect(noFlag.code).toBe(2)
    expect(noFlag.stderr).toMatch(/--password-env VAR/)
    const unset = await cli(['site', 'add', '--no-check', '--name', 'x', '--host', 'h', '--user', 'u', '--password-env', 'NOPE', '--data-dir', dataDir])
    expect(unset.stderr).toMatch(/environment variable NOPE is not set/)
    const argvPassword = await cli(['site', 'add', '--password', 'oops', '--data-dir', dataDir])
    expect(argvPassword.code).toBe(2)
    expect(argvPassword.stderr).toMatch(/Unknown option '--password'/)
  })

  it('refuses bad input on stderr with a non-zero exit and stores nothing', async () => {
    const bad = await cli(['site', 'add', '--no-check', '--name', 'x', '--host', 'no spaces allowed', '--user', 'u', '--port', '99999', '--password-env', 'P', '--data-dir', dataDir], { env: { P: '' } })
    expect(bad.code).toBe(2)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toMatch(/--host must be an IP address or a host name; --port must be between 1 and 65535/)
    expect((await cli(['site', 'list', '--json', '--data-dir', dataDir])).json()).toEqual([])
    expect((await cli(['site', 'remove', 'ghost', '--data-dir', dataDir])).code).toBe(3)
  })
})

describe('fieldjobs job', () => {
  it('creates from a file or stdin, lists, shows and cancels', async () => {
    await addSite()
    const scriptFile = join(dataDir, 'vlan.rsc')
    writeFileSync(scriptFile, '/interface vlan add name=v10 vlan-id=10 interface=ether1\n')
    const created = await cli(['job', 'create', '--site', 'office', '--description', 'add vlan 10', '--script', scriptFile, '--backup', '--express', '--data-dir', dataDir, '--json'])
    expect(created.code).toBe(0)
    const job = created.json<Job & { created: boolean }>()
    expect(job).toMatchObject({ created: true, should_backup: true, express_execute: true, needs_acknowledgement: true, route: 'auto', status: 'pending' })
    expect(job.script).toBe(readFileSync(scriptFile, 'utf8'))

    const fromStdin = await cli(['job', 'create', '--site', 'office', '--description', 'from stdin', '--script', '-', '--no-ack', '--route', 'lan', '--data-dir', dataDir, '--json'], {
      stdin: '/system identity set name=x',
    })
    expect(fromStdin.json<Job>()).toMatchObject({ needs_acknowledgement: false, route: 'lan', script: '/system identity set name=x' })

    const listed = await cli(['job', 'list', '--data-dir', dataDir, '--json'])
    expect(listed.json<Job[]>().map((j) => j.description)).toEqual(['from stdin', 'add vlan 10'])
    const filtered = await cli(['job', 'list', '--status', 'pending', '--site', 'office', '--search', 'vlan', '--data-dir', dataDir, '--json'])
    expect(filtered.json<Job[]>().map((j) => j.token)).toEqual([job.token])
    // The words the list shows are accepted back: `running` is in_progress, `outcome-unknown` unknown.
    const running = await cli(['job', 'list', '--status', 'running,outcome-unknown', '--data-dir', dataDir, '--json'])
    expect(running.code, running.stderr).toBe(0)
    expect(running.json<Job[]>()).toEqual([])
    const delivered = await cli(['job', 'list', '--status', 'delivered', '--data-dir', dataDir])
    expect(delivered.code).toBe(2)
    expect(delivered.stderr).toContain('filter with --status completed')

    const shown = await cli(['job', 'show', job.token, '--data-dir', dataDir])
    expect(shown.stdout).toMatch(/token\s+\S{10}/)
    expect(shown.stdout).toContain('add vlan 10')

    const canceled = await cli(['job', 'cancel', job.token, '--data-dir', dataDir, '--json'])
    expect(canceled.json()).toMatchObject({ outcome: 'canceled', job: { status: 'canceled' } })
    const again = await cli(['job', 'cancel', job.token, '--data-dir', dataDir])
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/was already canceled/)
  })

  it('a second create with the same idempotency key returns the same job; a different payload is refused', async () => {
    await addSite()
    const key = randomUUID()
    const args = ['job', 'create', '--site', 'office', '--description', 'same job', '--script', '-', '--idempotency-key', key, '--data-dir', dataDir, '--json']
    const first = await cli(args, { stdin: '/log info "x"' })
    const second = await cli(args, { stdin: '/log info "x"' })
    expect(second.json<Job & { created: boolean }>()).toMatchObject({ id: first.json<Job>().id, created: false })
    const different = await cli(args, { stdin: '/log info "y"' })
    expect(different.code).toBe(2)
    expect(different.stderr).toMatch(/already used for job .* with a different payload/)
    expect((await cli(['job', 'list', '--data-dir', dataDir, '--json'])).json<Job[]>()).toHaveLength(1)
  })

  it('refuses invalid jobs with every reason and a non-zero exit', async () => {
    await addSite()
    const bad = await cli(['job', 'create', '--site', 'office', '--description', 'no', '--script', '-', '--idempotency-key', 'nope', '--data-dir', dataDir], { stdin: '  ' })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--description must be at least 3 characters')
    expect(bad.stderr).toContain('--script is empty')
    expect(bad.stderr).toContain('--idempotency-key: must be a UUID')
    expect((await cli(['job', 'create', '--site', 'ghost', '--description', 'abc', '--script', '-', '--data-dir', dataDir], { stdin: 'x' })).code).toBe(3)
    expect((await cli(['job', 'show', 'nosuchjob0', '--data-dir', dataDir])).stderr).toMatch(/no job with id or token nosuchjob0/)
    expect((await cli(['job', 'frobnicate', '--data-dir', dataDir])).code).toBe(2)
    expect((await cli(['job', 'list', '--status', 'sleeping', '--data-dir', dataDir])).stderr).toMatch(/not one of pending/)
    // A script file that cannot be read is said in words, not as errno's code.
    const missing = await cli(['job', 'create', '--site', 'office', '--description', 'abc', '--script', join(dataDir, 'nope.rsc'), '--data-dir', dataDir])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('nope.rsc: there is no such file (check the path, or give --script - to read standard input)')
    const folder = await cli(['job', 'create', '--site', 'office', '--description', 'abc', '--script', dataDir, '--data-dir', dataDir])
    expect(folder.stderr).toContain('that is a folder, not a file')
    expect((await cli(['job', 'list', '--data-dir', dataDir, '--json'])).json()).toEqual([])
  })

  it('works as `npx fieldjobs` through the package bin', async () => {
    const run = promisify(execFile)
    const bin = join(import.meta.dirname, '../../bin/fieldjobs.js')
    const { stdout } = await run(process.execPath, [bin, 'site', 'list', '--json', '--data-dir', dataDir])
    expect(JSON.parse(stdout)).toEqual([])
    await expect(run(process.execPath, [bin, 'nonsense'])).rejects.toMatchObject({ code: 2 })
  })
})
