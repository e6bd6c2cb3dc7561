// What a router holds before anyone touches it: the software defaults (ethernet ports, services,
// identity), then MikroTik's default configuration script (bridge, LAN address, firewall), which,
// being configuration, appears in exports. Everything is derived from the seed: deterministic.
import { LOGGING_ACTION_DEFAULTS, LOGGING_RULE_DEFAULTS, OSPF6_AREA_DEFAULTS, OSPF6_INSTANCE_DEFAULTS, SERVICE_DEFAULTS } from './export'
import { type DeviceFacts, macAddress } from './facts'
import type { Menu } from './menus/menu'

export const ETHERNET_PORTS = ['ether1', 'ether2', 'ether3', 'ether4', 'ether5']

/**
 * What `/system reset-configuration no-defaults=yes` leaves. Property defaults come from the menu
 * schemas (catalog.ts), the same ones an export leaves out, so the no-defaults round trip holds.
 */
export function seedSoftwareDefaults(menus: ReadonlyMap<string, Menu>, facts: DeviceFacts): void {
  const menu = (path: string) => menus.get(path) as Menu
  const ethernet = menu('/interface/ethernet')
  ETHERNET_PORTS.forEach((name, index) => {
    const mac = macAddress(facts, index)
    ethernet.spec.table.insert({ name, 'default-name': name, type: 'ether', 'mac-address': mac, ...ethernet.defaultValues() })
  })
  const services = menu('/ip/service')
  for (const [name, defaults] of Object.entries(SERVICE_DEFAULTS)) {
    const values: Record<string, string> = { ...services.defaultValues(), name, port: defaults.port, disabled: defaults.disabled }
    if (name.endsWith('-ssl')) values.certificate = 'none'
    services.spec.table.insert(values)
  }
  // What a router ships, marked as such (`default=yes`) so it cannot be removed: the logging actions
  // and rules, and RouterOS 6's OSPF instance and area (only where the menu has built-ins: not on 7).
  const builtIns = [
    ['/system/logging/action', LOGGING_ACTION_DEFAULTS],
    ['/system/logging', LOGGING_RULE_DEFAULTS],
    ['/routing/ospf/instance', [OSPF6_INSTANCE_DEFAULTS]],
    ['/routing/ospf/area', [OSPF6_AREA_DEFAULTS]],
  ] as const
  for (const [path, shipped] of builtIns) {
    const target = menu(path)
    if (!target.spec.builtin) continue
    for (const values of shipped) target.spec.table.insert({ ...target.defaultValues(), ...values, default: 'true' })
  }
  // Every settings menu (identity, DNS, ssh...) holds its one item from the start. The device's own
  // (resource, routerboard) are filled by the model and survive a reset, so only empty ones are seeded.
  for (const singleton of menus.values()) {
    if (singleton.singleton && singleton.spec.table.items.length === 0) singleton.spec.table.insert(singleton.defaultValues())
  }
}

/** MikroTik's defconf, trimmed to what the lab models. */
export function seedDefaultConfiguration(menus: ReadonlyMap<string, Menu>): void {
  const add = (path: string, args: Record<string, string>) => (menus.get(path) as Menu).add(new Map(Object.entries(args)))
  add('/interface/bridge', { name: 'bridge1', comment: 'defconf' })
  for (const port of ETHERNET_PORTS.slice(1)) add('/interface/bridge/port', { bridge: 'bridge1', interface: port, comment: 'defconf' })
  add('/interface/list', { name: 'WAN', comment: 'defconf' })
  add('/interface/list', { name: 'LAN', comment: 'defconf' })
  add('/interface/list/member', { list: 'LAN', interface: 'bridge1', comment: 'defconf' })
  add('/interface/list/member', { list: 'WAN', interface: 'ether1', comment: 'defconf' })
  add('/ip/address', { address: '192.168.88.1/24', interface: 'bridge1', comment: 'defconf' })
  add('/ip/pool', { name: 'default-dhcp', ranges: '192.168.88.10-192.168.88.254' })
  add('/ip/dhcp-server', { name: 'defconf', interface: 'bridge1', 'address-pool': 'default-dhcp' })
  add('/ip/dhcp-server/network', { address: '192.168.88.0/24', gateway: '192.168.88.1', 'dns-server': '192.168.88.1', comment: 'defconf' })
  add('/ip/dhcp-client', { interface: 'ether1', comment: 'defconf' })
  const filter = '/ip/firewall/filter'
  add(filter, { chain: 'input', action: 'accept', 'connection-state': 'established,related,untracked', comment: 'defconf: accept established,related,untracked' })
  add(filter, { chain: 'input', action: 'drop', 'connection-state': 'invalid', comment: 'defconf: drop invalid' })
  add(filter, { chain: 'input', action: 'accept', protocol: 'icmp', comment: 'defconf: accept ICMP' })
  add(filter, { chain: 'input', action: 'drop', 'in-interface': 'ether1', comment: 'defconf: drop all not coming from LAN' })
  add(filter, { chain: 'forward', action: 'fasttrack-connection', 'connection-state': 'established,related', comment: 'defconf: fasttrack' })
  add('/ip/firewall/nat', { chain: 'srcnat', action: 'masquerade', 'out-interface': 'ether1', comment: 'defconf: masquerade' })
  const set = (path: string, args: Record<string, string>) => {
    const menu = menus.get(path) as Menu
    menu.set(menu.items(), new Map(Object.entries(args)))
  }
  set('/ip/dns', { 'allow-remote-requests': 'yes' })
  // Neighbour discovery and MAC access only from the LAN, as defconf fences them.
  set('/ip/neighbor/discovery-settings', { 'discover-interface-list': 'LAN' })
  set('/tool/mac-server', { 'allowed-interface-list': 'LAN' })
  set('/tool/mac-server/mac-winbox', { 'allowed-interface-list': 'LAN' })
}
