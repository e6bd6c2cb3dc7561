// `fieldjobs discover` against lab routers announcing on loopback MNDP, then
// `site add --from-discovery MAC`. The lab announces once at start, before discover listens, so
// what discover lists came from its refresh request: the lab answering a refresh is tested too.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Site } from '../../src-main/contract/site-schema'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { cli } from '../support/cli-harness'
import { freePort } from '../support/free-port'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
let dataDir: string
let lab: Lab
let mndpPort: number

interface Discovered {
  mac: string
  identity: string
  version: string
  platform: string
  board: string
  ipv4: string
  uptime: number
  software_id: string
  interface_name: string
  ipv6: string | null
  known_site: string | null
}

beforeEach(async () => {
  dataDir = tempDir()
  mndpPort = await freePort()
  lab = await startLab({ routers: 3, version: '7.16.1', mndpPort })
})
afterEach(async () => {
  await lab.close()
})

const discover = (...extra: string[]) => cli(['discover', '--port', String(mndpPort), '--timeout', '1', '--data-dir', dataDir, ...extra])

describe('fieldjobs discover', () => {
  it('lists each lab router once with the fields a router announces, and marks known sites', async () => {
    const first = await discover('--json')
    expect(first.code).toBe(0)
    const routers = first.json<Discovered[]>()
    expect(routers).toHaveLength(3)
    expect(new Set(routers.map((router) => router.mac)).size).toBe(3)
    expect(routers.map((router) => router.identity).sort()).toEqual(['lab-router-1', 'lab-router-2', 'lab-router-3'])
    for (const router of routers) {
      expect(router).toMatchObject({ version: '7.16.1 (stable)', platform: 'MikroTik', board: 'RB5009UG+S+', ipv4: '127.0.0.1', interface_name: 'ether1', ipv6: null, known_site: null })
      expect(router.mac).toMatch(/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/)
      expect(router.uptime).toBeGreaterThan(0)
    }

    const second = lab.routers[1]!
    const target = routers.find((router) => router.identity === second.name)!
    const env = { LAB_PASSWORD: second.password }
    const added = await cli(['site', 'add', '--from-discovery', target.mac.toLowerCase(), '--user', 'admin', '--password-env', 'LAB_PASSWORD', '--data-dir', dataDir, '--json'], { env })
    expect(added.stderr).toBe('')
    expect(added.json<Site>()).toMatchObject({ name: 'lab-router-2', host: '127.0.0.1', api_port: second.port })

    const table = await discover()
    expect(table.stdout).toMatch(/^MAC\s+IDENTITY\s+IPV4/)
    expect(table.stdout).toMatch(new RegExp(`${target.mac}\\s+lab-router-2\\s+127\\.0\\.0\\.1.*lab-router-2\\n`))
    const again = (await discover('--json')).json<Discovered[]>()
    expect(again.filter((router) => router.known_site !== null).map((router) => router.known_site)).toEqual(['lab-router-2'])
    expect(added.json<Site>().mac).toBe(target.mac.toUpperCase())

    // Its address changes (here: the site now points elsewhere): the MAC still makes it known.
    const moved = await cli(['site', 'edit', 'lab-router-2', '--host', '10.9.9.9', '--data-dir', dataDir])
    expect(moved.code, moved.stderr).toBe(0)
    const afterMove = (await discover('--json')).json<Discovered[]>()
    expect(afterMove.filter((router) => router.known_site !== null).map((router) => [router.mac, router.known_site])).toEqual([[target.mac, 'lab-router-2']])
  })

  it('shows the identity a script set with /system identity', async () => {
    const router = lab.routers[0]!
    const changed = await cli(['exec', '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'P', '--script', '-'], {
      env: { P: router.password },
      stdin: '/system identity set name=core-sw-7\n',
    })
    expect(changed.code).toBe(0)
    const routers = (await discover('--json')).json<Discovered[]>()
    expect(routers.map((entry) => entry.identity)).toContain('core-sw-7')
    expect(routers.map((entry) => entry.identity)).not.toContain('lab-router-1')
  })

  it('refuses --from-discovery for a MAC the last discovery did not see, and adds nothing', async () => {
    const refused = await cli(['site', 'add', '--from-discovery', '00:11:22:33:44:55', '--user', 'admin', '--password-env', 'P', '--data-dir', dataDir], { env: { P: 'x' } })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/no router with that MAC in the last discovery; run `fieldjobs discover` first/)
    expect((await cli(['site', 'list', '--json', '--data-dir', dataDir])).json()).toEqual([])
  })
})
