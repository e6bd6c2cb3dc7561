import { describe, expect, it } from 'vitest'
import { fromByteString, toByteString, withoutHeader } from '../../../src-main/lab/router'
import { api, labRouter } from './api'

const NOW = Date.UTC(2026, 10, 22, 16, 0, 43)

async function customise(router: ReturnType<typeof labRouter>) {
  await api(router, '/interface/vlan/add', { name: 'vlan10', 'vlan-id': '10', interface: 'bridge1', comment: 'guests' })
  await api(router, '/ip/address/add', { address: '10.10.0.1/24', interface: 'vlan10' })
  await api(router, '/interface/set', { numbers: 'ether1', name: 'wan', comment: 'ISP uplink' })
  await api(router, '/interface/set', { numbers: 'ether5', disabled: 'yes' })
  await api(router, '/ip/firewall/filter/add', {
    chain: 'input',
    action: 'accept',
    protocol: 'tcp',
    'dst-port': '22,8291',
    comment: 'mgmt',
    'place-before': '*4',
  })
  await api(router, '/ip/firewall/filter/add', { chain: 'forward', action: 'drop', 'in-interface': '!bridge1', disabled: 'yes' })
  await api(router, '/ip/service/set', { numbers: 'telnet', disabled: 'yes' })
  await api(router, '/ip/service/set', { numbers: 'www', port: '8080' })
  await api(router, '/system/script/add', { name: 'hello', source: ':local who "world"\r\n:put "hi $who"\r\n:log info "a?b"' })
  await api(router, '/system/scheduler/add', {
    name: 'nightly',
    'start-date': '2026-11-23',
    'start-time': '03:00:00',
    interval: '1d',
    'on-event': 'hello',
  })
}

describe('/export', () => {
  it('starts with the RouterOS header and lists only non-default config', async () => {
    const router = labRouter({ now: () => NOW, seed: 7 })
    const text = router.exportText()
    const lines = text.split('\n')
    expect(lines[0]).toBe('# 2026-11-22 16:00:43 by RouterOS 7.18.2')
    expect(lines[1]).toMatch(/^# software id = [0-9A-F]{4}-[0-9A-F]{4}$/)
    expect(lines[2]).toBe('#')
    expect(lines[3]).toBe('# model = RB5009UG+S+')
    expect(lines[4]).toMatch(/^# serial number = HD[0-9A-F]{9}$/)
    expect(withoutHeader(text)).toBe(withoutHeader(labRouter({ now: () => NOW, seed: 7 }).exportText()))
    expect(text).toContain('/interface bridge\nadd comment=defconf name=bridge1\n')
    expect(text).toContain('/ip address\nadd address=192.168.88.1/24 comment=defconf interface=bridge1 \\\n    network=192.168.88.0\n')
    expect(text).not.toContain('/ip service')
    expect(text).not.toContain('/interface ethernet')
    expect(labRouter({ version: '6.49.10', now: () => NOW }).exportText().split('\n')[0]).toBe('# nov/22/2026 16:00:43 by RouterOS 6.49.10')
  })

  it('round-trips: running an export on a router without defaults gives the same export', async () => {
    const router = labRouter({ now: () => NOW })
    await customise(router)
    const original = router.exportText()
    expect(original).toContain('/interface ethernet\nset [ find default-name=ether1 ] comment="ISP uplink" name=wan\nset [ find default-name=ether5 ] disabled=yes\n')
    expect(original).toContain('/ip service\nset telnet disabled=yes\nset www port=8080\n')
    expect(original).toContain('source=":local who \\"world\\"\\r\\n:put \\"hi \\$who\\"\\r\\n:log info \\"a\\?b\\""')
    expect(original).toContain('in-interface=!bridge1')

    const blank = labRouter({ now: () => NOW, defaultConfig: false })
    expect(withoutHeader(blank.exportText())).toBe('/system identity\nset name=lab-router-1\n')
    const run = await blank.runScript(original)
    expect(run.error).toBeUndefined()
    expect(withoutHeader(blank.exportText())).toBe(withoutHeader(original))
    // The restored script source is byte-identical.
    expect((await api(blank, '/system/script/print')).items[0].source).toBe(':local who "world"\r\n:put "hi $who"\r\n:log info "a?b"')
  })

  it('restoreFromExport undoes later changes (the lockout auto-revert path)', async () => {
    const router = labRouter({ now: () => NOW })
    await customise(router)
    const snapshot = router.exportText()
    await api(router, '/ip/address/remove', { '.id': '*1' })
    await api(router, '/system/identity/set', { name: 'broken' })
    const run = await router.restoreFromExport(snapshot)
    expect(run.error).toBeUndefined()
    expect(withoutHeader(router.exportText())).toBe(withoutHeader(snapshot))
    expect(router.identity).toBe('lab-router-1')
  })

  it('a scheduler can restore a snapshot file through reset-configuration run-after-reset or /import', async () => {
    const router = labRouter({ now: () => NOW })
    await customise(router)
    await api(router, '/export', { file: 'snap' })
    await api(router, '/system/identity/set', { name: 'drifted' })
    await api(router, '/import', { 'file-name': 'snap.rsc' }).catch((error) => error)
    // /import on a router that still holds the config fails on the first duplicate name...
    expect(router.identity).toBe('drifted')
    const rebooted: string[] = []
    router.onReboot(() => rebooted.push('reboot'))
    await router.runScript('/system reset-configuration no-defaults=yes skip-backup=yes run-after-reset=snap.rsc')
    await new Promise((resolve) => setImmediate(resolve))
    expect(rebooted).toEqual(['reboot'])
    expect(router.identity).toBe('lab-router-1')
    expect(withoutHeader(router.exportText())).toBe(withoutHeader(router.readFile('snap.rsc') ?? ''))
  })

  it('over the API /export returns only !done; v7 show-sensitive exists, v6 rejects it', async () => {
    const v7 = labRouter()
    expect(await api(v7, '/export')).toEqual({ items: [], done: {} })
    expect(await api(v7, '/export', { 'show-sensitive': '' })).toEqual({ items: [], done: {} })
    const v6 = labRouter({ version: '6.49.10' })
    await expect(api(v6, '/export', { 'show-sensitive': '' })).rejects.toMatchObject({ message: 'unknown parameter' })
    expect((await v6.runScript('/export show-sensitive')).error).toMatchObject({ message: 'expected end of command' })
  })

  it('v6: /export file=x writes x.rsc, readable via /file/print contents while small', async () => {
    const router = labRouter({ version: '6.49.10', now: () => NOW })
    expect(await api(router, '/export', { file: 'x' })).toEqual({ items: [], done: {} })
    const files = (await api(router, '/file/print', { '.proplist': 'contents' }, ['name=x.rsc'])).items
    expect(files).toHaveLength(1)
    expect(files[0].contents).toBe(router.exportText())
    expect(files[0].contents.startsWith('# nov/22/2026 16:00:43 by RouterOS 6.49.10\n')).toBe(true)
    // Big files keep their contents to themselves.
    for (let i = 0; i < 120; i++) await api(router, '/ip/address/add', { address: `10.${i}.0.1/24`, interface: 'ether1', comment: 'padding padding' })
    await api(router, '/export', { file: 'x' })
    const big = (await api(router, '/file/print', {}, ['name=x.rsc'])).items[0]
    expect(Number(big.size)).toBeGreaterThan(4096)
    expect(big.contents).toBeUndefined()
    await api(router, '/file/remove', { numbers: 'x.rsc' })
    expect((await api(router, '/file/print')).items).toEqual([])
    await expect(api(router, '/file/add', { name: 'a.txt' })).rejects.toMatchObject({ message: 'no such command' })
  })

  it('/export inside a menu exports that section only', async () => {
    const router = labRouter()
    const run = await router.runScript('/ip address export')
    expect(run.output).toMatch(/\n\/ip address\nadd address=192\.168\.88\.1\/24/)
    expect(run.output).not.toContain('/interface bridge')
  })
})

describe('byte strings in CP1251, CP1252 and UTF-8', () => {
  const samples = [
    { encoding: 'cp1251', text: 'Роутер Офис' },
    { encoding: 'cp1252', text: 'Café Münster' },
    { encoding: 'utf-8', text: 'Zürich 東京' },
  ] as const

  for (const { encoding, text } of samples) {
    it(`keeps ${encoding} bytes exact in print, export and the round trip`, async () => {
      const router = labRouter({ identity: text, textEncoding: encoding, now: () => NOW })
      router.setComment('/interface', 'ether2', text, encoding)
      const bytes = toByteString(text, encoding)
      expect(router.identity).toBe(bytes)
      expect(fromByteString(router.identity, encoding)).toBe(text)
      expect((await api(router, '/system/identity/print')).items[0].name).toBe(bytes)
      expect((await api(router, '/interface/print', {}, ['name=ether2'])).items[0].comment).toBe(bytes)
      const exported = router.exportText()
      // Exports escape every non-ASCII byte as \XX, so the text itself is ASCII.
      expect(exported).toMatch(/^[\x00-\x7f]*$/)
      const escaped = [...bytes].map((char) => (char.charCodeAt(0) >= 0x80 ? `\\${char.charCodeAt(0).toString(16).toUpperCase()}` : char)).join('')
      expect(exported).toContain(`set name="${escaped}"`)
      const blank = labRouter({ defaultConfig: false, now: () => NOW })
      expect((await blank.runScript(exported)).error).toBeUndefined()
      expect(blank.identity).toBe(bytes)
      expect((await api(blank, '/interface/print', {}, ['name=ether2'])).items[0].comment).toBe(bytes)
    })
  }

  it('bytes arriving over the API are stored as they are', async () => {
    const router = labRouter()
    const cp1251 = toByteString('Склад', 'cp1251')
    await api(router, '/interface/set', { numbers: 'ether3', comment: cp1251 })
    expect((await api(router, '/interface/print', { '.proplist': 'comment' }, ['name=ether3'])).items[0].comment).toBe(cp1251)
    const viaExecute = (await api(router, '/execute', { script: ':put [/interface get ether3 comment]', 'as-string': '' })).done.ret
    expect(viaExecute).toBe(`${cp1251}\r\n`)
  })
})
