// Global options go before or after the command, as in git or kubectl; `--version` answers alone.
import { describe, expect, it } from 'vitest'
import packageJson from '../../package.json' with { type: 'json' }
import { cli } from '../support/cli-harness'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
const env = { FIELDJOBS_SECRET_STORE: 'keyfile' }

describe('global options', () => {
  it('--data-dir and --json before the command equal the same options after it', async () => {
    const dataDir = tempDir('fieldjobs-global-')
    const added = await cli(['--data-dir', dataDir, 'site', 'add', '--no-check', '--name', 'edge', '--host', '127.0.0.1', '--user', 'admin', '--password-env', 'PW'], {
      env: { ...env, PW: 'secret' },
    })
    expect(added.code, added.stderr).toBe(0)
    const before = await cli(['--data-dir', dataDir, '--json', 'site', 'list'], { env })
    const after = await cli(['site', 'list', '--data-dir', dataDir, '--json'], { env })
    const equalsForm = await cli(['--json', `--data-dir=${dataDir}`, 'site', 'list'], { env })
    expect(before.code, before.stderr).toBe(0)
    expect(before.json<{ name: string }[]>().map((site) => site.name)).toEqual(['edge'])
    expect(before.stdout).toBe(after.stdout)
    expect(equalsForm.stdout).toBe(after.stdout)
    // Between the command and its action, as kubectl takes `get -n NS pods`.
    const between = await cli(['site', '--data-dir', dataDir, '--json', 'list'], { env })
    expect(between.code, between.stderr).toBe(0)
    expect(between.stdout).toBe(after.stdout)
  })

  it('a command given only global options prints its help, as the bare command does', async () => {
    const dataDir = tempDir('fieldjobs-global-')
    const bare = await cli(['site'], { env })
    const withOptions = await cli(['site', '--data-dir', dataDir, '--json'], { env })
    expect(withOptions.code, withOptions.stderr).toBe(0)
    expect(withOptions.stdout).toBe(bare.stdout)
  })

  it('a leading --data-dir without a folder is a usage error, not "unknown command"', async () => {
    const result = await cli(['--data-dir'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--data-dir needs a folder')
  })

  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await cli([flag])
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(`fieldjobs ${packageJson.version}\n`)
    }
  })
})
