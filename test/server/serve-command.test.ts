// `fieldjobs serve` in-process: prints a URL with a token, serves the API and stops on the signal.
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { ensureRendererBuilt, findProjectRoot } from '../../src-main/server/renderer-build'
import { cli, startCli } from '../support/cli-harness'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
let dataDir: string
beforeEach(() => {
  dataDir = tempDir('fieldjobs-serve-')
})

/** `fieldjobs serve` running until stopped; `printed` is the tokened URL it prints first. */
const serve = (args: string[], env: Record<string, string> = {}) =>
  startCli(['serve', '--no-window', ...args, '--data-dir', dataDir], {
    env,
    until: (stdout) => /(http:\/\/[^\s"]+#token=[A-Za-z0-9_-]+)/.exec(stdout)?.[1],
  })

describe('fieldjobs serve', () => {
  it('prints a tokened URL on 127.0.0.1, answers the API with that token only, and stops on Ctrl-C', async () => {
    const { printed, exited, stop, output } = serve([])
    const url = new URL(await printed)
    expect(url.hostname).toBe('127.0.0.1')
    const token = url.hash.replace('#token=', '')
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)

    const call = (authorization?: string) =>
      fetch(`${url.origin}/api/settings:get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: '{}',
      })
    expect((await call()).status).toBe(401)
    const answer = await call(`Bearer ${token}`)
    expect(answer.status).toBe(200)
    expect(await answer.json()).toMatchObject({ ok: true, value: { cloud_token_set: false } })

    stop()
    expect(await exited).toBe(0)
    expect(output().stdout).toContain(`Fieldjobs is serving ${dataDir}`)
    await expect(call(`Bearer ${token}`)).rejects.toThrow()
  })

  it('takes the token from --token-env and prints JSON with --json', async () => {
    const token = 'T'.repeat(40)
    const { printed, exited, stop, output } = serve(['--json', '--token-env', 'SERVE_TOKEN'], { SERVE_TOKEN: token })
    expect(await printed).toMatch(new RegExp(`#token=${token}$`))
    stop()
    expect(await exited).toBe(0)
    const listing = JSON.parse(output().stdout)
    expect(listing).toMatchObject({ url: expect.stringContaining(token), data_dir: dataDir })
    expect(listing.origin).toBe(`http://127.0.0.1:${listing.port}`)
  })

  it.each([
    [['--host', '0.0.0.0'], /loopback address/],
    [['--host', '192.168.88.10'], /loopback address/],
    [['--port', 'eighty'], /--port must be a whole number/],
    [['--port', '70000'], /between 0 and 65535/],
    [['--token-env', 'MISSING'], /MISSING is not set/],
    [['--token-env', 'SHORT'], /at least 32 characters/],
    [['--bogus'], /Unknown option/],
  ])('refuses %j with a usage error (exit 2)', async (args, message) => {
    const refused = await cli(['serve', '--no-window', '--data-dir', dataDir, ...args], { env: { SHORT: 'abc' } })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(message)
  })
})

describe('the renderer for serve', () => {
  it('finds the checkout root', () => {
    expect(findProjectRoot()).toBe(join(import.meta.dirname, '..', '..'))
  })

  it('says to run npm run build when the window cannot be built', async () => {
    const messages: string[] = []
    await expect(ensureRendererBuilt({ root: dataDir, onBuild: (m) => messages.push(m) })).rejects.toThrow(/run `npm run build` in/)
    expect(messages[0]).toContain('building it now')
  })
})
