// Fault knobs and the lockout hooks (dropAllConnections, setAcceptingConnections), over raw bytes.
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { DEFAULT_GARBAGE } from '../../src-main/lab/faults'
import { FakeRouter } from './fake-router'
import { useLab } from './harness'
import { RawClient, rawSentence } from './raw-client'

const lab = useLab()

function connectError(port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(undefined)
    })
    socket.once('error', (error) => resolve(error))
  })
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now()
  const result = await work()
  return [result, performance.now() - started]
}

describe('latencyMs', () => {
  it('delays each reply batch of a command, not each sentence', async () => {
    const { server } = await lab.server({}, { faults: { latencyMs: 150 } })
    const client = await lab.client(server.port)
    const [login, loginMs] = await timed(() => client.login('admin', 'secret'))
    expect(login).toEqual([['!done']])
    expect(loginMs).toBeGreaterThanOrEqual(145)
    client.send('/interface/print')
    const [replies, printMs] = await timed(() => client.untilDone())
    expect(replies).toHaveLength(4)
    expect(printMs).toBeGreaterThanOrEqual(145)
    // Per sentence it would take 4 x 150 ms.
    expect(printMs).toBeLessThan(500)
  })

  it('takes a [min, max] range and can change at run time', async () => {
    const { server } = await lab.server({}, { faults: { latencyMs: [60, 80] } })
    const client = await lab.loggedIn(server.port)
    client.send('/system/identity/print')
    const [, rangedMs] = await timed(() => client.untilDone())
    expect(rangedMs).toBeGreaterThanOrEqual(55)
    server.faults.latencyMs = 0
    client.send('/system/identity/print')
    expect(await client.untilDone()).toEqual([['!re', '=name=fake-router'], ['!done']])
  })

  it('keeps the /cancel order under latency', async () => {
    const { server } = await lab.server({}, { faults: { latencyMs: [1, 30] } })
    const client = await lab.loggedIn(server.port)
    client.send('/interface/listen', '.tag=2')
    client.send('/cancel', '=tag=2', '.tag=4')
    expect([await client.next(), await client.next(), await client.next()]).toEqual([
      ['!trap', '.tag=2', '=category=2', '=message=interrupted'],
      ['!done', '.tag=4'],
      ['!done', '.tag=2'],
    ])
  })
})

describe('oneByteSegments', () => {
  it('writes the reply byte by byte; the sentences are still intact', async () => {
    const { server } = await lab.server({ identity: 'trickle' }, { faults: { oneByteSegments: true } })
    const client = await lab.client(server.port)
    expect(await client.login('admin', 'secret', 'l')).toEqual([['!done', '.tag=l']])
    client.send('/interface/print', '.tag=a')
    client.send('/system/identity/print', '.tag=b')
    const replies = [...(await client.untilDone('a')), ...(await client.untilDone('b'))]
    expect(replies).toContainEqual(['!re', '.tag=b', '=name=trickle'])
    expect(replies).toContainEqual(['!done', '.tag=a'])
    // Far more reads than sentences: the bytes arrived in many segments.
    expect(client.dataEvents).toBeGreaterThan(20)
  })
})

describe('dropConnectionOnCommand', () => {
  it('sends part of the reply, then drops the socket and aborts running commands', async () => {
    const router = new FakeRouter({ identity: 'dropper' })
    const { server } = await lab.server(router, { faults: { dropConnectionOnCommand: '/system/identity/print' } })
    const client = await lab.loggedIn(server.port)
    client.send('/interface/listen', '.tag=L')
    client.send('/ip/address/add', '=interface=ether1', '.tag=A')
    expect(await client.untilDone('A')).toEqual([['!done', '.tag=A', '=ret=*A']])
    const before = client.received.length
    client.send('/system/identity/print', '.tag=I')
    await client.closed
    const full = Buffer.concat([rawSentence('!re', '.tag=I', '=name=dropper'), rawSentence('!done', '.tag=I')])
    const partial = client.received.subarray(before)
    expect(partial.length).toBeGreaterThan(0)
    expect(partial.length).toBeLessThan(full.length)
    expect(full.subarray(0, partial.length).equals(partial)).toBe(true)
    // The listen, and the print itself: its reply was cut short mid-command.
    expect(new Set(await router.abortedAtLeast(2))).toEqual(new Set(['/interface/listen', '/system/identity/print']))
  })

  it('matches by RegExp, including /login', async () => {
    const { server } = await lab.server({}, { faults: { dropConnectionOnCommand: /^\/login$/ } })
    const client = await lab.client(server.port)
    client.send('/login', '=name=admin', '=password=secret')
    await client.closed
  })
})

describe('neverAnswer', () => {
  it('swallows the command while other tags are served', async () => {
    const router = new FakeRouter()
    const { server } = await lab.server(router, { faults: { neverAnswer: '/interface/print' } })
    const client = await lab.loggedIn(server.port)
    client.send('/interface/print', '.tag=silent')
    client.send('/system/identity/print', '.tag=b')
    expect(await client.untilDone('b')).toEqual([['!re', '.tag=b', '=name=fake-router'], ['!done', '.tag=b']])
    expect(router.commands.map((command) => command.command)).toEqual(['/system/identity/print'])
    server.faults.neverAnswer = undefined
    client.send('/interface/print', '.tag=c', '=.proplist=name')
    const replies = await client.untilDone('c')
    // Nothing for `silent` ever arrived, before or after.
    expect(replies.flat().some((word) => word === '.tag=silent')).toBe(false)
    expect(replies).toHaveLength(4)
  })
})

describe('fatalOnCommand', () => {
  it('answers !fatal with the configured reason and closes', async () => {
    const { server } = await lab.server({}, { faults: { fatalOnCommand: /identity/, fatalMessage: 'out of memory' } })
    const client = await lab.loggedIn(server.port)
    client.send('/system/identity/print', '.tag=x')
    expect(await client.next()).toEqual(['!fatal', 'out of memory'])
    await client.closed
  })
})

describe('garbage', () => {
  it('garbageOnConnect: garbage bytes before anything is asked', async () => {
    const { server } = await lab.server({}, { faults: { garbageOnConnect: true } })
    const client = await lab.client(server.port)
    const received = await client.receivedAtLeast(DEFAULT_GARBAGE.length)
    expect(received.subarray(0, DEFAULT_GARBAGE.length).equals(Buffer.from(DEFAULT_GARBAGE))).toBe(true)
    expect(received[0]).toBeGreaterThanOrEqual(0xf8)
  })

  it('garbageOnCommand: the reply is the configured garbage', async () => {
    const garbageBytes = Buffer.from([0xff, 0xfe, 0x41])
    const { server } = await lab.server({}, { faults: { garbageOnCommand: '/system/identity/print', garbageBytes } })
    const client = await lab.loggedIn(server.port)
    const before = client.received.length
    client.send('/system/identity/print')
    const received = await client.receivedAtLeast(before + 3)
    expect(received.subarray(before).equals(garbageBytes)).toBe(true)
  })
})

describe('refuseConnections and the lockout hooks', () => {
  it('refuses connections, keeps open ones, and re-listens on the same port', async () => {
    const { server } = await lab.server()
    const open = await lab.loggedIn(server.port)
    const port = server.port
    await server.setFaults({ refuseConnections: true })
    expect((await connectError(port))?.code).toBe('ECONNREFUSED')
    open.send('/system/identity/print')
    expect(await open.untilDone()).toEqual([['!re', '=name=fake-router'], ['!done']])
    await server.setFaults({ refuseConnections: false })
    expect(server.port).toBe(port)
    const again = await lab.loggedIn(port)
    again.send('/system/identity/print')
    expect(await again.untilDone()).toHaveLength(2)
  })

  it('can refuse from the start, with a known port', async () => {
    const { server } = await lab.server({}, { faults: { refuseConnections: true } })
    expect(server.port).toBeGreaterThan(0)
    expect((await connectError(server.port))?.code).toBe('ECONNREFUSED')
    await server.setFaults({ refuseConnections: false })
    await lab.loggedIn(server.port)
  })

  it('dropAllConnections closes every connection and aborts their commands; new ones are served', async () => {
    const router = new FakeRouter()
    const { server } = await lab.server(router)
    const first = await lab.loggedIn(server.port)
    const second = await lab.loggedIn(server.port)
    first.send('/interface/listen', '.tag=1')
    first.send('/system/identity/print', '.tag=2')
    await first.untilDone('2')
    expect(server.connectionCount).toBe(2)
    server.dropAllConnections()
    await Promise.all([first.closed, second.closed])
    expect(await router.abortedAtLeast(1)).toEqual(['/interface/listen'])
    await lab.loggedIn(server.port)
  })

  it('setAcceptingConnections(false) refuses until turned back on, even if the fault knob is cleared', async () => {
    const { server } = await lab.server()
    await server.setAcceptingConnections(false)
    expect((await connectError(server.port))?.code).toBe('ECONNREFUSED')
    await server.setFaults({ refuseConnections: false })
    expect((await connectError(server.port))?.code).toBe('ECONNREFUSED')
    await server.setAcceptingConnections(true)
    await lab.loggedIn(server.port)
  })

  it('close() ends open connections and frees the port', async () => {
    const { server } = await lab.server()
    const client = await RawClient.connect(server.port)
    await client.login('admin', 'secret')
    client.send('/interface/listen')
    await server.close()
    await client.closed
    expect((await connectError(server.port))?.code).toBe('ECONNREFUSED')
  })
})
