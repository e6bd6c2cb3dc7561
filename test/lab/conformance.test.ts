// The conformance cases of shared/notes/routeros-api.md that belong to the wire server, spoken in raw
// bytes over TCP. Cases about router state (6, 8 queries, 10, 11) belong to the router simulator.
import { describe, expect, it } from 'vitest'
import { FakeRouter } from './fake-router'
import { useLab } from './harness'
import { rawSentence } from './raw-client'

const lab = useLab()

function writeAndFlush(socket: import('node:net').Socket, bytes: Uint8Array): Promise<void> {
  // Waiting for the write callback and a macrotask gives the kernel the chance to send it alone.
  return new Promise((resolve) => socket.write(bytes, () => setImmediate(resolve)))
}

describe('case 1: framing', () => {
  it('answers a request split at every byte offset exactly like a whole one', async () => {
    const { server } = await lab.server({ identity: 'split-router' })
    const client = await lab.loggedIn(server.port)
    const request = (tag: number) => rawSentence('/system/identity/print', `.tag=${tag}`)
    const whole = request(0)
    client.writeBytes(whole)
    expect(await client.untilDone('0')).toEqual([['!re', '.tag=0', '=name=split-router'], ['!done', '.tag=0']])
    for (let split = 1; split < whole.length; split++) {
      const bytes = request(split)
      await writeAndFlush(client.socket, bytes.subarray(0, split))
      await writeAndFlush(client.socket, bytes.subarray(split))
      expect(await client.untilDone(String(split))).toEqual([
        ['!re', `.tag=${split}`, '=name=split-router'],
        ['!done', `.tag=${split}`],
      ])
    }
  })

  it('answers two requests coalesced in one segment', async () => {
    const { server } = await lab.server({ identity: 'coalesced' })
    const client = await lab.client(server.port)
    client.writeBytes(
      Buffer.concat([
        rawSentence('/login', '=name=admin', '=password=secret'),
        rawSentence('/system/identity/print'),
        rawSentence(),
      ]),
    )
    expect(await client.next()).toEqual(['!done'])
    expect(await client.untilDone()).toEqual([['!re', '=name=coalesced'], ['!done']])
  })

  it('keeps a final 0x00 in its own segment from stalling the request', async () => {
    const { server } = await lab.server()
    const client = await lab.loggedIn(server.port)
    const bytes = rawSentence('/system/identity/print')
    await writeAndFlush(client.socket, bytes.subarray(0, bytes.length - 1))
    await writeAndFlush(client.socket, bytes.subarray(bytes.length - 1))
    expect(await client.untilDone()).toEqual([['!re', '=name=fake-router'], ['!done']])
  })

  it('sends 2-, 3- and 4-byte length prefixes for long values', async () => {
    const { server } = await lab.server()
    const client = await lab.loggedIn(server.port)
    for (const size of [200, 0x4000, 0x200000]) {
      const value = 'v'.repeat(size)
      client.send('/echo', `=value=${value}`)
      const [item] = await client.untilDone()
      expect(item).toEqual(['!re', `=value=${value}`])
    }
  })

  it('drops the connection on a reserved length byte', async () => {
    const { server } = await lab.server()
    const client = await lab.loggedIn(server.port)
    client.writeBytes(Buffer.from([0xf8]))
    await client.closed
  })
})

describe('case 2: login since 6.43', () => {
  it('logs in untagged and tagged', async () => {
    const { server } = await lab.server()
    const untagged = await lab.client(server.port)
    expect(await untagged.login('admin', 'secret')).toEqual([['!done']])
    const tagged = await lab.client(server.port)
    expect(await tagged.login('admin', 'secret', 'L')).toEqual([['!done', '.tag=L']])
  })

  it('keeps the socket usable after a bad login, then accepts a good one', async () => {
    const { server } = await lab.server()
    const client = await lab.client(server.port)
    expect(await client.login('admin', 'wrong')).toEqual([['!trap', '=message=invalid user name or password (6)'], ['!done']])
    expect(await client.login('nobody', 'secret', 'x')).toEqual([
      ['!trap', '.tag=x', '=message=invalid user name or password (6)'],
      ['!done', '.tag=x'],
    ])
    expect(await client.login('admin', 'secret')).toEqual([['!done']])
    client.send('/system/identity/print')
    expect(await client.untilDone()).toEqual([['!re', '=name=fake-router'], ['!done']])
  })

  it('refuses a user whose group lacks the api policy', async () => {
    const { server } = await lab.server()
    const client = await lab.client(server.port)
    expect(await client.login('viewer', 'view')).toEqual([['!trap', '=message=std failure: not allowed (9)'], ['!done']])
  })

  it('answers a command before login with !fatal not logged in and closes', async () => {
    const { server } = await lab.server()
    const client = await lab.client(server.port)
    client.send('/system/identity/print')
    expect(await client.next()).toEqual(['!fatal', 'not logged in'])
    await client.closed
  })
})

describe('case 3: challenge login before 6.43', () => {
  const MANUAL_CHALLENGE = Buffer.from('93b438ec9b80057c06dd9fe67d56aa9a', 'hex')
  const users = { admin: { password: '' } }

  it('logs in with the manual vector', async () => {
    const { server } = await lab.server({ users, version: '6.42.12' }, { challenge: () => MANUAL_CHALLENGE })
    const client = await lab.client(server.port)
    client.send('/login')
    expect(await client.untilDone()).toEqual([['!done', '=ret=93b438ec9b80057c06dd9fe67d56aa9a']])
    client.send('/login', '=name=admin', '=response=00e134102a9d330dd7b1849fedfea3cb57')
    expect(await client.untilDone()).toEqual([['!done']])
    client.send('/system/identity/print', '.tag=t')
    expect(await client.untilDone('t')).toEqual([['!re', '.tag=t', '=name=fake-router'], ['!done', '.tag=t']])
  })

  it('answers a wrong response with cannot log in, and a challenge serves one attempt', async () => {
    const { server } = await lab.server({ users }, { loginStyle: 'challenge', challenge: () => MANUAL_CHALLENGE })
    const client = await lab.client(server.port)
    client.send('/login', '.tag=c')
    expect(await client.untilDone('c')).toEqual([['!done', '.tag=c', '=ret=93b438ec9b80057c06dd9fe67d56aa9a']])
    client.send('/login', '=name=admin', '=response=00ffffffffffffffffffffffffffffffff', '.tag=c')
    expect(await client.untilDone('c')).toEqual([['!trap', '.tag=c', '=message=cannot log in'], ['!done', '.tag=c']])
    // The right answer to a used-up challenge fails too.
    client.send('/login', '=name=admin', '=response=00e134102a9d330dd7b1849fedfea3cb57')
    expect(await client.untilDone()).toEqual([['!trap', '=message=cannot log in'], ['!done']])
  })

  it('hands out a challenge to a name+password login, as pre-6.43 routers do', async () => {
    const { server } = await lab.server({ users }, { loginStyle: 'challenge', challenge: () => MANUAL_CHALLENGE })
    const client = await lab.client(server.port)
    expect(await client.login('admin', '')).toEqual([['!done', '=ret=93b438ec9b80057c06dd9fe67d56aa9a']])
  })

  it('accepts both logins in `both` mode (6.43 to 6.45)', async () => {
    const { server } = await lab.server({ users, version: '6.44' }, { challenge: () => MANUAL_CHALLENGE })
    const plain = await lab.client(server.port)
    expect(await plain.login('admin', '')).toEqual([['!done']])
    const old = await lab.client(server.port)
    old.send('/login')
    expect(await old.untilDone()).toEqual([['!done', '=ret=93b438ec9b80057c06dd9fe67d56aa9a']])
    old.send('/login', '=name=admin', '=response=00e134102a9d330dd7b1849fedfea3cb57')
    expect(await old.untilDone()).toEqual([['!done']])
  })

  it('refuses the challenge on a plain-only router', async () => {
    const { server } = await lab.server({ users, version: '7.18' })
    const client = await lab.client(server.port)
    client.send('/login')
    expect(await client.untilDone()).toEqual([['!trap', '=message=invalid user name or password (6)'], ['!done']])
  })
})

describe('case 4: tags', () => {
  it('puts .tag right after the reply word on every reply', async () => {
    const { server } = await lab.server({ identity: 'tagged' })
    const client = await lab.loggedIn(server.port)
    client.send('/system/identity/print', '.tag=T')
    expect(await client.untilDone('T')).toEqual([['!re', '.tag=T', '=name=tagged'], ['!done', '.tag=T']])
    client.send('/ip/address/add', '=interface=nope', '.tag=U')
    expect(await client.untilDone('U')).toEqual([
      ['!trap', '.tag=U', '=category=1', '=message=input does not match any value of interface'],
      ['!done', '.tag=U'],
    ])
  })

  it('serves tagged and untagged requests in flight together', async () => {
    const { server } = await lab.server()
    const client = await lab.loggedIn(server.port)
    client.send('/interface/listen', '.tag=L')
    client.send('/ip/address/add', '=interface=ether1')
    client.send('/system/identity/print', '.tag=I')
    const seen = [await client.next(), await client.next(), await client.next()]
    expect(seen).toContainEqual(['!done', '=ret=*A'])
    expect(seen).toContainEqual(['!re', '.tag=I', '=name=fake-router'])
    expect(seen).toContainEqual(['!done', '.tag=I'])
  })
})

describe('case 5: empty print', () => {
  it('7.18: !empty then !done, both tagged', async () => {
    const { server } = await lab.server({ version: '7.18' })
    const client = await lab.loggedIn(server.port)
    client.send('/ip/address/print', '.tag=e')
    expect(await client.untilDone('e')).toEqual([['!empty', '.tag=e'], ['!done', '.tag=e']])
    client.send('/ip/address/print')
    expect(await client.untilDone()).toEqual([['!empty'], ['!done']])
  })

  it('7.17: only !done', async () => {
    const { server } = await lab.server({ version: '7.17' })
    const client = await lab.loggedIn(server.port)
    client.send('/ip/address/print', '.tag=e')
    expect(await client.untilDone('e')).toEqual([['!done', '.tag=e']])
  })

  it('no !empty for a print that found items, a count-only print, or a command that is no print', async () => {
    const { server } = await lab.server({ version: '7.18', addresses: [{ address: '10.0.0.1/24' }] })
    const client = await lab.loggedIn(server.port)
    client.send('/ip/address/print')
    expect(await client.untilDone()).toEqual([['!re', '=address=10.0.0.1/24'], ['!done']])
    client.send('/interface/print', '=count-only=')
    expect(await client.untilDone()).toEqual([['!done', '=ret=3']])
    client.send('/interface/set', '=.id=*1', '=disabled=yes')
    expect(await client.untilDone()).toEqual([['!done']])
  })
})

describe('case 7: words and traps', () => {
  it('keeps = inside a value and answers an unknown command with a trap', async () => {
    const { server } = await lab.server()
    const client = await lab.loggedIn(server.port)
    client.send('/echo', '=name=iu=c3Eeg', '=empty=')
    expect(await client.untilDone()).toEqual([['!re', '=name=iu=c3Eeg', '=empty='], ['!done']])
    client.send('/no/such/thing')
    expect(await client.untilDone()).toEqual([['!trap', '=category=0', '=message=no such command prefix'], ['!done']])
  })

  it('omits =category= when the trap has none, and reports a router bug as a general failure', async () => {
    const errors: unknown[] = []
    const { server } = await lab.server({}, { onRouterError: (error) => errors.push(error) })
    const client = await lab.loggedIn(server.port)
    client.send('/trap-no-category')
    expect(await client.untilDone()).toEqual([['!trap', '=message=plain failure'], ['!done']])
    client.send('/bug')
    expect(await client.untilDone()).toEqual([['!trap', '=category=4', '=message=simulated bug'], ['!done']])
    expect(errors).toHaveLength(1)
  })

  it('carries byte strings through unchanged (CP1251 in, CP1251 out)', async () => {
    const { server } = await lab.server()
    const client = await lab.loggedIn(server.port)
    const cp1251 = Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]).toString('latin1')
    client.send('/echo', `=comment=${cp1251}`)
    expect(await client.untilDone()).toEqual([['!re', `=comment=${cp1251}`], ['!done']])
  })
})

describe('case 8: .proplist', () => {
  it('limits every !re to the listed properties', async () => {
    const { server } = await lab.server()
    const client = await lab.loggedIn(server.port)
    client.send('/interface/print', '=.proplist=name,.id')
    expect(await client.untilDone()).toEqual([
      ['!re', '=.id=*1', '=name=ether1'],
      ['!re', '=.id=*2', '=name=ether2'],
      ['!re', '=.id=*3', '=name=vlan10'],
      ['!done'],
    ])
  })
})

describe('case 9: listen, set and /cancel', () => {
  it('interleaves two tags and ends a cancelled listen in the documented order', async () => {
    const router = new FakeRouter()
    const { server } = await lab.server(router)
    const client = await lab.loggedIn(server.port)
    client.send('/interface/listen', '.tag=2')
    client.send('/interface/set', '=disabled=yes', '=.id=ether1', '.tag=3')
    expect(await client.next()).toEqual(['!done', '.tag=3'])
    client.send('/cancel', '=tag=2', '.tag=4')
    expect([await client.next(), await client.next(), await client.next()]).toEqual([
      ['!trap', '.tag=2', '=category=2', '=message=interrupted'],
      ['!done', '.tag=4'],
      ['!done', '.tag=2'],
    ])
    expect(router.aborted).toEqual(['/interface/listen'])
  })

  it('keeps the order for a command that ignores its signal', async () => {
    const { server } = await lab.server()
    const client = await lab.loggedIn(server.port)
    client.send('/stuck', '.tag=s')
    client.send('/cancel', '=tag=s', '.tag=c')
    expect([await client.next(), await client.next(), await client.next()]).toEqual([
      ['!trap', '.tag=s', '=category=2', '=message=interrupted'],
      ['!done', '.tag=c'],
      ['!done', '.tag=s'],
    ])
  })

  it('cancels every running command when /cancel has no tag', async () => {
    const router = new FakeRouter()
    const { server } = await lab.server(router)
    const client = await lab.loggedIn(server.port)
    client.send('/interface/listen', '.tag=a')
    client.send('/stuck', '.tag=b')
    client.send('/cancel')
    const replies = await client.untilDone('b')
    expect(replies).toEqual([
      ['!trap', '.tag=a', '=category=2', '=message=interrupted'],
      ['!trap', '.tag=b', '=category=2', '=message=interrupted'],
      ['!done'],
      ['!done', '.tag=a'],
      ['!done', '.tag=b'],
    ])
    // And afterwards the connection serves commands as before.
    client.send('/system/identity/print')
    expect(await client.untilDone()).toEqual([['!re', '=name=fake-router'], ['!done']])
  })

  it('answers /cancel of a tag that is not running with !done (UNCONFIRMED)', async () => {
    const { server } = await lab.server()
    const client = await lab.loggedIn(server.port)
    client.send('/cancel', '=tag=nope', '.tag=c')
    expect(await client.untilDone('c')).toEqual([['!done', '.tag=c']])
  })
})

describe('case 12: /quit and drops', () => {
  it('/quit: !fatal and the reason as a bare word, then close', async () => {
    const { server } = await lab.server()
    const client = await lab.loggedIn(server.port)
    client.send('/quit')
    expect(await client.next()).toEqual(['!fatal', 'session terminated on request'])
    await client.closed
  })

  it('aborts every running command when the client drops', async () => {
    const router = new FakeRouter()
    const { server } = await lab.server(router)
    const client = await lab.loggedIn(server.port)
    client.send('/interface/listen', '.tag=1')
    client.send('/interface/listen', '.tag=2')
    client.send('/system/identity/print', '.tag=3')
    await client.untilDone('3')
    client.close()
    expect(await router.abortedAtLeast(2)).toEqual(['/interface/listen', '/interface/listen'])
  })

  it('aborts running commands on /quit', async () => {
    const router = new FakeRouter()
    const { server } = await lab.server(router)
    const client = await lab.loggedIn(server.port)
    client.send('/interface/listen', '.tag=1')
    client.send('/system/identity/print', '.tag=2')
    await client.untilDone('2')
    client.send('/quit')
    await client.closed
    expect(await router.abortedAtLeast(1)).toEqual(['/interface/listen'])
  })

  it('sends nothing for an empty sentence', async () => {
    const { server } = await lab.server()
    const client = await lab.loggedIn(server.port)
    client.writeBytes(Buffer.from([0]))
    client.send('/system/identity/print')
    expect(await client.next()).toEqual(['!re', '=name=fake-router'])
  })
})

// The same cases end to end against the lab's simulator (router/index.ts) rather than the fake.
describe('with the lab simulator', () => {
  async function simulator(version: string) {
    const { createSimulatedRouter } = await import('../../src-main/lab/router/index')
    const router = createSimulatedRouter({ identity: 'sim', version, users: [{ name: 'admin', password: 'secret' }] })
    const { server } = await lab.server(router)
    return lab.loggedIn(server.port)
  }

  it('cases 4, 5, 6, 7: tags, !empty, traps, unknown commands', async () => {
    const client = await simulator('7.18.2')
    client.send('/system/identity/print', '.tag=T')
    expect(await client.untilDone('T')).toEqual([['!re', '.tag=T', '=name=sim'], ['!done', '.tag=T']])
    client.send('/ip/address/print', '?address=192.0.2.1/32', '.tag=e')
    expect(await client.untilDone('e')).toEqual([['!empty', '.tag=e'], ['!done', '.tag=e']])
    client.send('/ip/address/add', '=interface=nope', '=address=10.0.0.1/24')
    expect(await client.untilDone()).toEqual([
      ['!trap', '=category=1', '=message=input does not match any value of interface'],
      ['!done'],
    ])
    client.send('/no/such/thing')
    expect(await client.untilDone()).toEqual([['!trap', '=category=0', '=message=no such command prefix'], ['!done']])
  })

  it('case 5 on 7.17: an empty print is only !done', async () => {
    const client = await simulator('7.17')
    client.send('/ip/address/print', '?address=192.0.2.1/32')
    expect(await client.untilDone()).toEqual([['!done']])
  })

  it('case 8: a query with ?#| and .proplist', async () => {
    const client = await simulator('7.18.2')
    client.send('/interface/print', '?type=ether', '?type=vlan', '?#|', '=.proplist=name,type')
    const replies = await client.untilDone()
    expect(replies.at(-1)).toEqual(['!done'])
    for (const item of replies.slice(0, -1)) {
      expect(item[0]).toBe('!re')
      expect(item.slice(1).map((word) => word.split('=')[1]).sort()).toEqual(['name', 'type'])
    }
  })

  it('case 9: listen and set on two tags, then /cancel in the documented order', async () => {
    const client = await simulator('7.18.2')
    client.send('/interface/listen', '.tag=2')
    client.send('/interface/set', '=.id=ether1', '=disabled=yes', '.tag=3')
    const seen = await client.untilDone('3')
    expect(seen.some((sentence) => sentence[0] === '!re' && sentence[1] === '.tag=2')).toBe(true)
    client.send('/cancel', '=tag=2', '.tag=4')
    const ending = []
    while (ending.length < 3) {
      const sentence = await client.next()
      // Further listen items may still arrive before the trap.
      if (sentence[0] !== '!re') ending.push(sentence)
    }
    expect(ending).toEqual([
      ['!trap', '.tag=2', '=category=2', '=message=interrupted'],
      ['!done', '.tag=4'],
      ['!done', '.tag=2'],
    ])
  })

  it('case 10: /execute as-string on v7', async () => {
    const client = await simulator('7.18.2')
    client.send('/execute', '=script=:put hello', '=as-string=')
    expect(await client.untilDone()).toEqual([['!done', '=ret=hello\r\n']])
  })
})
