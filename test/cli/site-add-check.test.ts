// `site add` logs in before it saves, as the window's "Test connection" does: a wrong password or a
// router that does not answer saves nothing (exit 1) unless --no-check says to save it anyway.
import { afterEach, describe, expect, it } from 'vitest'
import type { Site } from '../../src-main/contract/site-schema'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { cli } from '../support/cli-harness'
import { freePort } from '../support/free-port'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
let lab: Lab | undefined
afterEach(async () => {
  await lab?.close()
  lab = undefined
})

describe('fieldjobs site add checks the login', () => {
  it('saves a site whose login works, and refuses a wrong password, saving nothing', async () => {
    lab = await startLab({ routers: 1 })
    const router = lab.routers[0]!
    const common = ['--data-dir', tempDir(), '--json']
    const env = { FIELDJOBS_SECRET_STORE: 'keyfile', GOOD: router.password, BAD: 'not-the-password' }
    const args = (name: string, passwordEnv: string) => ['site', 'add', '--name', name, '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', passwordEnv, ...common]

    const good = await cli(args('good', 'GOOD'), { env })
    expect(good.code, good.stderr).toBe(0)
    const bad = await cli(args('typo', 'BAD'), { env })
    expect(bad.code).toBe(1)
    expect(JSON.parse(bad.stderr).error.message).toMatch(
      new RegExp(`^could not log in to ${router.host}:${router.port} as "${router.user}": .*password.*; the site was not saved\\. .*--no-check`),
    )
    expect((await cli(['site', 'list', ...common], { env })).json<Site[]>().map((site) => site.name)).toEqual(['good'])
    // The same name is free again: nothing of the refused site was kept.
    const retried = await cli(args('typo', 'GOOD'), { env })
    expect(retried.code, retried.stderr).toBe(0)
  })

  it('--no-check saves a site whose router is offline now', async () => {
    const closedPort = await freePort()
    const common = ['--data-dir', tempDir()]
    const env = { FIELDJOBS_SECRET_STORE: 'keyfile', P: 'p' }
    const args = ['site', 'add', '--name', 'offline', '--host', '127.0.0.1', '--port', String(closedPort), '--user', 'admin', '--password-env', 'P', ...common]
    const refused = await cli(args, { env })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('the site was not saved')
    const saved = await cli([...args, '--no-check'], { env })
    expect(saved.code, saved.stderr).toBe(0)
    expect(saved.stdout).toContain('added site offline')
  })
})
