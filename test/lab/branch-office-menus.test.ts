// The menus of a typical branch-office change, on a lab router: a script as an engineer writes it
// (through `fieldjobs exec`, the lab's script runner), then print/set/remove over the API, and the
// export that backs them up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RouterClient } from '../../src-main/core/routeros/router-client'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { cli } from '../support/cli-harness'

let lab: Lab
beforeAll(async () => {
  lab = await startLab({ routers: 1 })
})
afterAll(() => lab.close())

const branchOfficeChange = `/ip firewall address-list
add list=mgmt address=10.0.0.0/24 comment="office LAN"
add list=blocked address=203.0.113.7
/ip pool add name=dhcp-pool ranges=192.168.88.10-192.168.88.254
/interface list add name=WAN
/interface list member add list=WAN interface=ether1
/system ntp client set enabled=yes servers=0.pool.ntp.org,1.pool.ntp.org
/snmp set enabled=yes contact="noc@example.net" location="Branch 12"
/ip dns set servers=1.1.1.1,9.9.9.9
/ip firewall filter add chain=input action=accept src-address-list=mgmt comment="mgmt in"
/ip route add dst-address=10.50.0.0/16 gateway=192.168.88.254
/system identity set name=branch-12
`

describe('branch-office menus', () => {
  it('runs a branch-office change as a script, and each menu answers print, set and remove over the API', async () => {
    const router = lab.routers[0]!
    const ran = await cli(['exec', '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'PW', '--script', '-'], {
      env: { PW: router.password },
      stdin: branchOfficeChange,
    })
    expect(ran.code, ran.stderr + ran.stdout).toBe(0)

    const client = new RouterClient({ host: router.host, port: router.port, user: router.user, password: router.password })
    await client.connect()
    try {
      const lists = await client.print('/ip/firewall/address-list/print')
      expect(lists.map((row) => [row.list, row.address])).toEqual([
        ['mgmt', '10.0.0.0/24'],
        ['blocked', '203.0.113.7'],
      ])
      expect((await client.print('/system/ntp/client/print'))[0]).toMatchObject({ enabled: 'true', servers: '0.pool.ntp.org,1.pool.ntp.org' })
      expect((await client.print('/snmp/print'))[0]).toMatchObject({ enabled: 'true', contact: 'noc@example.net', location: 'Branch 12' })
      expect((await client.print('/ip/pool/print'))[0]).toMatchObject({ name: 'dhcp-pool', ranges: '192.168.88.10-192.168.88.254' })
      expect((await client.print('/interface/list/member/print'))[0]).toMatchObject({ list: 'WAN', interface: 'ether1' })

      await client.command('/ip/firewall/address-list/set', { '.id': lists[1]!['.id'], timeout: '1d' })
      await client.command('/ip/firewall/address-list/remove', { '.id': lists[0]!['.id'] })
      expect((await client.print('/ip/firewall/address-list/print')).map((row) => row.list)).toEqual(['blocked'])
      await expect(client.command('/system/ntp/client/set', { enabled: 'maybe' })).rejects.toThrow()
    } finally {
      await client.close()
    }

    const exported = router.router.exportText()
    for (const line of ['/ip firewall address-list', 'add address=203.0.113.7 list=blocked timeout=1d', '/system ntp client', 'set enabled=yes servers=0.pool.ntp.org,1.pool.ntp.org', '/snmp', 'location="Branch 12"', '/ip pool', '/interface list member']) {
      expect(exported).toContain(line)
    }
  })
})
