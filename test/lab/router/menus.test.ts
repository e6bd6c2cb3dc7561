import { describe, expect, it } from 'vitest'
import { RouterTrap } from '../../../src-main/lab/router'
import { api, labRouter } from './api'

const trapOf = async (promise: Promise<unknown>) => {
  try {
    await promise
  } catch (error) {
    if (error instanceof RouterTrap) return { message: error.message, category: error.category }
    throw error
  }
  throw new Error('expected a trap')
}

describe('menus and ids', () => {
  it('adds with a hex id, monotonic per menu, visible to print with .id', async () => {
    const router = labRouter()
    const first = await api(router, '/ip/address/add', { address: '10.0.0.1/24', interface: 'ether1' })
    expect(first.done).toEqual({ ret: '*2' })
    const { items } = await api(router, '/ip/address/print', {}, ['.id=*2'])
    expect(items).toEqual([expect.objectContaining({ '.id': '*2', address: '10.0.0.1/24', network: '10.0.0.0', interface: 'ether1' })])
    await api(router, '/ip/address/remove', { '.id': '*2' })
    const again = await api(router, '/ip/address/add', { address: '10.0.0.2/24', interface: 'ether1' })
    expect(again.done.ret).toBe('*3') // never reused
    for (let i = 0; i < 30; i++) await api(router, '/ip/address/add', { address: `10.1.${i}.1/24`, interface: 'ether1' })
    expect((await api(router, '/ip/address/print')).items.at(-1)?.['.id']).toBe('*21')
  })

  it('unknown interface is a category 1 trap (conformance 6)', async () => {
    const router = labRouter()
    expect(await trapOf(api(router, '/ip/address/add', { address: '10.0.0.1/24', interface: 'nope' }))).toEqual({
      message: 'input does not match any value of interface',
      category: 1,
    })
  })

  it('keeps `=` inside values and traps unknown commands and parameters (conformance 7)', async () => {
    const router = labRouter()
    await api(router, '/system/identity/set', { name: 'iu=c3Eeg' })
    expect((await api(router, '/system/identity/print')).items).toEqual([{ name: 'iu=c3Eeg' }])
    expect(router.identity).toBe('iu=c3Eeg')
    expect(await trapOf(api(router, '/foo/bar'))).toEqual({ message: 'no such command prefix', category: 0 })
    expect(await trapOf(api(router, '/ip/address/frobnicate'))).toEqual({ message: 'no such command', category: 0 })
    expect(await trapOf(api(router, '/ip/address/add', { address: '1.1.1.1/24', interface: 'ether1', colour: 'red' }))).toEqual({
      message: 'unknown parameter',
      category: undefined,
    })
    expect(await trapOf(api(router, '/ip/address/remove', { '.id': '*99' }))).toEqual({ message: 'no such item', category: 0 })
  })

  it('sets, enables and disables by .id, numbers and name; vlans join /interface', async () => {
    const router = labRouter()
    await api(router, '/interface/set', { numbers: 'ether3', comment: 'uplink', disabled: 'yes' })
    const ether3 = (await api(router, '/interface/print', {}, ['name=ether3'])).items[0]
    expect(ether3).toMatchObject({ comment: 'uplink', disabled: 'true', running: 'false' })
    await api(router, '/interface/enable', { numbers: ether3['.id'] })
    const vlan = await api(router, '/interface/vlan/add', { name: 'vlan10', 'vlan-id': '10', interface: 'bridge1' })
    expect(vlan.done.ret).toBe('*7')
    const vlans = (await api(router, '/interface/print', {}, ['type=vlan'])).items
    expect(vlans.map((item) => item.name)).toEqual(['vlan10'])
    expect(await trapOf(api(router, '/interface/vlan/add', { name: 'vlan10', 'vlan-id': '11', interface: 'bridge1' }))).toMatchObject({
      message: 'failure: already have interface with such name',
    })
    // Renaming shows up wherever the interface is referenced.
    await api(router, '/interface/set', { '.id': '*6', name: 'lan' })
    expect((await api(router, '/ip/address/print')).items[0].interface).toBe('lan')
  })

  it('getall and get', async () => {
    const router = labRouter()
    expect((await api(router, '/interface/getall', { '.proplist': 'name' }, ['type=bridge'])).items).toEqual([{ name: 'bridge1' }])
    expect((await api(router, '/interface/get', { number: 'ether1', 'value-name': 'mtu' })).done).toEqual({ ret: '1500' })
  })
})

describe('queries and proplist (conformance 8)', () => {
  it('?type=ether ?type=vlan ?#| is an or', async () => {
    const router = labRouter()
    await api(router, '/interface/vlan/add', { name: 'vlan10', 'vlan-id': '10', interface: 'bridge1' })
    const names = (await api(router, '/interface/print', { '.proplist': 'name' }, ['type=ether', 'type=vlan', '#|'])).items
    expect(names.map((item) => item.name)).toEqual(['ether1', 'ether2', 'ether3', 'ether4', 'ether5', 'vlan10'])
  })

  it('?type=ether ?#! negates', async () => {
    const router = labRouter()
    const names = (await api(router, '/interface/print', { '.proplist': 'name' }, ['type=ether', '#!'])).items
    expect(names).toEqual([{ name: 'bridge1' }])
  })

  it('?>comment= and ?-comment split items with and without a comment', async () => {
    const router = labRouter()
    await api(router, '/interface/set', { numbers: 'ether1', comment: 'wan' })
    const commented = (await api(router, '/interface/print', { '.proplist': 'name' }, ['>comment='])).items
    expect(commented).toEqual([{ name: 'ether1' }, { name: 'bridge1' }])
    const bare = (await api(router, '/interface/print', { '.proplist': 'name' }, ['-comment'])).items
    expect(bare.map((item) => item.name)).toEqual(['ether2', 'ether3', 'ether4', 'ether5'])
    const has = (await api(router, '/interface/print', { '.proplist': '.id' }, ['comment'])).items
    expect(has).toEqual([{ '.id': '*1' }, { '.id': '*6' }])
  })

  it('&, digits and < comparisons', async () => {
    const router = labRouter()
    await api(router, '/interface/set', { numbers: 'ether2', mtu: '9000' })
    const big = (await api(router, '/interface/print', { '.proplist': 'name' }, ['>mtu=1500'])).items
    expect(big).toEqual([{ name: 'ether2' }])
    const small = (await api(router, '/interface/print', { '.proplist': 'name' }, ['<mtu=1600', 'type=ether', '#&'])).items
    expect(small.map((item) => item.name)).toEqual(['ether1', 'ether3', 'ether4', 'ether5'])
    // `0` copies the top of the stack: (ether) (bridge1) -> (ether) (bridge1) (bridge1) -> or -> and.
    const picked = (await api(router, '/interface/print', { '.proplist': 'name' }, ['type=ether', 'name=ether1', '#0|&'])).items
    expect(picked).toEqual([{ name: 'ether1' }])
  })

  it('proplist orders and limits properties', async () => {
    const router = labRouter()
    const items = (await api(router, '/ip/address/print', { '.proplist': 'interface,.id,address' })).items
    expect(items).toEqual([{ interface: 'bridge1', '.id': '*1', address: '192.168.88.1/24' }])
    expect(Object.keys(items[0])).toEqual(['interface', '.id', 'address'])
  })
})

describe('booleans per version', () => {
  it('v7 prints true/false, v6 yes/no, both accept yes/no/true/false', async () => {
    const v7 = labRouter({ version: '7.18.2' })
    const v6 = labRouter({ version: '6.49.10' })
    await api(v7, '/interface/set', { numbers: 'ether1', disabled: 'yes' })
    await api(v6, '/interface/set', { numbers: 'ether1', disabled: 'true' })
    expect((await api(v7, '/interface/print', {}, ['name=ether1'])).items[0].disabled).toBe('true')
    expect((await api(v6, '/interface/print', {}, ['name=ether1'])).items[0].disabled).toBe('yes')
    // Queries accept either spelling.
    expect((await api(v6, '/interface/print', { '.proplist': 'name' }, ['disabled=true'])).items).toEqual([{ name: 'ether1' }])
  })
})

describe('listen', () => {
  it('emits later changes until aborted, then rejects with interrupted', async () => {
    const router = labRouter()
    const controller = new AbortController()
    const seen: Record<string, string>[] = []
    const listening = router.run(
      { command: '/interface/listen', attributes: new Map([['.proplist', '.id,name,comment']]), queries: [] },
      { user: 'admin', signal: controller.signal, emitItem: (item) => seen.push(item) },
    )
    await api(router, '/interface/set', { numbers: 'ether1', comment: 'a' })
    const vlan = await api(router, '/interface/vlan/add', { name: 'v5', 'vlan-id': '5', interface: 'ether1' })
    await api(router, '/interface/vlan/remove', { '.id': vlan.done.ret as string })
    controller.abort()
    await expect(listening).rejects.toMatchObject({ message: 'interrupted', category: 2 })
    expect(seen).toEqual([
      { '.id': '*1', name: 'ether1', comment: 'a' },
      { '.id': '*7', name: 'v5' },
      { '.id': '*7', '.dead': 'true' },
    ])
  })
})

describe('users and read-only data', () => {
  it('authenticates, knows the api policy and refuses writes to read users', async () => {
    const router = labRouter({ users: [{ name: 'ro', password: 'r', group: 'read' }, { name: 'nope', password: 'n', group: 'noapi' }] })
    expect(router.authenticate('admin', 'secret')).toBe(true)
    expect(router.authenticate('admin', 'wrong')).toBe(false)
    expect(router.passwordOf('ro')).toBe('r')
    expect(router.hasApiPolicy('nope')).toBe(false)
    expect(router.hasApiPolicy('ro')).toBe(true)
    await expect(api(router, '/system/identity/set', { name: 'x' }, [], { user: 'ro' })).rejects.toMatchObject({
      message: 'not enough permissions (9)',
    })
    const users = (await api(router, '/user/print')).items
    expect(users.every((user) => !('password' in user))).toBe(true)
  })

  it('resource values are strings and uptime moves with the clock', async () => {
    let now = Date.UTC(2026, 10, 22, 16, 0, 0)
    const router = labRouter({ now: () => now })
    const before = (await api(router, '/system/resource/print')).items[0]
    expect(before).toMatchObject({ version: '7.18.2 (stable)', 'board-name': 'RB5009UG+S+', 'architecture-name': 'arm64' })
    expect(before.uptime).toMatch(/^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/)
    for (const value of Object.values(before)) expect(typeof value).toBe('string')
    now += 3_600_000
    const after = (await api(router, '/system/resource/print')).items[0]
    expect(after.uptime).not.toBe(before.uptime)
    expect(labRouter({ version: '6.49.x' }).version).toBe('6.49.10')
  })
})
