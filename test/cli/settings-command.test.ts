// `fieldjobs settings get|set`: the Settings screen's values, checked by the same contract.
import { describe, expect, it } from 'vitest'
import { cli } from '../support/cli-harness'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
const env = { FIELDJOBS_SECRET_STORE: 'keyfile' }

describe('fieldjobs settings', () => {
  it('sets and gets each kind of value; the app reads what the CLI wrote', async () => {
    const common = ['--data-dir', tempDir()]
    expect((await cli(['settings', 'set', 'default_revert_after_s', '120', ...common], { env })).stdout).toBe('default_revert_after_s\t120\n')
    expect((await cli(['settings', 'set', 'concurrency', '4', ...common], { env })).code).toBe(0)
    expect((await cli(['settings', 'set', 'cloud_api_url', 'http://127.0.0.1:9', ...common], { env })).code).toBe(0)
    expect((await cli(['settings', 'get', 'default_revert_after_s', ...common], { env })).stdout).toBe('120\n')
    const all = (await cli(['settings', 'get', '--json', ...common], { env })).json()
    expect(all).toMatchObject({ default_revert_after_s: 120, concurrency: 4, cloud_api_url: 'http://127.0.0.1:9', cloud_token_set: false })
    expect((await cli(['settings', 'set', 'default_revert_after_s', 'off', ...common], { env })).code).toBe(0)
    expect((await cli(['settings', 'get', 'default_revert_after_s', ...common], { env })).stdout).toBe('null\n')
  })

  it('takes the cloud token from an environment variable only, and shows only its hint', async () => {
    const common = ['--data-dir', tempDir()]
    const inArgv = await cli(['settings', 'set', 'cloud_token', 'abcd1234', ...common], { env })
    expect(inArgv.code).toBe(2)
    expect(inArgv.stderr).toContain('--value-env VAR')
    const set = await cli(['settings', 'set', 'cloud_token', '--value-env', 'TOKEN', ...common], { env: { ...env, TOKEN: 'secret-token-9876' } })
    expect(set.stdout).toBe('cloud_token set (9876)\n')
    const shown = await cli(['settings', 'get', ...common], { env })
    expect(shown.stdout).toContain('cloud_token_set\ttrue')
    expect(shown.stdout).not.toContain('secret-token')
  })

  it('refuses an unknown key or an out-of-range value, naming what to fix, and keeps the old value', async () => {
    const common = ['--data-dir', tempDir()]
    await cli(['settings', 'set', 'concurrency', '8', ...common], { env })
    const unknown = await cli(['settings', 'set', 'colour', 'blue', ...common], { env })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('there is no setting "colour": one of cloud_api_url, cloud_token, concurrency')
    const range = await cli(['settings', 'set', 'concurrency', '999', ...common], { env })
    expect(range.code).toBe(2)
    expect(range.stderr).toMatch(/concurrency/)
    const revert = await cli(['settings', 'set', 'default_revert_after_s', '5', ...common], { env })
    expect(revert.code).toBe(2)
    expect((await cli(['settings', 'get', 'concurrency', ...common], { env })).stdout).toBe('8\n')
  })
})
