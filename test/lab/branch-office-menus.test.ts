// The menus of a typical branch-office change (DHCP, queues, lists) and of hardening a new router,
// on a lab router: a script as an engineer writes it (through `fieldjobs exec`, the lab's script
// runner), then print/set/remove over the API, what RouterOS refuses, and the export that backs them up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RouterClient } from '../../src-main/core/routeros/router-client'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { cli } from '../support/cli-harness'

let lab: Lab
beforeAll(async () => {
  lab = await startLab({ routers: 1 })
})
afterAll(() => lab.close())

type LabRouter = Lab['routers'][number]

/** Runs `script` on a lab router (the first) as an engineer would, through `fieldjobs exec`; it must succeed. */
async function execOnLab(script: string, router: LabRouter = lab.routers[0]!): Promise<void> {
  const ran = await cli(['exec', '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'PW', '--script', '-'], {
    env: { PW: router.password },
    stdin: script,
  })
  expect(ran.code, ran.stderr + ran.stdout).toBe(0)
}

/** Runs `use` with a client logged in to a lab router (the first) over the API, and closes it after. */
async function withClient(use: (client: RouterClient) => Promise<void>, router: LabRouter = lab.routers[0]!): Promise<void> {
  const client = new RouterClient({ host: router.host, port: router.port, user: router.user, password: router.password })
  await client.connect()
  try {
    await use(client)
  } finally {
    await client.close()
  }
}

const branchOfficeChange = `/ip firewall address-list
add list=mgmt address=10.0.0.0/24 comment="office LAN"
add list=blocked address=203.0.113.7
/ip pool add name=dhcp-pool ranges=192.168.88.100-192.168.88.199
/ip dhcp-server set [find name=defconf] address-pool=dhcp-pool lease-time=1h
/ip dhcp-server network set [find address=192.168.88.0/24] dns-server=1.1.1.1,9.9.9.9 domain=branch12.example.net
/ip dhcp-server lease add address=192.168.88.20 mac-address=aa:bb:cc:00:11:22 comment=printer
/ip dhcp-client set [find interface=ether1] use-peer-dns=no
/interface list add name=MGMT
/interface list member add list=MGMT interface=ether5
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
    await execOnLab(branchOfficeChange)
    await withClient(async (client) => {
      const lists = await client.print('/ip/firewall/address-list/print')
      expect(lists.map((row) => [row.list, row.address])).toEqual([
        ['mgmt', '10.0.0.0/24'],
        ['blocked', '203.0.113.7'],
      ])
      expect((await client.print('/system/ntp/client/print'))[0]).toMatchObject({ enabled: 'true', servers: '0.pool.ntp.org,1.pool.ntp.org' })
      expect((await client.print('/snmp/print'))[0]).toMatchObject({ enabled: 'true', contact: 'noc@example.net', location: 'Branch 12' })
      expect((await client.print('/ip/pool/print')).map((row) => [row.name, row.ranges])).toEqual([
        ['default-dhcp', '192.168.88.10-192.168.88.254'],
        ['dhcp-pool', '192.168.88.100-192.168.88.199'],
      ])
      expect((await client.print('/ip/dhcp-server/print'))[0]).toMatchObject({ name: 'defconf', interface: 'bridge1', 'address-pool': 'dhcp-pool', 'lease-time': '1h', disabled: 'false' })
      expect((await client.print('/ip/dhcp-server/network/print'))[0]).toMatchObject({ address: '192.168.88.0/24', gateway: '192.168.88.1', 'dns-server': '1.1.1.1,9.9.9.9', domain: 'branch12.example.net' })
      expect((await client.print('/ip/dhcp-server/lease/print'))[0]).toMatchObject({ address: '192.168.88.20', 'mac-address': 'AA:BB:CC:00:11:22', server: 'all', comment: 'printer' })
      expect((await client.print('/ip/dhcp-client/print'))[0]).toMatchObject({ interface: 'ether1', 'use-peer-dns': 'false', 'add-default-route': 'yes', status: 'searching...' })
      expect((await client.print('/interface/list/member/print')).at(-1)).toMatchObject({ list: 'MGMT', interface: 'ether5' })

      await client.command('/ip/firewall/address-list/set', { '.id': lists[1]!['.id'], timeout: '1d' })
      await client.command('/ip/firewall/address-list/remove', { '.id': lists[0]!['.id'] })
      expect((await client.print('/ip/firewall/address-list/print')).map((row) => row.list)).toEqual(['blocked'])
      await expect(client.command('/system/ntp/client/set', { enabled: 'maybe' })).rejects.toThrow()
      // What RouterOS refuses: a server on a pool that does not exist, a second client on one interface, a bad MAC.
      await expect(client.command('/ip/dhcp-server/add', { interface: 'ether2', 'address-pool': 'no-such-pool' })).rejects.toThrow('input does not match any value of address-pool')
      await expect(client.command('/ip/dhcp-client/add', { interface: 'ether1' })).rejects.toThrow('dhcp-client on that interface already exists')
      await expect(client.command('/ip/dhcp-server/lease/add', { address: '192.168.88.21', 'mac-address': 'not-a-mac' })).rejects.toThrow('mac-address')
      // A server added without a name is named as RouterOS names it.
      await client.command('/ip/dhcp-server/add', { interface: 'ether2' })
      expect((await client.print('/ip/dhcp-server/print')).map((row) => [row.name, row['address-pool'], row['lease-time']])).toEqual([
        ['defconf', 'dhcp-pool', '1h'],
        ['dhcp1', 'static-only', '30m'],
      ])
    })

    const exported = router.router.exportText()
    for (const line of ['/ip firewall address-list', 'add address=203.0.113.7 list=blocked timeout=1d', '/system ntp client', 'set enabled=yes servers=0.pool.ntp.org,1.pool.ntp.org', '/snmp', 'location="Branch 12"', '/ip pool', '/interface list member', '/ip dhcp-server', 'add address-pool=dhcp-pool interface=bridge1 lease-time=1h name=defconf', '/ip dhcp-server lease', 'add address=192.168.88.20 comment=printer mac-address=AA:BB:CC:00:11:22', '/ip dhcp-server network', 'add address=192.168.88.0/24 comment=defconf dns-server=1.1.1.1,9.9.9.9 \\\n    domain=branch12.example.net gateway=192.168.88.1', '/ip dhcp-client', 'add comment=defconf interface=ether1 use-peer-dns=no']) {
      expect(exported).toContain(line)
    }
  })
})

describe('simple queues', () => {
  it('keeps each upload/download pair in the router form, checks targets and parents, and exports them', async () => {
    const router = lab.routers[0]!
    await withClient(async (client) => {
      await client.command('/queue/simple/add', { name: 'office', target: '192.168.88.0/24', 'max-limit': '100000000/50M' })
      await client.command('/queue/simple/add', { target: '192.168.88.20', parent: 'office', 'max-limit': '1500k/1500000', priority: '2/2' })
      expect((await client.print('/queue/simple/print')).map((row) => [row.name, row.target, row.parent, row['max-limit'], row.priority])).toEqual([
        ['office', '192.168.88.0/24', 'none', '100M/50M', '8/8'],
        ['queue1', '192.168.88.20/32', 'office', '1500k/1500k', '2/2'],
      ])
      // What RouterOS refuses: a rate that is not a pair, a priority out of 1-8, an unknown target or parent.
      await expect(client.command('/queue/simple/add', { target: '10.0.0.1', 'max-limit': '10M' })).rejects.toThrow('invalid value for argument max-limit')
      await expect(client.command('/queue/simple/add', { target: '10.0.0.1', priority: '9/9' })).rejects.toThrow('invalid value for argument priority')
      await expect(client.command('/queue/simple/add', { target: 'ether9' })).rejects.toThrow('input does not match any value of target')
      await expect(client.command('/queue/simple/add', { target: '10.0.0.1', parent: 'nobody' })).rejects.toThrow('input does not match any value of parent')
      await expect(client.command('/queue/simple/add', { name: 'office', target: '10.0.0.1' })).rejects.toThrow('already have queue with such name')
    })
    const exported = router.router.exportText()
    expect(exported).toContain('/queue simple\nadd max-limit=100M/50M name=office target=192.168.88.0/24\nadd max-limit=1500k/1500k name=queue1 parent=office priority=2/2 \\\n    target=192.168.88.20/32\n')
  })
})

/** A new router hardened as MikroTik's "Securing your router" guide does it. */
const hardening = `/ip service disable telnet,ftp,www,api-ssl
/ip neighbor discovery-settings set discover-interface-list=LAN
/tool mac-server set allowed-interface-list=none
/tool mac-server mac-winbox set allowed-interface-list=LAN
/tool mac-server ping set enabled=no
/tool bandwidth-server set enabled=no
/ip ssh set strong-crypto=yes
/ip socks set enabled=no
/ip proxy set enabled=no
/ip upnp set enabled=no
/ip dns set allow-remote-requests=no
`

describe('hardening a new router', () => {
  it('runs the usual hardening script over the API it leaves on, and the export shows what it changed', async () => {
    const router = lab.routers[0]!
    await execOnLab(hardening)
    await withClient(async (client) => {
      expect((await client.print('/ip/neighbor/discovery-settings/print'))[0]).toMatchObject({ 'discover-interface-list': 'LAN', protocol: 'cdp,lldp,mndp' })
      expect((await client.print('/tool/mac-server/print'))[0]).toMatchObject({ 'allowed-interface-list': 'none' })
      expect((await client.print('/tool/mac-server/mac-winbox/print'))[0]).toMatchObject({ 'allowed-interface-list': 'LAN' })
      expect((await client.print('/ip/ssh/print'))[0]).toMatchObject({ 'strong-crypto': 'true', 'host-key-size': '2048' })
      expect((await client.print('/tool/bandwidth-server/print'))[0]).toMatchObject({ enabled: 'false', authenticate: 'true' })
      // A list the router does not have is refused, as RouterOS refuses it.
      await expect(client.command('/tool/mac-server/set', { 'allowed-interface-list': 'OFFICE' })).rejects.toThrow('input does not match any value of allowed-interface-list')
    })
    const exported = router.router.exportText()
    for (const section of ['/ip ssh\nset strong-crypto=yes\n', '/tool bandwidth-server\nset enabled=no\n', '/tool mac-server\nset allowed-interface-list=none\n', '/tool mac-server ping\nset enabled=no\n']) {
      expect(exported).toContain(section)
    }
    // Settings still at their defaults are left out, as RouterOS leaves them out: socks, proxy and upnp are off already.
    for (const section of ['/ip socks', '/ip proxy', '/ip upnp']) expect(exported).not.toContain(`${section}\n`)
  })
})

/** Dual-WAN load balancing with per-connection classifiers, as MikroTik's PCC example writes it. */
const dualWanMarks = `/ip firewall mangle
add chain=prerouting in-interface=ether1 connection-mark=no-mark action=mark-connection new-connection-mark=wan1_conn
add chain=prerouting dst-address-type=!local in-interface=bridge1 per-connection-classifier=both-addresses:2/0 action=mark-connection new-connection-mark=wan1_conn passthrough=yes
add chain=prerouting connection-mark=wan1_conn in-interface=bridge1 action=mark-routing new-routing-mark=to_wan1 passthrough=no
add chain=forward protocol=tcp tcp-flags=syn action=change-mss new-mss=clamp-to-pmtu place-before=0 comment="clamp MSS"
`

describe('firewall mangle', () => {
  it('marks connections and routes, keeps rule order (place-before), and exports the rules', async () => {
    const router = lab.routers[0]!
    await execOnLab(dualWanMarks)
    await withClient(async (client) => {
      const rules = await client.print('/ip/firewall/mangle/print')
      expect(rules.map((rule) => [rule.chain, rule.action, rule['new-connection-mark'] ?? rule['new-routing-mark'] ?? rule['new-mss']])).toEqual([
        ['forward', 'change-mss', 'clamp-to-pmtu'],
        ['prerouting', 'mark-connection', 'wan1_conn'],
        ['prerouting', 'mark-connection', 'wan1_conn'],
        ['prerouting', 'mark-routing', 'to_wan1'],
      ])
      expect(rules[3]).toMatchObject({ passthrough: 'false', 'connection-mark': 'wan1_conn' })
      expect(rules[1]).toMatchObject({ passthrough: 'true' })
      await expect(client.command('/ip/firewall/mangle/add', { chain: 'prerouting', action: 'mark-everything' })).rejects.toThrow('input does not match any value of action')
    })
    const exported = router.router.exportText()
    expect(exported).toContain('/ip firewall mangle\nadd action=change-mss chain=forward comment="clamp MSS" new-mss=clamp-to-pmtu \\\n    protocol=tcp tcp-flags=syn\n')
    // Rules sit between filter and nat, as RouterOS exports them.
    expect(exported.indexOf('/ip firewall filter')).toBeLessThan(exported.indexOf('/ip firewall mangle'))
    expect(exported.indexOf('/ip firewall mangle')).toBeLessThan(exported.indexOf('/ip firewall nat'))
  })
})

/** RFC 7748 section 6.1, Alice: an X25519 private key and the public key it yields, in WireGuard's base64. */
const RFC7748_PRIVATE = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex').toString('base64')
const RFC7748_PUBLIC = Buffer.from('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a', 'hex').toString('base64')
const PEER_PUBLIC = Buffer.from('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f', 'hex').toString('base64')

describe('wireguard', () => {
  it('derives the public key, keeps the private one out of a plain export, and checks peers', async () => {
    const router = lab.routers[0]!
    await execOnLab(
      `/interface wireguard add name=wg-office private-key="${RFC7748_PRIVATE}"\n/interface wireguard add name=wg-spare\n` +
        `/interface wireguard peers add interface=wg-office public-key="${PEER_PUBLIC}" allowed-address=10.99.0.2,10.98.0.0/16 endpoint-address=203.0.113.9 endpoint-port=13231 persistent-keepalive=25s\n`,
    )
    await withClient(async (client) => {
      const [office, spare] = await client.print('/interface/wireguard/print')
      expect(office).toMatchObject({ name: 'wg-office', 'listen-port': '13231', mtu: '1420', 'public-key': RFC7748_PUBLIC, running: 'true' })
      // A key the router made itself: 32 clamped bytes, and its own public key.
      const generated = Buffer.from(spare!['private-key']!, 'base64')
      expect([generated.length, generated[0]! & 7, generated[31]! & 0xc0]).toEqual([32, 0, 0x40])
      expect(spare).toMatchObject({ name: 'wg-spare', 'listen-port': '13232' })
      expect(spare!['public-key']).toMatch(/^[A-Za-z0-9+/]{43}=$/)
      expect((await client.print('/interface/print')).filter((row) => row.type === 'wg').map((row) => row.name)).toEqual(['wg-office', 'wg-spare'])
      expect((await client.print('/interface/wireguard/peers/print'))[0]).toMatchObject({
        interface: 'wg-office', 'allowed-address': '10.99.0.2/32,10.98.0.0/16', 'endpoint-port': '13231', 'persistent-keepalive': '25s',
      })
      // What RouterOS refuses: a key that is not 32 bytes of base64, a peer on an interface that is not WireGuard.
      await expect(client.command('/interface/wireguard/add', { 'private-key': 'short' })).rejects.toThrow('invalid value for argument private-key')
      await expect(client.command('/interface/wireguard/peers/add', { interface: 'ether2', 'public-key': PEER_PUBLIC })).rejects.toThrow('input does not match any value of interface')
      await expect(client.command('/interface/wireguard/peers/add', { interface: 'wg-office', 'public-key': 'not-a-key' })).rejects.toThrow('invalid value for argument public-key')
    })
    // RouterOS 7 keeps secrets out of an export unless asked (show-sensitive), and never exports a derived public key.
    const plain = router.router.exportText()
    expect(plain).toContain('/interface wireguard\nadd listen-port=13231 mtu=1420 name=wg-office\n')
    expect(plain).not.toContain(RFC7748_PRIVATE)
    expect(plain).not.toContain(RFC7748_PUBLIC)
    expect(plain).toContain(`/interface wireguard peers\nadd allowed-address=10.99.0.2/32,10.98.0.0/16 endpoint-address=203.0.113.9 \\\n`)
    const sensitive = (await router.router.runScript('/export show-sensitive')).output
    expect(sensitive).toContain(`add listen-port=13231 mtu=1420 name=wg-office \\\n    private-key="${RFC7748_PRIVATE}"`)
  })
})

describe('ospf (RouterOS 7)', () => {
  it('takes an instance, an area and an interface template, refuses names that are not there, and exports them in import order', async () => {
    const router = lab.routers[0]!
    await execOnLab(
      '/routing ospf instance add name=default-v2 router-id=10.255.0.1 redistribute=connected,static\n' +
        '/routing ospf area add name=backbone-v2 instance=default-v2\n' +
        '/routing ospf area add name=branch instance=default-v2 area-id=0.0.0.1 type=stub\n' +
        '/routing ospf interface-template add area=backbone-v2 networks=192.168.88.0/24 interfaces=bridge1\n' +
        '/routing ospf interface-template add area=branch interfaces=LAN passive cost=20\n',
    )
    await withClient(async (client) => {
      expect((await client.print('/routing/ospf/instance/print'))[0]).toMatchObject({
        name: 'default-v2', version: '2', vrf: 'main', 'router-id': '10.255.0.1', 'originate-default': 'never', redistribute: 'connected,static',
      })
      expect((await client.print('/routing/ospf/area/print')).map((row) => [row.name, row['area-id'], row.type])).toEqual([
        ['backbone-v2', '0.0.0.0', 'default'],
        ['branch', '0.0.0.1', 'stub'],
      ])
      expect((await client.print('/routing/ospf/interface-template/print')).map((row) => [row.area, row.networks, row.interfaces, row.cost, row.passive])).toEqual([
        ['backbone-v2', '192.168.88.0/24', 'bridge1', '1', 'false'],
        ['branch', '', 'LAN', '20', 'true'],
      ])
      // What RouterOS refuses: an area of no instance, a template of no area, an interface or a router id that is not one.
      await expect(client.command('/routing/ospf/area/add', { name: 'x', instance: 'nobody' })).rejects.toThrow('input does not match any value of instance')
      await expect(client.command('/routing/ospf/interface-template/add', { area: 'nowhere' })).rejects.toThrow('input does not match any value of area')
      await expect(client.command('/routing/ospf/interface-template/add', { area: 'branch', interfaces: 'ether99' })).rejects.toThrow('input does not match any value of interfaces')
      await expect(client.command('/routing/ospf/instance/add', { name: 'v3', 'router-id': '10.0.0' })).rejects.toThrow('invalid value for argument router-id')
      await expect(client.command('/routing/ospf/instance/add', { name: 'default-v2' })).rejects.toThrow('already have instance with such name')
      // The status menus a check prints afterwards: the lab forms no adjacency, so they are empty, and read only.
      expect(await client.print('/routing/ospf/neighbor/print')).toEqual([])
      expect(await client.print('/routing/ospf/interface/print')).toEqual([])
      await expect(client.command('/routing/ospf/neighbor/add', {})).rejects.toThrow('no such command')
    })
    expect((await router.router.runScript(':put [:len [/routing ospf neighbor find]]')).output).toBe('0\n')
    const exported = router.router.exportText()
    // An export is imported top to bottom: the instance, then its areas, then the templates naming them.
    expect(exported).toContain(
      '/routing ospf instance\nadd disabled=no name=default-v2 redistribute=connected,static \\\n    router-id=10.255.0.1\n' +
        '/routing ospf area\nadd disabled=no instance=default-v2 name=backbone-v2\nadd area-id=0.0.0.1 disabled=no instance=default-v2 name=branch type=stub\n' +
        '/routing ospf interface-template\nadd area=backbone-v2 disabled=no interfaces=bridge1 networks=192.168.88.0/24\n' +
        'add area=branch cost=20 disabled=no interfaces=LAN passive\n',
    )
    // The backup restores: with the OSPF menus emptied, running the exported lines gives back the same export.
    const ospfLines = exported.slice(exported.indexOf('/routing ospf instance'), exported.indexOf('/snmp'))
    await execOnLab('/routing ospf interface-template remove [find]\n/routing ospf area remove [find]\n/routing ospf instance remove [find]\n')
    expect(router.router.exportText()).not.toContain('/routing ospf')
    await execOnLab(ospfLines)
    // Past the first line, the export's time.
    const body = (text: string) => text.slice(text.indexOf('\n') + 1)
    expect(body(router.router.exportText())).toBe(body(exported))
  })
})

/** A RouterOS 6 branch turning OSPF on: the default instance set, an area, where it runs, a passive LAN. */
const ospf6Branch = `/routing ospf instance set [ find default=yes ] router-id=10.0.0.1 redistribute-connected=as-type-1
/routing ospf instance add name=branch router-id=10.0.0.2
/routing ospf area add name=area1 area-id=0.0.0.1
/routing ospf area add name=branch-area area-id=0.0.0.2 instance=branch type=stub
/routing ospf network add network=10.0.0.0/24 area=backbone
/routing ospf network add network=192.168.88.0/24 area=area1
/routing ospf interface add interface=bridge1 passive=yes cost=20 network-type=broadcast
`

describe('ospf (RouterOS 6)', () => {
  let lab6: Lab
  beforeAll(async () => {
    lab6 = await startLab({ routers: 1, version: '6.49.10' })
  })
  afterAll(() => lab6.close())

  it('ships a default instance and the backbone area, takes networks and interface settings naming them, refuses what is not there, and exports built-ins as set', async () => {
    const router = lab6.routers[0]!
    await withClient(async (client) => {
      // What a RouterOS 6 router has before anyone turns OSPF on.
      expect(await client.print('/routing/ospf/instance/print')).toEqual([
        {
          '.id': '*1', name: 'default', 'router-id': '0.0.0.0', 'distribute-default': 'never', 'redistribute-connected': 'no', 'redistribute-static': 'no',
          'redistribute-rip': 'no', 'redistribute-bgp': 'no', 'redistribute-other-ospf': 'no', 'metric-default': '1', 'metric-connected': '20',
          'metric-static': '20', 'metric-rip': '20', 'metric-bgp': 'auto', 'metric-other-ospf': 'auto', 'in-filter': 'ospf-in', 'out-filter': 'ospf-out',
          default: 'yes', disabled: 'no',
        },
      ])
      expect((await client.print('/routing/ospf/area/print')).map((row) => [row.name, row['area-id'], row.instance, row.type, row.default])).toEqual([['backbone', '0.0.0.0', 'default', 'default', 'yes']])
      expect(await client.print('/routing/ospf/network/print')).toEqual([])
      expect(await client.print('/routing/ospf/interface/print')).toEqual([])
    }, router)
    await execOnLab(ospf6Branch, router)
    await withClient(async (client) => {
      const [builtIn, added] = await client.print('/routing/ospf/instance/print')
      expect(builtIn).toMatchObject({ name: 'default', 'router-id': '10.0.0.1', 'redistribute-connected': 'as-type-1', default: 'yes' })
      expect(added).toMatchObject({ name: 'branch', 'router-id': '10.0.0.2', 'redistribute-connected': 'no', default: 'no' })
      const areas = await client.print('/routing/ospf/area/print')
      expect(areas.map((row) => [row.name, row['area-id'], row.instance, row.type, row.default])).toEqual([
        ['backbone', '0.0.0.0', 'default', 'default', 'yes'],
        ['area1', '0.0.0.1', 'default', 'default', 'no'],
        ['branch-area', '0.0.0.2', 'branch', 'stub', 'no'],
      ])
      expect((await client.print('/routing/ospf/network/print')).map((row) => [row.network, row.area])).toEqual([
        ['10.0.0.0/24', 'backbone'],
        ['192.168.88.0/24', 'area1'],
      ])
      // Configuration on 6 (on 7 the same path is a read-only status menu).
      expect(await client.print('/routing/ospf/interface/print')).toEqual([
        {
          '.id': '*1', interface: 'bridge1', cost: '20', priority: '1', authentication: 'none', 'authentication-key': '', 'network-type': 'broadcast',
          passive: 'yes', 'hello-interval': '10s', 'dead-interval': '40s', 'retransmit-interval': '5s', 'transmit-delay': '1s', dynamic: 'no', disabled: 'no',
        },
      ])
      // `all`: the settings of every interface without an entry of its own.
      const all = await client.command('/routing/ospf/interface/add', { 'network-type': 'point-to-point' })
      expect((await client.print('/routing/ospf/interface/print')).at(-1)).toMatchObject({ interface: 'all', 'network-type': 'point-to-point' })
      await client.command('/routing/ospf/interface/remove', { '.id': all.done.ret! })
      // What RouterOS refuses: a network of no area, an area of no instance, an interface that is not there, a second `backbone`.
      await expect(client.command('/routing/ospf/network/add', { network: '10.9.0.0/24', area: 'nowhere' })).rejects.toThrow('input does not match any value of area')
      await expect(client.command('/routing/ospf/area/add', { name: 'x', 'area-id': '0.0.0.9', instance: 'nobody' })).rejects.toThrow('input does not match any value of instance')
      await expect(client.command('/routing/ospf/interface/add', { interface: 'ether99' })).rejects.toThrow('input does not match any value of interface')
      await expect(client.command('/routing/ospf/area/add', { name: 'backbone', 'area-id': '0.0.0.9' })).rejects.toThrow('already have area with such name')
      // What it ships stays; what was added can go.
      await expect(client.command('/routing/ospf/instance/remove', { '.id': builtIn!['.id']! })).rejects.toThrow('failure: cannot remove')
      await expect(client.command('/routing/ospf/area/remove', { '.id': areas[0]!['.id']! })).rejects.toThrow('failure: cannot remove')
      // The neighbours a check prints afterwards: none (the lab forms no adjacency), and read only.
      expect(await client.print('/routing/ospf/neighbor/print')).toEqual([])
      await expect(client.command('/routing/ospf/neighbor/add', {})).rejects.toThrow('no such command')
    }, router)
    const exported = router.router.exportText()
    // The built-ins as `set [ find default=yes ]`, the rest as `add`; the instance first, the interface and network sections after the areas they name.
    expect(exported).toContain(
      '/routing ospf instance\nset [ find default=yes ] redistribute-connected=as-type-1 router-id=10.0.0.1\nadd name=branch router-id=10.0.0.2\n' +
        '/routing ospf area\nadd area-id=0.0.0.1 name=area1\nadd area-id=0.0.0.2 instance=branch name=branch-area type=stub\n' +
        '/routing ospf interface\nadd cost=20 interface=bridge1 network-type=broadcast passive=yes\n' +
        '/routing ospf network\nadd area=backbone network=10.0.0.0/24\nadd area=area1 network=192.168.88.0/24\n',
    )
    // The backup restores: with the OSPF menus back at their defaults, running the exported lines gives back the same export.
    const ospfLines = ['/routing ospf instance', '/routing ospf area', '/routing ospf interface', '/routing ospf network'].map((header) => exportSection(exported, header)).join('')
    await execOnLab(
      '/routing ospf network remove [find]\n/routing ospf interface remove [find]\n/routing ospf area remove [find default=no]\n' +
        '/routing ospf instance remove [find default=no]\n/routing ospf instance set [find default=yes] router-id=0.0.0.0 redistribute-connected=no\n',
      router,
    )
    expect(router.router.exportText()).not.toContain('/routing ospf')
    await execOnLab(ospfLines, router)
    const body = (text: string) => text.slice(text.indexOf('\n') + 1)
    expect(body(router.router.exportText())).toBe(body(exported))
  })
})

/** A branch on a PPPoE line: the WAN client, NAT and the WAN list on it, logs to the office syslog, the router's DDNS name. */
const pppoeBranch = `/interface pppoe-client add interface=ether1 user=branch12@isp password="s3cret" add-default-route=yes use-peer-dns=yes
/interface pppoe-client add name=pppoe-backup interface=ether2 service-name=backup disabled=no
/interface list member add list=WAN interface=pppoe-out1
/ip firewall nat add chain=srcnat action=masquerade out-interface=pppoe-out1 comment="pppoe masquerade"
/system logging action add name=syslog target=remote remote=10.0.0.5 remote-port=514
/system logging action set [find name=remote] remote=10.0.0.9
/system logging add topics=info,!debug action=syslog prefix=branch12
/system logging add topics=critical action=syslog
/system logging set 0 action=syslog
/ip cloud set ddns-enabled=yes ddns-update-interval=10m update-time=no
`

/** The section of an export that starts at `header` (its header line and its command lines). */
function exportSection(exported: string, header: string): string {
  const lines = exported.split('\n')
  const start = lines.indexOf(header)
  if (start < 0) return ''
  const end = lines.findIndex((line, index) => index > start && line.startsWith('/'))
  return `${lines.slice(start, end < 0 ? undefined : end).join('\n')}\n`
}

describe('pppoe-client, logging and ip cloud', () => {
  it('adds a PPPoE client disabled unless told, as an interface NAT and lists can name, and refuses an interface that is not there', async () => {
    const router = lab.routers[0]!
    await execOnLab(pppoeBranch)
    await withClient(async (client) => {
      const [wan, backup] = await client.print('/interface/pppoe-client/print')
      expect(wan).toMatchObject({
        name: 'pppoe-out1', interface: 'ether1', user: 'branch12@isp', password: 's3cret', profile: 'default', 'service-name': '', 'ac-name': '',
        'add-default-route': 'true', 'default-route-distance': '1', 'use-peer-dns': 'true', 'dial-on-demand': 'false', 'keepalive-timeout': '10',
        'max-mtu': 'auto', 'max-mru': 'auto', allow: 'pap,chap,mschap1,mschap2', running: 'false', disabled: 'true',
      })
      // Enabled, it still does not run: the lab has no ISP to answer it.
      expect(backup).toMatchObject({ name: 'pppoe-backup', 'service-name': 'backup', disabled: 'false', running: 'false' })
      expect((await client.print('/interface/print')).filter((row) => row.type === 'pppoe-out').map((row) => [row.name, row.running])).toEqual([
        ['pppoe-out1', 'false'],
        ['pppoe-backup', 'false'],
      ])
      expect((await client.print('/ip/firewall/nat/print')).at(-1)).toMatchObject({ 'out-interface': 'pppoe-out1', action: 'masquerade' })
      expect((await client.print('/interface/list/member/print')).at(-1)).toMatchObject({ list: 'WAN', interface: 'pppoe-out1' })

      await client.command('/interface/pppoe-client/set', { '.id': wan!['.id']!, 'default-route-distance': '5' })
      await client.command('/interface/pppoe-client/enable', { '.id': wan!['.id']! })
      await client.command('/interface/pppoe-client/remove', { '.id': backup!['.id']! })
      expect((await client.print('/interface/pppoe-client/print')).map((row) => [row.name, row.disabled, row['default-route-distance']])).toEqual([['pppoe-out1', 'false', '5']])
      // What RouterOS refuses: an interface that is not there, an MTU that is not one, a name already taken.
      await expect(client.command('/interface/pppoe-client/add', { interface: 'ether9' })).rejects.toThrow('input does not match any value of interface')
      await expect(client.command('/interface/pppoe-client/add', { interface: 'ether2', 'max-mtu': 'big' })).rejects.toThrow('invalid value for argument max-mtu')
      await expect(client.command('/interface/pppoe-client/add', { interface: 'ether2', name: 'ether3' })).rejects.toThrow('already have interface with such name')
    })
    // The password is a secret: out of a plain export, in one with show-sensitive.
    const plain = router.router.exportText()
    expect(exportSection(plain, '/interface pppoe-client')).toBe(
      '/interface pppoe-client\nadd add-default-route=yes default-route-distance=5 disabled=no \\\n    interface=ether1 name=pppoe-out1 use-peer-dns=yes user=branch12@isp\n',
    )
    expect((await router.router.runScript('/export show-sensitive')).output).toContain('password=s3cret')
    // Exported after the interfaces it runs over and before the lists and NAT rules that name it.
    expect(plain.indexOf('/interface vlan')).toBeLessThan(plain.indexOf('/interface pppoe-client'))
    expect(plain.indexOf('/interface pppoe-client')).toBeLessThan(plain.indexOf('/interface list member'))
    expect(plain.indexOf('/interface pppoe-client')).toBeLessThan(plain.indexOf('/ip firewall nat'))
  })

  it('keeps the built-in logging actions and rules, checks the action a rule names, and exports built-ins by print number', async () => {
    const router = lab.routers[0]!
    await withClient(async (client) => {
      const actions = await client.print('/system/logging/action/print')
      expect(actions.map((row) => [row.name, row.target, row.default])).toEqual([
        ['memory', 'memory', 'true'],
        ['disk', 'disk', 'true'],
        ['echo', 'echo', 'true'],
        ['remote', 'remote', 'true'],
        ['syslog', 'remote', 'false'],
      ])
      expect(actions[0]).toMatchObject({ 'memory-lines': '1000', remember: 'true' })
      expect(actions[3]).toMatchObject({ remote: '10.0.0.9', 'remote-port': '514', 'src-address': '0.0.0.0', 'bsd-syslog': 'false' })
      expect(actions[4]).toMatchObject({ remote: '10.0.0.5', 'remote-port': '514', 'syslog-facility': 'daemon' })
      const rules = await client.print('/system/logging/print')
      expect(rules.map((row) => [row.topics, row.action, row.prefix, row.default])).toEqual([
        ['info', 'syslog', '', 'true'],
        ['error', 'memory', '', 'true'],
        ['warning', 'memory', '', 'true'],
        ['critical', 'echo', '', 'true'],
        ['info,!debug', 'syslog', 'branch12', 'false'],
        ['critical', 'syslog', '', 'false'],
      ])
      // What RouterOS refuses: a rule for an action that is not there, removing what it ships, a second `memory`.
      await expect(client.command('/system/logging/add', { topics: 'firewall', action: 'nowhere' })).rejects.toThrow('input does not match any value of action')
      await expect(client.command('/system/logging/set', { '.id': rules[1]!['.id']!, action: 'nowhere' })).rejects.toThrow('input does not match any value of action')
      await expect(client.command('/system/logging/action/remove', { '.id': actions[3]!['.id']! })).rejects.toThrow('failure: cannot remove')
      await expect(client.command('/system/logging/remove', { '.id': rules[0]!['.id']! })).rejects.toThrow('failure: cannot remove')
      await expect(client.command('/system/logging/action/add', { name: 'memory', target: 'memory' })).rejects.toThrow('already have action with such name')
      await expect(client.command('/system/logging/action/add', { name: 'pigeon', target: 'carrier-pigeon' })).rejects.toThrow('input does not match any value of target')
      // What it ships can be turned off; what was added can go.
      await client.command('/system/logging/disable', { '.id': rules[2]!['.id']! })
      await client.command('/system/logging/enable', { '.id': rules[2]!['.id']! })
      const added = await client.command('/system/logging/add', { topics: 'firewall' })
      expect((await client.print('/system/logging/print')).at(-1)).toMatchObject({ topics: 'firewall', action: 'memory', default: 'false' })
      await client.command('/system/logging/remove', { '.id': added.done.ret! })
    })
    const exported = router.router.exportText()
    expect(exportSection(exported, '/system logging action')).toBe('/system logging action\nset 3 remote=10.0.0.9\nadd name=syslog remote=10.0.0.5 target=remote\n')
    expect(exportSection(exported, '/system logging')).toBe('/system logging\nset 0 action=syslog\nadd action=syslog prefix=branch12 topics=info,!debug\nadd action=syslog topics=critical\n')
    expect(exported.indexOf('/system logging action')).toBeLessThan(exported.indexOf('/system logging\n'))
  })

  it("gives the device's DDNS name once DDNS is on, refuses RouterOS 7.17's old `no`, and exports what changed", async () => {
    const router = lab.routers[0]!
    const dnsName = `${router.router.facts.serialNumber.toLowerCase()}.sn.mynetname.net`
    await withClient(async (client) => {
      // The lab never reaches MikroTik's cloud: no public address, and it keeps trying.
      expect((await client.print('/ip/cloud/print'))[0]).toEqual({ 'ddns-enabled': 'yes', 'ddns-update-interval': '10m', 'update-time': 'false', 'dns-name': dnsName, status: 'updating...' })
      await expect(client.command('/ip/cloud/set', { 'ddns-enabled': 'no' })).rejects.toThrow('invalid value of ddns-enabled, must be either yes or auto')
      await expect(client.command('/ip/cloud/set', { 'ddns-update-interval': 'often' })).rejects.toThrow('invalid value for argument ddns-update-interval')
    })
    expect((await router.router.runScript(':put [/ip cloud get dns-name]')).output).toBe(`${dnsName}\n`)
    expect(exportSection(router.router.exportText(), '/ip cloud')).toBe('/ip cloud\nset ddns-enabled=yes ddns-update-interval=10m update-time=no\n')
  })

  it('restores: with the three menus back at their defaults, running the exported lines gives back the same export', async () => {
    const router = lab.routers[0]!
    const exported = router.router.exportText({ showSensitive: true })
    // The lines of a section that name the client, each unwrapped to one line.
    const naming = (header: string) =>
      `${header}\n${exportSection(exported, header).replaceAll(' \\\n    ', ' ').split('\n').filter((line) => line.includes('pppoe-out1')).join('\n')}\n`
    // In import order: the client, the actions, what names the client, then the rules naming the actions.
    const restore = [
      exportSection(exported, '/interface pppoe-client'),
      exportSection(exported, '/system logging action'),
      naming('/interface list member'),
      exportSection(exported, '/ip cloud'),
      naming('/ip firewall nat'),
      exportSection(exported, '/system logging'),
    ].join('')
    await execOnLab(
      '/ip firewall nat remove [find out-interface=pppoe-out1]\n/interface list member remove [find interface=pppoe-out1]\n/interface pppoe-client remove [find]\n' +
        '/system logging remove [find default=no]\n/system logging set 0 action=memory\n/system logging action remove [find default=no]\n' +
        '/system logging action set 3 remote=0.0.0.0\n/ip cloud set ddns-enabled=auto ddns-update-interval=none update-time=yes\n',
    )
    const emptied = router.router.exportText()
    for (const header of ['/interface pppoe-client', '/system logging action', '/system logging\n', '/ip cloud', 'pppoe-out1']) expect(emptied).not.toContain(header)
    await execOnLab(restore)
    const body = (text: string) => text.slice(text.indexOf('\n') + 1)
    expect(body(router.router.exportText({ showSensitive: true }))).toBe(body(exported))
  })
})
