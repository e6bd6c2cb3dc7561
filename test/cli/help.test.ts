// Every command answers --help on stdout with exit 0, before it opens anything or checks other flags.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli } from '../support/cli-harness'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()

describe('fieldjobs --help', () => {
  it.each([
    [['job', 'list', '--help'], 'fieldjobs job list [options]'],
    [['job', '--help'], 'fieldjobs job create'],
    [['job', 'create', '-h'], 'fieldjobs job create'],
    [['site', 'add', '--help'], 'fieldjobs site add --name NAME'],
    [['site', 'help'], 'site trust NAME --reset'],
    [['sync', '--help'], 'fieldjobs sync [--once]'],
    [['run', '--help'], 'fieldjobs run [--once]'],
    [['exec', '--help'], 'fieldjobs exec --host HOST'],
    [['serve', '--help'], 'Serves the Fieldjobs window to a browser'],
    [['db', 'copy', '--help'], 'fieldjobs db copy FILE'],
    [['db', 'help'], 'fieldjobs db copy FILE'],
    // git's `git help commit`: the command's own help, and an action's.
    [['help', 'sync'], 'fieldjobs sync [--once]'],
    [['help', 'site', 'add'], 'fieldjobs site add --name NAME'],
    [['help', 'job'], 'fieldjobs job create'],
  ])('%j prints help and opens nothing', async (args, expected) => {
    const dataDir = tempDir('fieldjobs-help-')
    const result = await cli([...args, '--data-dir', dataDir])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(expected)
    expect(existsSync(join(dataDir, 'fieldjobs.db'))).toBe(false)
  })

  it('a subcommand\'s --help explains each of its flags and only its own', async () => {
    const create = (await cli(['job', 'create', '--help'])).stdout
    for (const flag of ['--site NAME', '--description TEXT', '--script FILE|-', '--route', '--backup', '--no-ack', '--express', '--idempotency-key UUID', '--revert-after S|0']) {
      expect(create).toMatch(new RegExp(`^  ${flag.replace(/[|]/g, '\\|')}\\s+\\S`, 'm'))
    }
    expect(create).not.toContain('job cancel')
    for (const sub of ['add', 'edit', 'list', 'remove', 'check']) {
      const text = (await cli(['site', sub, '--help'])).stdout
      expect(text).toMatch(new RegExp(`^usage: fieldjobs site ${sub}`))
      expect(text).not.toContain('site trust NAME --reset')
    }
    expect((await cli(['site', 'add', '--help'])).stdout).toMatch(/^  --no-check\s+save without logging in/m)
  })

  it('`help` with a command that does not exist says so, as an unknown command does', async () => {
    const result = await cli(['help', 'sit'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown command "sit" (did you mean "site"?)')
  })

  it('a command with subcommands and no action prints its help', async () => {
    const result = await cli(['site'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('site trust NAME --reset')
  })

  it('a mistyped command or action says what was probably meant, as git does', async () => {
    const cases: Array<[string[], string]> = [
      [['sit', 'list'], 'unknown command "sit" (did you mean "site"?)'],
      [['bakcup', 'list'], 'unknown command "bakcup" (did you mean "backup"?)'],
      [['bat'], 'unknown command "bat" (did you mean "batch"?)'],
      [['job', 'lsit'], 'unknown job command "lsit" (did you mean "list"?)'],
      [['site', 'ad'], 'unknown site command "ad" (did you mean "add"?)'],
    ]
    for (const [args, message] of cases) {
      const result = await cli(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toContain(message)
    }
    const flag = await cli(['site', 'add', '--name', 'r1', '--host', '10.0.0.1', '--username', 'admin'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain(`Unknown option '--username' (did you mean "--user"?)`)
    const far = await cli(['frobnicate'])
    expect(far.code).toBe(2)
    expect(far.stderr).toContain('unknown command "frobnicate"\n')
  })

  it('an action that is only an Object.prototype name is unknown, not a crash', async () => {
    for (const args of [['job', 'toString'], ['site', 'constructor'], ['constructor']]) {
      const result = await cli(args)
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/unknown (job |site )?command "(toString|constructor)"/)
    }
  })
})
