// The client's fixes for node-routeros 1.6.9's defects (shared/notes/routeros-api.md), each against
// the lab's wire server with its fault knobs.
import iconv from 'iconv-lite'
import nodeRouteros from 'node-routeros'
import { afterEach, describe, expect, it } from 'vitest'
import { RouterClient, type RouterClientOptions } from '../../src-main/core/routeros/router-client'
import { RouterConnectionError, RouterTrapError } from '../../src-main/core/routeros/router-errors'
import type { RouterServer, RouterServerOptions } from '../../src-main/lab/server'
import { useLab } from '../lab/harness'
import { ByteRouter } from './byte-router'

const labServers = useLab()
const clients: RouterClient[] = []
// Registered after useLab's, so it runs first: the clients close before their servers.
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
})

const lab = (router = new ByteRouter(), options: RouterServerOptions = {}) => labServers.server(router, options)

async function open(server: RouterServer, options: Partial<RouterClientOptions> = {}) {
  const client = new RouterClient({ host: '127.0.0.1', port: server.port, user: 'admin', password: 'secret', ...options })
  clients.push(client)
  await client.connect()
  return client
}

const caught = async (promise: Promise<unknown>) => {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('RouterClient against the lab wire server', () => {
  it('(1) an empty print on 7.18+ (!empty) resolves to [] instead of crashing', async () => {
    const { server } = await lab(new ByteRouter('7.18.2'))
    const client = await open(server)
    await expect(client.print('/ip/address/print')).resolves.toEqual([])
    // The connection stays usable after `!empty`.
    await expect(client.print('/system/identity/print')).resolves.toEqual([{ name: 'byte-router' }])
  })

  it('(1) an empty print before 7.18 (bare !done) is [] too', async () => {
    const { server } = await lab(new ByteRouter('7.17'))
    const client = await open(server)
    await expect(client.print('/ip/address/print')).resolves.toEqual([])
  })

  it('(2) a socket error after login rejects pending calls and never reaches the process', async () => {
    const { server } = await lab(new ByteRouter(), { faults: { neverAnswer: '/slow-never' } })
    const client = await open(server)
    const pending = client.command('/slow-never')
    const socket = (client as unknown as { socket: import('node:net').Socket }).socket
    // What node-routeros left without a listener: an 'error' on the socket after login.
    socket.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))
    const error = await caught(pending)
    expect(error).toBeInstanceOf(RouterConnectionError)
    expect((error as RouterConnectionError).phase).toBe('command')
    expect(client.isOpen).toBe(false)
  })

  it('(2) the router dropping the connection mid-command rejects the call', async () => {
    const { server } = await lab(new ByteRouter(), { faults: { dropConnectionOnCommand: '/system/identity/print' } })
    const client = await open(server)
    const error = await caught(client.print('/system/identity/print'))
    expect(error).toBeInstanceOf(RouterConnectionError)
    expect((error as RouterConnectionError).kind).toBe('closed')
  })

  it('(3) a command the router never answers times out', async () => {
    const { server } = await lab(new ByteRouter(), { faults: { neverAnswer: '/system/identity/print' } })
    const client = await open(server)
    const error = (await caught(client.print('/system/identity/print', {}, { timeoutMs: 150 }))) as RouterConnectionError
    expect(error.kind).toBe('timeout')
    expect(error.phase).toBe('command')
    // The connection survives a timed-out call.
    await expect(client.print('/ip/address/print')).resolves.toEqual([])
  })

  it('(3) a login the router never answers times out before login (retryable)', async () => {
    const { server } = await lab(new ByteRouter(), { faults: { neverAnswer: '/login' } })
    const client = new RouterClient({ host: '127.0.0.1', port: server.port, user: 'admin', password: 'secret', loginTimeoutMs: 150 })
    const error = (await caught(client.connect())) as RouterConnectionError
    expect(error.kind).toBe('timeout')
    expect(error.phase).toBe('login')
  })

  it('(3) !fatal rejects every pending call at once', async () => {
    const { server } = await lab(new ByteRouter(), { faults: { fatalOnCommand: '/system/identity/print' } })
    const client = await open(server)
    const slow = client.command('/slow')
    const fatal = client.print('/system/identity/print')
    const [slowError, fatalError] = await Promise.all([caught(slow), caught(fatal)])
    for (const error of [slowError, fatalError]) {
      expect(error).toBeInstanceOf(RouterConnectionError)
      expect((error as RouterConnectionError).kind).toBe('fatal')
      expect((error as Error).message).toContain('lab fault: fatal on command')
    }
  })

  it('(3) close() rejects pending calls', async () => {
    const { server } = await lab()
    const client = await open(server)
    const slow = caught(client.command('/slow'))
    await client.close()
    expect(((await slow) as RouterConnectionError).kind).toBe('closed')
  })

  it('(4) replies in 1-byte TCP segments (final 0x00 alone) do not stall login or commands', async () => {
    const { server } = await lab(new ByteRouter(), { faults: { oneByteSegments: true } })
    const client = await open(server)
    await expect(client.print('/system/identity/print')).resolves.toEqual([{ name: 'byte-router' }])
    await expect(client.print('/ip/address/print')).resolves.toEqual([])
  })

  it('(5) reads UTF-8, CP1251 and CP1252 bytes by the text policy', async () => {
    const router = new ByteRouter()
    const { server } = await lab(router)
    const cyrillic = 'Маршрутизатор'
    const western = 'Café Zürich'
    const utf8 = 'Роутер ✓ café'

    router.identityBytes = iconv.encode(cyrillic, 'windows-1251').toString('latin1')
    const cp1251Site = await open(server, { codePage: 'windows-1251' })
    expect((await cp1251Site.print('/system/identity/print'))[0]?.name).toBe(cyrillic)

    router.identityBytes = iconv.encode(western, 'windows-1252').toString('latin1')
    const autoSite = await open(server, { codePage: 'auto' })
    expect((await autoSite.print('/system/identity/print'))[0]?.name).toBe(western)

    // Valid UTF-8 wins over any code page.
    router.identityBytes = Buffer.from(utf8, 'utf8').toString('latin1')
    expect((await cp1251Site.print('/system/identity/print'))[0]?.name).toBe(utf8)
    expect((await autoSite.print('/system/identity/print'))[0]?.name).toBe(utf8)
  })

  it('(5) writes Cyrillic in the site code page, and UTF-8 for auto', async () => {
    const router = new ByteRouter()
    const { server } = await lab(router)
    const cp1251Site = await open(server, { codePage: 'windows-1251' })
    await cp1251Site.command('/system/identity/set', { name: 'Привет' })
    expect(Buffer.from(router.identityBytes, 'latin1')).toEqual(iconv.encode('Привет', 'windows-1251'))
    expect((await cp1251Site.print('/system/identity/print'))[0]?.name).toBe('Привет')

    const autoSite = await open(server, { codePage: 'auto' })
    await autoSite.command('/system/identity/set', { name: 'Привет' })
    expect(Buffer.from(router.identityBytes, 'latin1').toString('utf8')).toBe('Привет')

    // A character the code page lacks: UTF-8 rather than `?`.
    await cp1251Site.command('/system/identity/set', { name: 'Привет ✓' })
    expect(Buffer.from(router.identityBytes, 'latin1').toString('utf8')).toBe('Привет ✓')
  })

  it('(6) tls without a port means 8729 (node-routeros used 8728), and api-ssl works', async () => {
    expect(new RouterClient({ host: '127.0.0.1', tls: true, user: 'a', password: '' }).port).toBe(8729)
    expect(new RouterClient({ host: '127.0.0.1', user: 'a', password: '' }).port).toBe(8728)
    const legacy = new nodeRouteros.RouterOSAPI({ host: '127.0.0.1', tls: {} })
    expect((legacy as unknown as { port: number }).port).toBe(8728)

    const { server } = await lab(new ByteRouter(), { tls: true })
    const client = await open(server, { tls: true })
    await expect(client.print('/system/identity/print')).resolves.toEqual([{ name: 'byte-router' }])
    expect(client.peerFingerprint).toMatch(/^[0-9A-F:]+$/)
  })

  it('(6) a pinned fingerprint that does not match refuses with a tls error', async () => {
    const { server } = await lab(new ByteRouter(), { tls: true })
    const client = new RouterClient({ host: '127.0.0.1', port: server.port, tls: true, user: 'admin', password: 'secret', tlsFingerprint: 'AA:BB' })
    const error = (await caught(client.connect())) as RouterConnectionError
    expect(error.kind).toBe('tls')
  })

  it('(7) !trap rejects with a typed RouterTrapError keeping message and category', async () => {
    const { server } = await lab()
    const client = await open(server)
    const error = await caught(client.command('/ip/address/add', { address: '10.0.0.1/24', interface: 'nope' }))
    expect(error).toBeInstanceOf(RouterTrapError)
    expect(error).toMatchObject({ message: 'input does not match any value of interface', category: 1, command: '/ip/address/add' })
    // The connection stays usable after a trap.
    await expect(client.print('/system/identity/print')).resolves.toHaveLength(1)
  })

  it('(8) connect twice rejects with an Error (node-routeros rejected a bare string)', async () => {
    const { server } = await lab()
    const client = await open(server)
    const error = await caught(client.connect())
    expect(error).toBeInstanceOf(RouterConnectionError)
    expect((error as RouterConnectionError).kind).toBe('usage')

    const legacy = new nodeRouteros.RouterOSAPI({ host: '127.0.0.1', port: server.port, user: 'admin', password: 'secret' })
    const first = legacy.connect()
    const second = await caught(legacy.connect())
    expect(typeof second).toBe('string')
    await first
    await legacy.close()
  })

  it('classifies refused connections and bad credentials for the executor', async () => {
    const { server } = await lab()
    const badPassword = new RouterClient({ host: '127.0.0.1', port: server.port, user: 'admin', password: 'wrong' })
    const auth = (await caught(badPassword.connect())) as RouterConnectionError
    expect(auth).toMatchObject({ kind: 'auth', phase: 'login' })
    expect(auth.message).toContain('invalid user name or password')

    await server.setFaults({ refuseConnections: true })
    const refused = (await caught(new RouterClient({ host: '127.0.0.1', port: server.port, user: 'admin', password: 'secret' }).connect())) as RouterConnectionError
    expect(refused).toMatchObject({ kind: 'refused', phase: 'connect' })
  })

  it('logs in with the pre-6.43 challenge', async () => {
    const { server } = await lab(new ByteRouter('6.40'))
    const client = await open(server)
    await expect(client.print('/system/identity/print')).resolves.toEqual([{ name: 'byte-router' }])
  })

  it('garbage on the port is a protocol error, not a hang', async () => {
    const { server } = await lab(new ByteRouter(), { faults: { garbageOnConnect: true } })
    const client = new RouterClient({ host: '127.0.0.1', port: server.port, user: 'admin', password: 'secret', loginTimeoutMs: 5000 })
    const error = (await caught(client.connect())) as RouterConnectionError
    expect(error.kind).toBe('protocol')
  })
})
