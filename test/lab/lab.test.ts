// startLab with the real simulator (router/index.ts) and with an injected router factory.
import { afterEach, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '../../src-main/lab/lab'
import type { SimulatedRouter } from '../../src-main/lab/router/contract'
import { freePort } from '../support/free-port'
import { FakeRouter } from './fake-router'
import { useLab } from './harness'
import { RawClient } from './raw-client'

const labs: Array<Lab<SimulatedRouter>> = []
// Registered before useLab's, so it runs after it: the clients close before their labs.
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.close()))
})
const { client: connect } = useLab()

describe('startLab', () => {
  it('starts N simulated routers with identities lab-router-1..N and one set of credentials', async () => {
    const lab = await startLab({ routers: 3 })
    labs.push(lab)
    expect(lab.routers.map((router) => router.name)).toEqual(['lab-router-1', 'lab-router-2', 'lab-router-3'])
    expect(new Set(lab.routers.map((router) => router.port)).size).toBe(3)
    const [, second] = lab.routers
    expect(second.user).toBe('admin')
    expect(second.password).toMatch(/^lab-[0-9a-f]{8}$/)
    const client = await connect(second.port)
    expect(await client.login(second.user, second.password)).toEqual([['!done']])
    client.send('/system/identity/print', '.tag=i')
    expect(await client.untilDone('i')).toEqual([['!re', '.tag=i', '=name=lab-router-2'], ['!done', '.tag=i']])
    expect(await client.login(second.user, 'wrong')).toEqual([['!trap', '=message=invalid user name or password (6)'], ['!done']])
  })

  it('passes version, latency and faults to every router', async () => {
    const lab = await startLab({ routers: 2, version: '7.17', latencyMs: [5, 10], password: 'fixed', faults: { neverAnswer: '/x' } })
    labs.push(lab)
    for (const router of lab.routers) {
      expect(router.router.version).toBe('7.17')
      expect(router.password).toBe('fixed')
      expect(router.server.faults.latencyMs).toEqual([5, 10])
      expect(router.server.faults.neverAnswer).toBe('/x')
    }
  })

  it('uses consecutive ports from basePort and reports a taken port after closing what started', async () => {
    const basePort = await freePort()
    const lab = await startLab({ routers: 1, basePort })
    labs.push(lab)
    expect(lab.routers[0].port).toBe(basePort)
    await expect(startLab({ routers: 1, basePort })).rejects.toMatchObject({ code: 'EADDRINUSE' })
  })

  it('takes a router factory (benchmarks and tests bring their own model)', async () => {
    const lab = await startLab<SimulatedRouter>({
      routers: 2,
      password: 'pw',
      createRouter: ({ identity, version, users }) =>
        new FakeRouter({ identity, version, users: Object.fromEntries((users ?? []).map((user) => [user.name, { password: user.password }])) }),
    })
    labs.push(lab)
    const client = await connect(lab.routers[1].port)
    expect(await client.login('admin', 'pw')).toEqual([['!done']])
    client.send('/system/identity/print')
    expect(await client.untilDone()).toEqual([['!re', '=name=lab-router-2'], ['!done']])
  })

  it('refuses a router count or base port that cannot work', async () => {
    await expect(startLab({ routers: 0 })).rejects.toThrow(RangeError)
    await expect(startLab({ routers: 2, basePort: 65535 })).rejects.toThrow(/65535/)
  })
})

describe('lockouts from the simulator', () => {
  it('drops connections and refuses new ones when the API service is disabled; a reboot lets clients back', async () => {
    const lab = await startLab({ routers: 1, password: 'pw' })
    labs.push(lab)
    const [entry] = lab.routers
    const client = await connect(entry.port)
    expect(await client.login('admin', 'pw')).toEqual([['!done']])
    client.send('/ip/service/print', '?name=api', '=.proplist=.id')
    const [[, idWord]] = await client.untilDone()
    client.send('/ip/service/set', idWord, '=disabled=yes')
    await client.closed
    await expect(RawClient.connect(entry.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    entry.router.reboot()
    await entry.server.whenListenerSettled()
    const again = await connect(entry.port)
    expect(await again.login('admin', 'pw')).toEqual([['!done']])
  })
})
