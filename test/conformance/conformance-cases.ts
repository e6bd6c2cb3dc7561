// The conformance cases, one table for both sides: Debian's librouteros (python/librouteros_cases.py)
// and our own client (src-main/core/routeros) drive lab routers through the same steps, and each
// case says what RouterOS does as MikroTik documents it (help.mikrotik.com, "API"). A difference
// between the two clients, or between a client and the documentation, fails here.
import { RouterClient } from '../../src-main/core/routeros/router-client'
import { RouterTrapError } from '../../src-main/core/routeros/router-errors'

export interface LabTarget {
  host: string
  port: number
  user: string
  password: string
  tls: boolean
  version: string
}

export interface ConformanceCase {
  name: string
  /** Which lab it runs on: the default 7.18 router, a 7.17 one, or api-ssl. */
  lab: '7.18' | '7.17' | 'tls'
  /** What RouterOS answers, as observed by a client; both clients must observe it. */
  expected: unknown
  /** Our client doing the same steps, reporting in the python driver's shape; absent: librouteros only. */
  ours?: (target: LabTarget) => Promise<unknown>
  /** Where the expectation comes from. */
  source: string
}

const open = async (target: LabTarget, password = target.password) => {
  const client = new RouterClient({ host: target.host, port: target.port, tls: target.tls, user: target.user, password, pinOnFirstUse: (fp) => fp, allowAnonymousDh: false, codePage: 'utf-8' })
  await client.connect()
  return client
}

const withClient = async <T>(target: LabTarget, steps: (client: RouterClient) => Promise<T>): Promise<T> => {
  const client = await open(target)
  try {
    return await steps(client)
  } finally {
    await client.close()
  }
}

const addSetRemove = (target: LabTarget) =>
  withClient(target, async (client) => {
    const { done } = await client.command('/ip/address/add', { address: '10.77.0.1/24', interface: 'ether2', comment: 'conformance' })
    const id = done.ret as string
    const find = async () => (await client.print('/ip/address/print')).filter((row) => row['.id'] === id)
    const added = await find()
    await client.command('/ip/address/set', { '.id': id, comment: 'changed' })
    const changed = await find()
    await client.command('/ip/address/remove', { '.id': id })
    return { id_shape: id.startsWith('*'), added: added[0]?.address ?? null, changed: changed[0]?.comment ?? null, removed: (await find()).length === 0 }
  })

export const conformanceCases: ConformanceCase[] = [
  {
    name: 'login',
    lab: '7.18',
    expected: { identity: 'lab-router-1' },
    ours: (target) => withClient(target, async (client) => ({ identity: (await client.print('/system/identity/print'))[0]?.name })),
    source: 'API, "Initial login": /login =name= =password= (6.43+)',
  },
  {
    name: 'bad_password',
    lab: '7.18',
    expected: { refused: true, message: 'invalid user name or password (6)' },
    ours: async (target) => {
      try {
        await (await open(target, `${target.password}x`)).close()
        return { refused: false }
      } catch (error) {
        return { refused: true, message: (error as Error).message.includes('invalid user name or password (6)') ? 'invalid user name or password (6)' : (error as Error).message }
      }
    },
    source: 'RouterOS 7 answers a failed login with !trap =message=invalid user name or password (6)',
  },
  {
    name: 'proplist',
    lab: '7.18',
    expected: { rows: 6, keys: ['name', 'type'] },
    ours: (target) =>
      withClient(target, async (client) => {
        const rows = await client.print('/interface/print', { '.proplist': 'name,type' })
        return { rows: rows.length, keys: [...new Set(rows.flatMap((row) => Object.keys(row)))].sort() }
      }),
    source: 'API, "Command description": =.proplist= limits the returned properties',
  },
  {
    name: 'query',
    lab: '7.18',
    expected: { ether1: [{ name: 'ether1', type: 'ether' }], either: ['ether1', 'ether2'] },
    ours: (target) =>
      withClient(target, async (client) => {
        const ether1 = await client.print('/interface/print', { '.proplist': 'name,type' }, { queries: ['name=ether1'] })
        const either = await client.print('/interface/print', { '.proplist': 'name' }, { queries: ['name=ether1', 'name=ether2', '#|'] })
        return { ether1, either: either.map((row) => row.name).sort() }
      }),
    source: 'API, "Queries": ?name=value pushes a test; ?#| ORs the top two',
  },
  { name: 'add_set_remove', lab: '7.18', expected: { id_shape: true, added: '10.77.0.1/24', changed: 'changed', removed: true }, ours: addSetRemove, source: 'API: add answers !done =ret=*ID; set/remove take =.id=' },
  { name: 'add_set_remove', lab: 'tls', expected: { id_shape: true, added: '10.77.0.1/24', changed: 'changed', removed: true }, ours: addSetRemove, source: 'API over api-ssl (8729)' },
  {
    name: 'trap',
    lab: '7.18',
    expected: { trapped: true, message: 'input does not match any value of interface', category: 1 },
    ours: (target) =>
      withClient(target, async (client) => {
        try {
          await client.command('/ip/address/add', { address: '10.78.0.1/24', interface: 'ether99' })
          return { trapped: false }
        } catch (error) {
          const trap = error as RouterTrapError
          return { trapped: true, message: trap.message.includes('input does not match any value of interface') ? 'input does not match any value of interface' : trap.message, category: trap.category }
        }
      }),
    source: 'API, "!trap": category 1 is "argument value failure"',
  },
  { name: 'empty', lab: '7.18', expected: { replies: ['!empty', '!done'] }, source: 'API: since RouterOS 7.18 a print with nothing to show answers !empty before !done' },
  { name: 'empty', lab: '7.17', expected: { replies: ['!done'] }, source: 'API: before 7.18 an empty print is a bare !done' },
  {
    name: 'long_words',
    lab: '7.18',
    expected: { 200: 200, 20000: 20000 },
    ours: (target) =>
      withClient(target, async (client) => {
        const result: Record<string, number | null> = {}
        for (const size of [200, 20000]) {
          const { done } = await client.command('/ip/address/add', { address: `10.79.${size % 250}.1/24`, interface: 'ether2', comment: 'x'.repeat(size) })
          const back = (await client.print('/ip/address/print')).find((row) => row['.id'] === done.ret)
          result[String(size)] = back?.comment?.length ?? null
          await client.command('/ip/address/remove', { '.id': done.ret })
        }
        return result
      }),
    source: 'API, "Protocol": lengths over 0x7F take 2 bytes, over 0x3FFF 3 bytes',
  },
  {
    name: 'utf8_identity',
    lab: '7.18',
    expected: { identity: 'Zürich-Ковш-東京' },
    ours: (target) =>
      withClient(target, async (client) => {
        const original = (await client.print('/system/identity/print'))[0]?.name as string
        await client.command('/system/identity/set', { name: 'Zürich-Ковш-東京' })
        const identity = (await client.print('/system/identity/print'))[0]?.name
        await client.command('/system/identity/set', { name: original })
        return { identity }
      }),
    source: 'API, "Protocol": a word\'s length is its length in bytes',
  },
  {
    name: 'utf8_identity_unpatched',
    lab: '7.18',
    // Recorded, not fixed in the lab: the client is wrong (luqasz/librouteros#131).
    expected: { desynchronised: true, error: 'TimeoutError' },
    source: 'librouteros 3.1 protocol.py encodeWord prefixes the length in characters; fixed upstream by luqasz/librouteros#131',
  },
  {
    name: 'tag_parse',
    lab: '7.18',
    expected: { parsed: false, error: 'not enough values to unpack (expected 3, got 2)' },
    source: 'RouterOS answers `.tag=x` words (API, "Tags"); librouteros 3.1 parse_word expects only =key=value words',
  },
  {
    name: 'tags_and_cancel',
    lab: '7.18',
    expected: {
      a: ['!re', '!re', '!re', '!re', '!re', '!re', '!done'],
      b: ['!re', '!done'],
      after_cancel: [
        ['!trap', 'long', '2', 'interrupted'],
        ['!done', 'stop', null, null],
        ['!done', 'long', null, null],
      ],
    },
    ours: (target) =>
      withClient(target, async (client) => {
        // Our client tags every command itself: two at once on one connection, and an abort that sends /cancel.
        const [a, b] = await Promise.all([client.command('/interface/print', { '.proplist': 'name' }), client.command('/system/identity/print')])
        const controller = new AbortController()
        const listening = client.command('/interface/listen', {}, { signal: controller.signal }).then(
          () => 'ended',
          (error: Error) => error.name,
        )
        controller.abort()
        const outcome = await listening
        // The connection is still good after the cancel.
        const after = (await client.print('/system/identity/print')).length
        return {
          a: [...a.items.map(() => '!re'), '!done'],
          b: [...b.items.map(() => '!re'), '!done'],
          canceled: outcome !== 'ended',
          usable_after_cancel: after === 1,
        }
      }),
    source: 'API, "Tags" and "/cancel": the canceled command ends !trap category 2 "interrupted", then !done',
  },
  {
    name: 'unknown_command',
    lab: '7.18',
    expected: { replies: [['!trap', 'no such command'], ['!done', null]] },
    source: 'RouterOS answers an unknown command with !trap =message=no such command, then !done',
  },
]

/** What our client observes for a case, where its shape differs from the wire-level one librouteros sees. */
export const oursExpected: Record<string, unknown> = {
  tags_and_cancel: { a: ['!re', '!re', '!re', '!re', '!re', '!re', '!done'], b: ['!re', '!done'], canceled: true, usable_after_cancel: true },
}
