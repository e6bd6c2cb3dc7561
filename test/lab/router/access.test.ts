import { describe, expect, it } from 'vitest'
import type { AccessChange } from '../../../src-main/lab/router'
import { portListCovers } from '../../../src-main/lab/router/access'
import { api, labRouter } from './api'

function watched() {
  const router = labRouter()
  const changes: AccessChange[] = []
  router.onAccessChange((change) => changes.push(change))
  return { router, changes }
}

describe('access-change detection', () => {
  it('fires when the api service is disabled or moved, not for other services', async () => {
    const { router, changes } = watched()
    await api(router, '/ip/service/set', { numbers: 'telnet', disabled: 'yes' })
    expect(changes).toEqual([])
    await api(router, '/ip/service/set', { numbers: 'api', port: '18728' })
    await api(router, '/ip/service/set', { numbers: 'api-ssl', disabled: 'yes' })
    expect(changes.map((change) => change.reason)).toEqual(['service-port-changed', 'service-disabled'])
    expect(changes[0].detail).toBe('api port 8728 -> 18728')
  })

  it('fires when the management address is removed, moved or its interface disabled', async () => {
    const { router, changes } = watched()
    await api(router, '/ip/address/add', { address: '10.0.0.1/24', interface: 'ether1' })
    await api(router, '/ip/address/remove', { '.id': '*2' })
    expect(changes).toEqual([])
    await api(router, '/ip/address/set', { '.id': '*1', address: '192.168.89.1/24' })
    expect(changes.map((change) => change.reason)).toEqual(['address-removed'])
    await api(router, '/ip/address/set', { '.id': '*1', address: '192.168.88.1/24' })
    await api(router, '/interface/bridge/disable', { numbers: 'bridge1' })
    expect(changes.map((change) => change.reason)).toEqual(['address-removed', 'address-removed'])
    router.setManagementAddress('10.1.1.1')
    await api(router, '/interface/bridge/enable', { numbers: 'bridge1' })
    expect(changes).toHaveLength(2)
  })

  it('fires for an input rule dropping tcp to the api port, also from a script', async () => {
    const { router, changes } = watched()
    await api(router, '/ip/firewall/filter/add', { chain: 'input', action: 'drop', protocol: 'tcp', 'dst-port': '22' })
    await api(router, '/ip/firewall/filter/add', { chain: 'forward', action: 'drop', protocol: 'tcp', 'dst-port': '8728' })
    await api(router, '/ip/firewall/filter/add', { chain: 'input', action: 'drop', protocol: 'tcp', 'dst-port': '8728', disabled: 'yes' })
    expect(changes).toEqual([])
    await api(router, '/ip/firewall/filter/enable', { numbers: '*8' })
    await router.runScript('/ip firewall filter add chain=input action=reject protocol=tcp dst-port=8000-8800')
    expect(changes.map((change) => change.reason)).toEqual(['firewall-blocks-api', 'firewall-blocks-api'])
  })

  it('port lists and ranges', () => {
    expect(portListCovers('8728', 8728)).toBe(true)
    expect(portListCovers('22,8728-8729', 8729)).toBe(true)
    expect(portListCovers('22,80', 8728)).toBe(false)
  })
})
