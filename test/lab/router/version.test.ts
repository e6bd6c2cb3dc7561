import { describe, expect, it } from 'vitest'
import { compareRouterOsVersions, isVersionAtLeast, parseVersion, traitsOf } from '../../../src-main/lab/router'
import { formatDuration, parseDuration } from '../../../src-main/lab/router/time'
import { api, labRouter } from './api'

describe('versions', () => {
  it('compares numerically, not as text', () => {
    expect(compareRouterOsVersions('7.9', '7.10')).toBeLessThan(0)
    expect(compareRouterOsVersions('7.18.2', '7.18')).toBeGreaterThan(0)
    expect(compareRouterOsVersions('6.49.10', '7.1')).toBeLessThan(0)
    expect(isVersionAtLeast('7.18+', '7.18')).toBe(true)
    expect(parseVersion('6.49.x')).toEqual({ major: 6, minor: 49, patch: 0 })
  })

  it('traits follow the note', () => {
    expect(traitsOf('6.49.10')).toMatchObject({ printTrue: 'yes', executeAsString: false, isoDates: false, showSensitive: false })
    expect(traitsOf('7.9')).toMatchObject({ printTrue: 'true', executeAsString: true, isoDates: false })
    expect(traitsOf('7.17')).toMatchObject({ isoDates: true, emptyReply: false })
    expect(traitsOf('7.18.2')).toMatchObject({ emptyReply: true })
  })

  it('durations read and print like RouterOS', () => {
    expect(parseDuration('2s')).toBe(2000)
    expect(parseDuration('500ms')).toBe(500)
    expect(parseDuration('00:05:00')).toBe(300_000)
    expect(parseDuration('1d2h')).toBe(93_600_000)
    expect(parseDuration('0')).toBe(0)
    expect(parseDuration('soon')).toBeUndefined()
    expect(formatDuration(0)).toBe('0s')
    expect(formatDuration(245_540_000)).toBe('2d20h12m20s')
    expect(formatDuration(8 * 86_400_000)).toBe('1w1d')
  })

  it("menus carry the version's own defaults and properties", async () => {
    const v6 = labRouter({ version: '6.49.10' })
    const v7 = labRouter({ version: '7.18.2' })
    // A DHCP server's lease: 10 minutes on 6, 30 on 7 (defconf's server shows it).
    expect((await api(v6, '/ip/dhcp-server/print')).items[0]).toMatchObject({ name: 'defconf', 'lease-time': '10m' })
    expect((await api(v7, '/ip/dhcp-server/print')).items[0]).toMatchObject({ name: 'defconf', 'lease-time': '30m' })
    // ed25519 host keys (host-key-type) exist from 7 on.
    expect((await api(v7, '/ip/ssh/print')).items[0]).toMatchObject({ 'host-key-type': 'rsa' })
    expect((await api(v6, '/ip/ssh/print')).items[0]).not.toHaveProperty('host-key-type')
    await expect(api(v6, '/ip/ssh/set', { 'host-key-type': 'ed25519' })).rejects.toMatchObject({ message: 'unknown parameter' })
    // WireGuard came with 7: on 6 the menu is not there at all.
    expect((await api(v7, '/interface/wireguard/print')).items).toEqual([])
    await expect(api(v6, '/interface/wireguard/print')).rejects.toMatchObject({ message: 'no such command prefix' })
    // OSPF: 7 has interface templates, 6 has networks instead; each lacks the other's menu.
    expect((await api(v7, '/routing/ospf/interface-template/print')).items).toEqual([])
    await expect(api(v6, '/routing/ospf/interface-template/print')).rejects.toMatchObject({ message: 'no such command prefix' })
    expect((await api(v6, '/routing/ospf/network/print')).items).toEqual([])
    await expect(api(v7, '/routing/ospf/network/print')).rejects.toMatchObject({ message: 'no such command prefix' })
    // 6 ships a default instance and the backbone area; 7 ships neither.
    expect((await api(v6, '/routing/ospf/instance/print')).items.map((item) => [item.name, item['router-id'], item.default])).toEqual([['default', '0.0.0.0', 'yes']])
    expect((await api(v6, '/routing/ospf/area/print')).items.map((item) => [item.name, item['area-id'], item.instance, item.default])).toEqual([['backbone', '0.0.0.0', 'default', 'yes']])
    expect((await api(v7, '/routing/ospf/instance/print')).items).toEqual([])
    expect((await api(v7, '/routing/ospf/area/print')).items).toEqual([])
    // `/routing ospf interface` is configuration on 6 and a read-only status menu on 7.
    await api(v6, '/routing/ospf/interface/add', { interface: 'ether2', passive: 'yes' })
    expect((await api(v6, '/routing/ospf/interface/print')).items[0]).toMatchObject({ interface: 'ether2', passive: 'yes', cost: '10', 'network-type': 'default' })
    await expect(api(v7, '/routing/ospf/interface/add', { interface: 'ether2' })).rejects.toMatchObject({ message: 'no such command' })
    // A reset leaves what 6 ships (and takes what was added).
    await api(v6, '/system/reset-configuration', { 'no-defaults': 'yes' })
    expect((await api(v6, '/routing/ospf/instance/print')).items.map((item) => item.name)).toEqual(['default'])
    expect((await api(v6, '/routing/ospf/area/print')).items.map((item) => item.name)).toEqual(['backbone'])
    expect((await api(v6, '/routing/ospf/interface/print')).items).toEqual([])
  })

  it("/ip cloud's ddns-enabled: yes|no before 7.17, auto|yes (default auto) from it", async () => {
    const v6 = labRouter({ version: '6.49.10' })
    const v716 = labRouter({ version: '7.16.2' })
    const v7 = labRouter({ version: '7.18.2' })
    expect((await api(v6, '/ip/cloud/print')).items[0]).toMatchObject({ 'ddns-enabled': 'no', 'update-time': 'yes' })
    expect((await api(v716, '/ip/cloud/print')).items[0]).toMatchObject({ 'ddns-enabled': 'false' })
    expect((await api(v7, '/ip/cloud/print')).items[0]).toMatchObject({ 'ddns-enabled': 'auto' })
    await api(v716, '/ip/cloud/set', { 'ddns-enabled': 'yes' })
    await api(v716, '/ip/cloud/set', { 'ddns-enabled': 'no' })
    await expect(api(v716, '/ip/cloud/set', { 'ddns-enabled': 'auto' })).rejects.toMatchObject({ message: 'input does not match any value of ddns-enabled' })
    await expect(api(v7, '/ip/cloud/set', { 'ddns-enabled': 'no' })).rejects.toMatchObject({ message: 'invalid value of ddns-enabled, must be either yes or auto' })
    // The PPPoE client and the logging menus are the same on 6: a client is added disabled, the built-ins are there.
    await api(v6, '/interface/pppoe-client/add', { interface: 'ether1' })
    expect((await api(v6, '/interface/pppoe-client/print')).items[0]).toMatchObject({ name: 'pppoe-out1', disabled: 'yes', running: 'no' })
    expect((await api(v6, '/system/logging/action/print')).items.map((item) => item.name)).toEqual(['memory', 'disk', 'echo', 'remote'])
  })
})
