// With --json, errors are JSON on stderr too: {"error": {message, category, exit_code, issues?}}.
import { describe, expect, it } from 'vitest'
import { cli } from '../support/cli-harness'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()

const errorOf = (stderr: string) => (JSON.parse(stderr) as { error: Record<string, unknown> }).error

describe('--json errors', () => {
  it('a missing site: category not_found, exit 3, stdout empty', async () => {
    const result = await cli(['job', 'list', '--site', 'ghost', '--json', '--data-dir', tempDir()])
    expect(result.code).toBe(3)
    expect(result.stdout).toBe('')
    expect(errorOf(result.stderr)).toEqual({ message: expect.stringContaining('no site named "ghost"'), category: 'not_found', exit_code: 3 })
  })

  it('bad input names each field; a command-line mistake is category usage; both before or after the command', async () => {
    const dataDir = tempDir()
    const bad = await cli(['--json', 'site', 'add', '--name', 'x', '--host', 'no spaces', '--user', 'u', '--password-env', 'P', '--data-dir', dataDir], { env: { P: 'p' } })
    expect(bad.code).toBe(2)
    const error = errorOf(bad.stderr)
    expect(error).toMatchObject({ category: 'validation', exit_code: 2, issues: [{ path: 'host', message: expect.any(String) }] })
    const usage = await cli(['site', 'add', '--nope', '--json'])
    expect(errorOf(usage.stderr)).toMatchObject({ category: 'usage', exit_code: 2, message: expect.stringContaining("Unknown option '--nope'") })
  })

  it('without --json the error stays one plain line', async () => {
    const result = await cli(['job', 'show', 'nope', '--data-dir', tempDir()])
    expect(result.stderr).toMatch(/^fieldjobs job: /)
  })
})
