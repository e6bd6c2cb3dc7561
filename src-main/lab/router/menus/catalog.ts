// The menus of the simulated router and their schemas, in the order RouterOS prints properties.
// Defaults here are RouterOS *software* defaults (what `reset-configuration no-defaults=yes`
// leaves); the default configuration (bridge, 192.168.88.1/24, firewall) is seeded by defconf.ts
// and therefore shows up in exports, as on a real router.
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { RouterTrap, TrapCategory } from '../contract'
import { type DeviceFacts, macAddress } from '../facts'
import { formatDate, formatDateTime, formatDuration, formatTime } from '../time'
import type { VersionTraits } from '../version'
import { arp, comment, disabled, type FieldEnv, type FieldSpec, flag, int, interfaceRef, invalid, noMatch, oneOf, parseFieldValue, readOnlyText, state, text } from './field'
import { Menu, type MenuSpec } from './menu'
import { formatId, type Item, parseId, Table } from './table'

export const FULL_POLICY = 'ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon'
const POLICIES = FULL_POLICY.split(',')
export const USER_GROUPS = ['full', 'read', 'write', 'noapi'] as const

export class RouterTables {
  readonly interfaces = new Table()
  readonly bridgePorts = new Table()
  readonly addresses = new Table()
  readonly filter = new Table()
  readonly nat = new Table()
  readonly mangle = new Table()
  readonly routes = new Table()
  readonly dns = new Table()
  readonly services = new Table()
  readonly identity = new Table()
  readonly clock = new Table()
  readonly resource = new Table()
  readonly routerboard = new Table()
  readonly scripts = new Table()
  readonly jobs = new Table()
  readonly scheduler = new Table()
  readonly files = new Table()
  readonly users = new Table()
  readonly log = new Table()
  readonly addressLists = new Table()
  readonly ntpClient = new Table()
  readonly snmp = new Table()
  readonly interfaceLists = new Table()
  readonly interfaceListMembers = new Table()
  readonly pools = new Table()
  readonly dhcpServers = new Table()
  readonly dhcpNetworks = new Table()
  readonly dhcpLeases = new Table()
  readonly dhcpClients = new Table()
  readonly simpleQueues = new Table()
  readonly neighborDiscovery = new Table()
  readonly macServer = new Table()
  readonly macWinbox = new Table()
  readonly macPing = new Table()
  readonly ssh = new Table()
  readonly bandwidthServer = new Table()
  readonly socks = new Table()
  readonly proxy = new Table()
  readonly upnp = new Table()
  readonly cloud = new Table()
  readonly loggingActions = new Table()
  readonly loggingRules = new Table()
  readonly wireguardPeers = new Table()
  readonly ospfInstances = new Table()
  readonly ospfAreas = new Table()
  readonly ospfTemplates = new Table()
  /** RouterOS 6's `/routing ospf network` and `/routing ospf interface` (configuration there, status on 7). */
  readonly ospfNetworks = new Table()
  readonly ospfInterfaceSettings = new Table()
  /** OSPF's status menus: the lab forms no adjacency, so they stay empty (not configuration). */
  readonly ospfNeighbors = new Table()
  readonly ospfInterfaces = new Table()

  /** Tables that hold configuration (cleared by a configuration reset). */
  configuration(): Table[] {
    return [
      this.interfaces, this.bridgePorts, this.addresses, this.filter, this.nat, this.mangle, this.routes, this.dns, this.services, this.identity,
      this.clock, this.scripts, this.scheduler, this.addressLists, this.ntpClient, this.snmp, this.interfaceLists,
      this.interfaceListMembers, this.pools, this.dhcpServers, this.dhcpNetworks, this.dhcpLeases, this.dhcpClients,
      this.simpleQueues, this.neighborDiscovery, this.macServer, this.macWinbox, this.macPing, this.ssh, this.bandwidthServer,
      this.socks, this.proxy, this.upnp, this.wireguardPeers, this.ospfInstances, this.ospfAreas, this.ospfTemplates,
      this.ospfNetworks, this.ospfInterfaceSettings, this.cloud, this.loggingActions, this.loggingRules,
    ]
  }

  /** The interface a stored reference (`*3`, canonical as interface fields store it) points at. */
  interfaceById(ref: string | undefined): Item | undefined {
    const id = ref === undefined ? undefined : parseId(ref)
    const item = id === undefined ? undefined : this.interfaces.byId(id)
    // Only the canonical spelling names an item (`*03` or `*1a` do not), as stored references are.
    return item && formatId(item.id) === ref ? item : undefined
  }
}

export interface CatalogHost {
  readonly tables: RouterTables
  readonly env: FieldEnv
  readonly traits: VersionTraits
  readonly facts: DeviceFacts
  now(): number
  uptimeMs(): number
  /** The scheduler's next firing of an item, printed as `next-run`. */
  nextRunOf(item: Readonly<Record<string, string>>): number | undefined
  /** Script jobs abort their script when removed. */
  stopJob(item: Item): void
}

const IPV4_NETWORK = (prefixed: string) => {
  const [address, prefix] = prefixed.split('/')
  const bits = Number(prefix)
  const n = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0)
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
  const net = (n & mask) >>> 0
  return [24, 16, 8, 0].map((shift) => (net >>> shift) & 255).join('.')
}

/**
 * Filter and NAT rules: the same matchers and counters around each chain's own actions, protocols
 * and extra properties (`middle`), in the order RouterOS prints them.
 */
function firewallRule(actions: readonly string[], protocols: readonly string[], middle: readonly FieldSpec[]): FieldSpec[] {
  return [
    text('chain', { required: true, exportAlways: true }),
    oneOf('action', actions, { default: 'accept', exportAlways: true }),
    text('src-address'),
    text('dst-address'),
    text('src-address-list'),
    text('dst-address-list'),
    text('address-list'),
    text('address-list-timeout'),
    oneOf('protocol', protocols),
    { name: 'src-port', kind: 'port' },
    { name: 'dst-port', kind: 'port' },
    interfaceRef('in-interface', { negatable: true }),
    interfaceRef('out-interface', { negatable: true }),
    ...middle,
    flag('log', false),
    text('log-prefix', { default: '' }),
    state('bytes', () => '0'),
    state('packets', () => '0'),
    state('invalid', () => 'false', 'bool'),
    state('dynamic', () => 'false', 'bool'),
    disabled(),
    comment(),
  ]
}

const RATE_UNITS: ReadonlyArray<[string, number]> = [['G', 1e9], ['M', 1e6], ['k', 1e3]]

/** One direction of a simple queue's rate (`10M`, `1500k`, `2000000`) in bits per second; undefined if it is not one. */
function parseRate(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([kKMG]?)$/.exec(text)
  if (!match) return undefined
  const unit = match[2] === '' ? 1 : (RATE_UNITS.find(([suffix]) => suffix.toLowerCase() === match[2]!.toLowerCase())?.[1] ?? 1)
  return Math.round(Number(match[1]) * unit)
}

/** Bits per second as RouterOS prints them: the largest unit that divides them exactly (`10M`, `1500k`). */
function formatRate(bits: number): string {
  if (bits === 0) return '0'
  const unit = RATE_UNITS.find(([, size]) => bits % size === 0)
  return unit ? `${bits / unit[1]}${unit[0]}` : String(bits)
}

/**
 * A simple queue's upload/download pairs (`max-limit=10M/20M`), checked and written back in the
 * router's canonical form; `check` turns one direction into its stored text, or undefined.
 */
function canonicalPairs(values: Record<string, string>, names: readonly string[], check: (side: string) => string | undefined): void {
  for (const name of names) {
    const raw = values[name]
    if (raw === undefined) continue
    const sides = raw.split('/')
    const canonical = sides.length === 2 ? sides.map(check) : []
    if (canonical.length !== 2 || canonical.includes(undefined)) {
      throw invalid(name)
    }
    values[name] = canonical.join('/')
  }
}

/** A DER PKCS#8 wrapping of a raw X25519 private key: what node:crypto imports without a JWK's public half. */
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')

/** A WireGuard key as RouterOS shows it: 32 bytes in base64 (44 characters); undefined if `text` is not one. */
function wireguardKeyBytes(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text)) return undefined
  const bytes = Buffer.from(text, 'base64')
  return bytes.length === 32 ? bytes : undefined
}

/** The public key of a WireGuard private key (X25519, as `wg pubkey` computes it). */
export function wireguardPublicKey(privateKey: string): string | undefined {
  const bytes = wireguardKeyBytes(privateKey)
  if (!bytes) return undefined
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, bytes]), format: 'der', type: 'pkcs8' })
  return (createPublicKey(key).export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32).toString('base64')
}

/** A new private key from the router's seeded generator, clamped as X25519 keys are. */
function newWireguardPrivateKey(random: () => number): string {
  const bytes = Buffer.from(Array.from({ length: 32 }, () => Math.floor(random() * 256)))
  bytes[0]! &= 248
  bytes[31] = (bytes[31]! & 127) | 64
  return bytes.toString('base64')
}

/** The port a new WireGuard interface listens on when none is given: 13231, or the next free one. */
function freeWireguardPort(tables: RouterTables): string {
  const taken = new Set(tables.interfaces.items.filter((item) => item.values.type === 'wg').map((item) => item.values['listen-port']))
  let port = 13231
  while (taken.has(String(port))) port++
  return String(port)
}

/** The interface lists every router has without a `/interface list add`. */
const BUILTIN_INTERFACE_LISTS = ['all', 'none', 'dynamic', 'static']

export function buildMenus(host: CatalogHost): Map<string, Menu> {
  const { tables, env, traits, facts } = host
  const isTrue = (value: string | undefined) => value === 'true'
  /** `invalid`: the interface the item runs on is gone (RouterOS keeps the item, marked so). */
  const interfaceGone = () => state('invalid', (v) => String(!tables.interfaceById(v.interface)), 'bool')
  // The lab has no ISP: a PPPoE client dials and never connects.
  const running = () => state('running', (v) => String(!isTrue(v.disabled) && v.type !== 'pppoe-out'), 'bool')
  const dateTime = (ms: number) => formatDateTime(ms, traits.isoDates)
  /**
   * Refuses `values[field]` unless it is one of `builtin` or the name of an item of `table` (other
   * than `self`, the item being set): a pool, an interface list, a parent queue, in the router's words.
   */
  const mustName = (values: Record<string, string>, field: string, table: Table, builtin: readonly string[], self?: Item) => {
    const name = values[field]
    if (name === undefined || builtin.includes(name)) return
    if (!table.items.some((item) => item !== self && item.values.name === name)) throw noMatch(field)
  }
  /** Writes `values[field]`, a comma-separated list of prefixes, in the router's form (a bare address is a /32). */
  const prefixList = (values: Record<string, string>, field: string) => {
    values[field] = (values[field] ? values[field].split(',') : []).map((prefix) => parseFieldValue({ name: field, kind: 'ip-prefix' }, prefix, env)).join(',')
  }
  /** A `prepare` that refuses an interface list the router does not have. */
  const interfaceListIn = (field: string) => (values: Record<string, string>) => mustName(values, field, tables.interfaceLists, BUILTIN_INTERFACE_LISTS)

  /** What every menu of one interface kind shares: the interfaces table, filtered and stamped by `type`, keyed by name. */
  const interfaceKind = (type: string, autoName: string) =>
    ({ table: tables.interfaces, filter: (v: Readonly<Record<string, string>>) => v.type === type, fixed: { type }, key: 'name', entity: 'interface', autoName }) as const
  /** Refuses `values[field]` unless it is `word` (`auto`, `disabled`) or a whole number in `min..max`. */
  const wordOrNumber = (values: Record<string, string>, field: string, word: string, min: number, max: number) => {
    const value = values[field]
    if (value === undefined || value === word) return
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw invalid(field)
  }
  /** `/interface pppoe-client`: a WAN interface an ISP's concentrator would bring up (the lab has none). */
  const pppoeClientMenu = (): MenuSpec => ({
    path: '/interface/pppoe-client',
    ...interfaceKind('pppoe-out', 'pppoe-out'),
    fields: [
      text('name'),
      text('max-mtu', { default: 'auto' }),
      text('max-mru', { default: 'auto' }),
      text('mrru', { default: 'disabled' }),
      interfaceRef('interface', { required: true, exportAlways: true }),
      text('user', { default: '' }),
      { ...text('password', { default: '' }), sensitive: true },
      text('profile', { default: 'default' }),
      int('keepalive-timeout', { min: 0, max: 4_294_967_295, default: '10' }),
      text('service-name', { default: '' }),
      text('ac-name', { default: '' }),
      flag('add-default-route', false),
      int('default-route-distance', { min: 0, max: 255, default: '1' }),
      flag('dial-on-demand', false),
      flag('use-peer-dns', false),
      { name: 'allow', kind: 'list', values: ['mschap2', 'mschap1', 'chap', 'pap'], default: 'pap,chap,mschap1,mschap2' },
      running(),
      interfaceGone(),
      // Unlike every other interface, a PPPoE client is added disabled unless `disabled=no` is given.
      flag('disabled', true),
      comment(),
    ],
    prepare: (values) => {
      wordOrNumber(values, 'max-mtu', 'auto', 64, 65535)
      wordOrNumber(values, 'max-mru', 'auto', 64, 65535)
      wordOrNumber(values, 'mrru', 'disabled', 512, 65535)
    },
  })

  /** `/interface wireguard` (its private key a secret, its public key derived) and its peers. */
  const wireguardMenus = (): MenuSpec[] => [
    {
      path: '/interface/wireguard',
      ...interfaceKind('wg', 'wireguard'),
      fields: [
        text('name'),
        // RouterOS writes a WireGuard interface's mtu into every export, default or not.
        int('mtu', { min: 68, max: 65535, default: '1420', exportAlways: true }),
        int('listen-port', { min: 1, max: 65535, exportAlways: true }),
        { ...text('private-key'), sensitive: true },
        state('public-key', (v) => wireguardPublicKey(v['private-key'] ?? '')),
        running(),
        disabled(),
        comment(),
      ],
      prepare: (values) => {
        if (values['private-key'] === undefined) values['private-key'] = newWireguardPrivateKey(facts.random)
        else if (!wireguardKeyBytes(values['private-key'])) {
          throw invalid('private-key')
        }
        values['listen-port'] ??= freeWireguardPort(tables)
      },
    },
    {
      path: '/interface/wireguard/peers',
      table: tables.wireguardPeers,
      fields: [
        interfaceRef('interface', { required: true, exportAlways: true }),
        text('public-key', { required: true, exportAlways: true }),
        { ...text('preshared-key'), sensitive: true },
        { name: 'allowed-address', kind: 'list', default: '' },
        text('endpoint-address', { default: '' }),
        int('endpoint-port', { min: 0, max: 65535, default: '0' }),
        { name: 'persistent-keepalive', kind: 'duration', default: '0s' },
        state('current-endpoint-address', () => ''),
        state('current-endpoint-port', () => '0'),
        state('rx', () => '0'),
        state('tx', () => '0'),
        disabled(),
        comment(),
      ],
      prepare: (values) => {
        if (tables.interfaceById(values.interface)?.values.type !== 'wg') {
          throw noMatch('interface')
        }
        for (const name of ['public-key', 'preshared-key']) {
          if (values[name] !== undefined && !wireguardKeyBytes(values[name])) {
            throw invalid(name)
          }
        }
        prefixList(values, 'allowed-address')
      },
    },
  ]

  /**
   * What RouterOS ships (`default=yes`), seeded by defconf.ts: the four logging actions and four
   * rules, and RouterOS 6's OSPF `default` instance and `backbone` area.
   */
  const shipped = () => state('default', (v) => v.default ?? 'false', 'bool')
  /** RouterOS 7 writes `disabled=no` into its routing menus' exports, default or not. */
  const routingDisabled = () => flag('disabled', false, { exportAlways: true })
  /** What an OSPF area is, the same on 6 and 7: its id (0.0.0.0 is the backbone) and its kind. */
  const ospfAreaKind = (): FieldSpec[] => [{ name: 'area-id', kind: 'ip', default: '0.0.0.0' }, oneOf('type', ['default', 'stub', 'nssa'], { default: 'default' })]
  /** The hello and dead timers of an OSPF interface, with the same defaults on 6 and 7. */
  const ospfTimers = (): FieldSpec[] => [{ name: 'hello-interval', kind: 'duration', default: '10s' }, { name: 'dead-interval', kind: 'duration', default: '40s' }]
  /** A read-only status menu: the lab forms no adjacency, so it prints empty and takes nothing. */
  const ospfStatusMenu = (path: string, table: Table, names: readonly string[]): MenuSpec => ({ path, table, canAdd: false, canRemove: false, fields: names.map((name) => readOnlyText(name)) })
  /**
   * RouterOS 7's OSPF: an instance, its areas, and the interface templates that say where it runs
   * (no default instance or area, unlike 6). Each names the one before it, so a template cannot
   * name an area that is not there.
   */
  const ospfMenus = (): MenuSpec[] => [
    {
      path: '/routing/ospf/instance',
      table: tables.ospfInstances,
      key: 'name',
      entity: 'instance',
      autoName: 'ospf-instance-',
      fields: [
        text('name', { exportAlways: true }),
        oneOf('version', ['2', '3'], { default: '2' }),
        text('vrf', { default: 'main' }),
        // An address, or `main`, the router's own /routing id (other ids are not modeled, so refused).
        text('router-id', { default: 'main' }),
        oneOf('originate-default', ['always', 'if-installed', 'never'], { default: 'never' }),
        { name: 'redistribute', kind: 'list', values: ['bgp', 'connected', 'copy', 'dhcp', 'fantasy', 'modem', 'ospf', 'rip', 'static', 'vpn'], default: '' },
        text('in-filter-chain', { default: '' }),
        text('out-filter-chain', { default: '' }),
        routingDisabled(),
        comment(),
      ],
      prepare: (values) => {
        const routerId = values['router-id']
        if (routerId !== undefined && routerId !== 'main') parseFieldValue({ name: 'router-id', kind: 'ip' }, routerId, env)
      },
    },
    {
      path: '/routing/ospf/area',
      table: tables.ospfAreas,
      key: 'name',
      entity: 'area',
      autoName: 'ospf-area-',
      fields: [text('name', { exportAlways: true }), text('instance', { required: true, exportAlways: true }), ...ospfAreaKind(), routingDisabled(), comment()],
      prepare: (values) => mustName(values, 'instance', tables.ospfInstances, []),
    },
    {
      path: '/routing/ospf/interface-template',
      table: tables.ospfTemplates,
      fields: [
        text('area', { required: true, exportAlways: true }),
        { name: 'networks', kind: 'list', default: '' },
        { name: 'interfaces', kind: 'list', default: '' },
        int('cost', { min: 1, max: 65535, default: '1' }),
        int('priority', { min: 0, max: 255, default: '128' }),
        oneOf('type', ['broadcast', 'nbma', 'ptp', 'ptmp', 'ptp-unnumbered', 'virtual-link'], { default: 'broadcast' }),
        flag('passive', false, { bare: true }),
        ...ospfTimers(),
        routingDisabled(),
        comment(),
      ],
      prepare: (values) => {
        mustName(values, 'area', tables.ospfAreas, [])
        prefixList(values, 'networks')
        // An interface by name, or an interface list (`LAN`), as the router takes them.
        for (const name of values.interfaces ? values.interfaces.split(',') : []) {
          if (env.interfaceIdByName(name) === undefined) mustName({ interfaces: name }, 'interfaces', tables.interfaceLists, BUILTIN_INTERFACE_LISTS)
        }
      },
    },
    // Status, not configuration: what a check after the change prints (`/routing ospf neighbor print`).
    ospfStatusMenu('/routing/ospf/neighbor', tables.ospfNeighbors, ['instance', 'area', 'address', 'router-id', 'state', 'adjacency']),
    ospfStatusMenu('/routing/ospf/interface', tables.ospfInterfaces, ['area', 'address', 'interface', 'state', 'cost', 'priority']),
  ]

  /** `as-type-1|as-type-2|no`: whether, and as which external type, RouterOS 6's OSPF redistributes a kind of route. */
  const redistribute6 = (name: string) => oneOf(name, ['as-type-1', 'as-type-2', 'no'], { default: 'no' })
  /**
   * RouterOS 6's OSPF (MikroTik's wiki, "Manual:Routing/OSPF"): it ships a `default` instance and,
   * in it, the `backbone` area (`default=yes`, seeded by defconf.ts, never removed); networks say
   * where OSPF runs and `/routing ospf interface` holds per-interface settings (on 7 that path
   * is a status menu). Each names the one before it, as on 7.
   */
  const ospf6Menus = (): MenuSpec[] => [
    {
      path: '/routing/ospf/instance',
      table: tables.ospfInstances,
      key: 'name',
      entity: 'instance',
      builtin: true,
      fields: [
        text('name', { required: true, exportAlways: true }),
        { name: 'router-id', kind: 'ip', default: '0.0.0.0' },
        oneOf('distribute-default', ['never', 'if-installed-as-type-1', 'if-installed-as-type-2', 'always-as-type-1', 'always-as-type-2'], { default: 'never' }),
        redistribute6('redistribute-connected'),
        redistribute6('redistribute-static'),
        redistribute6('redistribute-rip'),
        redistribute6('redistribute-bgp'),
        redistribute6('redistribute-other-ospf'),
        int('metric-default', { min: 0, max: 4_294_967_295, default: '1' }),
        int('metric-connected', { min: 0, max: 4_294_967_295, default: '20' }),
        int('metric-static', { min: 0, max: 4_294_967_295, default: '20' }),
        int('metric-rip', { min: 0, max: 4_294_967_295, default: '20' }),
        // A number, or `auto`: the route's own metric (BGP's MED, the other instance's cost).
        text('metric-bgp', { default: 'auto' }),
        text('metric-other-ospf', { default: 'auto' }),
        text('in-filter', { default: 'ospf-in' }),
        text('out-filter', { default: 'ospf-out' }),
        shipped(),
        disabled(),
        comment(),
      ],
      prepare: (values) => {
        wordOrNumber(values, 'metric-bgp', 'auto', 0, 4_294_967_295)
        wordOrNumber(values, 'metric-other-ospf', 'auto', 0, 4_294_967_295)
      },
    },
    {
      path: '/routing/ospf/area',
      table: tables.ospfAreas,
      key: 'name',
      entity: 'area',
      builtin: true,
      fields: [text('name', { required: true, exportAlways: true }), text('instance', { default: 'default' }), ...ospfAreaKind(), shipped(), disabled(), comment()],
      prepare: (values) => mustName(values, 'instance', tables.ospfInstances, []),
    },
    {
      path: '/routing/ospf/network',
      table: tables.ospfNetworks,
      fields: [
        { name: 'network', kind: 'ip-prefix', required: true, exportAlways: true },
        // Every published RouterOS 6 export writes the area, backbone or not.
        text('area', { default: 'backbone', exportAlways: true }),
        state('dynamic', () => 'false', 'bool'),
        disabled(),
        comment(),
      ],
      prepare: (values) => mustName(values, 'area', tables.ospfAreas, []),
    },
    {
      path: '/routing/ospf/interface',
      table: tables.ospfInterfaceSettings,
      fields: [
        // An interface, or `all`: the settings of every interface without its own entry.
        interfaceRef('interface', { default: 'all', values: ['all'] }),
        int('cost', { min: 1, max: 65535, default: '10' }),
        int('priority', { min: 0, max: 255, default: '1' }),
        oneOf('authentication', ['none', 'simple', 'md5'], { default: 'none' }),
        { ...text('authentication-key', { default: '' }), sensitive: true },
        oneOf('network-type', ['default', 'broadcast', 'nbma', 'point-to-point', 'ptmp'], { default: 'default' }),
        flag('passive', false),
        ...ospfTimers(),
        { name: 'retransmit-interval', kind: 'duration', default: '5s' },
        { name: 'transmit-delay', kind: 'duration', default: '1s' },
        state('dynamic', () => 'false', 'bool'),
        disabled(),
        comment(),
      ],
    },
    ospfStatusMenu('/routing/ospf/neighbor', tables.ospfNeighbors, ['instance', 'router-id', 'address', 'interface', 'priority', 'dr-address', 'backup-dr-address', 'state', 'adjacency']),
  ]

  /** DDNS is asked for: `yes` (7.17+'s `auto` means only while Back To Home is on, which the lab has not). */
  const ddnsOn = (v: Readonly<Record<string, string>>) => v['ddns-enabled'] === 'yes' || v['ddns-enabled'] === 'true'
  /**
   * `/ip cloud`: MikroTik's DDNS name and cloud time. The lab never reaches the cloud, so a router
   * that asks stays `updating...` and learns no public address; its name is shown anyway, so a
   * script that reads `dns-name` gets the one the device would have.
   */
  const ipCloudMenu = (): MenuSpec => ({
    path: '/ip/cloud',
    table: tables.cloud,
    singleton: true,
    fields: [
      traits.ddnsAuto ? text('ddns-enabled', { default: 'auto' }) : flag('ddns-enabled', false),
      text('ddns-update-interval', { default: 'none' }),
      flag('update-time', true),
      state('public-address', () => undefined),
      state('dns-name', (v) => (ddnsOn(v) ? `${facts.serialNumber.toLowerCase()}.sn.mynetname.net` : undefined)),
      state('status', (v) => (ddnsOn(v) ? 'updating...' : undefined)),
    ],
    prepare: (values) => {
      if (traits.ddnsAuto && !['auto', 'yes'].includes(values['ddns-enabled'] ?? '')) {
        throw new RouterTrap('invalid value of ddns-enabled, must be either yes or auto', TrapCategory.argumentValueFailure)
      }
      const interval = values['ddns-update-interval']
      if (interval !== undefined && interval !== 'none') values['ddns-update-interval'] = parseFieldValue({ name: 'ddns-update-interval', kind: 'duration' }, interval, env)
    },
  })
  /** `/system logging action` (where messages go) and `/system logging` (which topics go there). */
  const loggingMenus = (): MenuSpec[] => [
    {
      path: '/system/logging/action',
      table: tables.loggingActions,
      key: 'name',
      entity: 'action',
      builtin: true,
      fields: [
        text('name', { required: true, exportAlways: true }),
        oneOf('target', ['disk', 'echo', 'email', 'memory', 'remote'], { required: true, exportAlways: true }),
        int('memory-lines', { min: 1, max: 65535, default: '1000' }),
        flag('memory-stop-on-full', false),
        text('disk-file-name', { default: 'log' }),
        int('disk-lines-per-file', { min: 1, max: 65535, default: '1000' }),
        int('disk-file-count', { min: 1, max: 65535, default: '2' }),
        flag('disk-stop-on-full', false),
        { name: 'remote', kind: 'ip', default: '0.0.0.0' },
        int('remote-port', { min: 1, max: 65535, default: '514' }),
        { name: 'src-address', kind: 'ip', default: '0.0.0.0' },
        flag('bsd-syslog', false),
        oneOf('syslog-time-format', ['bsd-syslog', 'iso8601'], { default: 'bsd-syslog' }),
        text('syslog-facility', { default: 'daemon' }),
        text('syslog-severity', { default: 'auto' }),
        text('email-to', { default: '' }),
        flag('email-start-tls', false),
        flag('remember', true),
        shipped(),
        comment(),
      ],
    },
    {
      path: '/system/logging',
      table: tables.loggingRules,
      builtin: true,
      fields: [
        { name: 'topics', kind: 'list', default: '' },
        text('action', { default: 'memory' }),
        text('prefix', { default: '' }),
        state('invalid', (v) => String(!tables.loggingActions.items.some((action) => action.values.name === v.action)), 'bool'),
        shipped(),
        disabled(),
      ],
      prepare: (values) => mustName(values, 'action', tables.loggingActions, []),
    },
  ]

  const specs: MenuSpec[] = [
    {
      path: '/interface',
      table: tables.interfaces,
      key: 'name',
      entity: 'interface',
      canAdd: false,
      canRemove: false,
      fields: [
        text('name'),
        readOnlyText('default-name'),
        readOnlyText('type'),
        int('mtu', { min: 68, max: 65535 }),
        state('actual-mtu', (v) => v.mtu ?? '1500'),
        state('l2mtu', (v) => (v.type === 'ether' ? '1514' : v.type === 'vlan' ? '1510' : undefined)),
        readOnlyText('mac-address'),
        running(),
        state('slave', (_, id) => String(tables.bridgePorts.items.some((port) => port.values.interface === id)), 'bool'),
        disabled(),
        comment(),
      ],
    },
    {
      path: '/interface/ethernet',
      table: tables.interfaces,
      filter: (v) => v.type === 'ether',
      key: 'name',
      entity: 'interface',
      canAdd: false,
      canRemove: false,
      fields: [
        text('name'),
        readOnlyText('default-name'),
        int('mtu', { min: 68, max: 9500, default: '1500' }),
        readOnlyText('mac-address'),
        readOnlyText('orig-mac-address', { compute: (v) => v['mac-address'] }),
        arp(),
        flag('auto-negotiation', true),
        running(),
        disabled(),
        comment(),
      ],
    },
    {
      path: '/interface/bridge',
      ...interfaceKind('bridge', 'bridge'),
      fields: [
        text('name'),
        int('mtu', { min: 68, max: 65535 }),
        state('actual-mtu', (v) => v.mtu ?? '1500'),
        arp(),
        readOnlyText('mac-address'),
        oneOf('protocol-mode', ['none', 'stp', 'rstp', 'mstp'], { default: 'rstp' }),
        flag('vlan-filtering', false),
        flag('auto-mac', true),
        running(),
        disabled(),
        comment(),
      ],
      prepare: (values) => {
        values['mac-address'] ??= macAddress(facts, tables.interfaces.items.length + 8)
      },
    },
    {
      path: '/interface/vlan',
      ...interfaceKind('vlan', 'vlan'),
      fields: [
        text('name'),
        int('mtu', { min: 68, max: 65535, default: '1500' }),
        arp(),
        readOnlyText('mac-address'),
        int('vlan-id', { min: 1, max: 4094, required: true, exportAlways: true }),
        interfaceRef('interface', { required: true, exportAlways: true }),
        flag('use-service-tag', false),
        running(),
        disabled(),
        comment(),
      ],
      prepare: (values) => {
        const parent = tables.interfaceById(values.interface)
        values['mac-address'] = parent?.values['mac-address'] ?? '00:00:00:00:00:00'
      },
    },
    pppoeClientMenu(),
    // WireGuard came with RouterOS 7; on 6 these menus do not exist (`bad command name`).
    ...(traits.major >= 7 ? wireguardMenus() : []),
    {
      path: '/interface/bridge/port',
      table: tables.bridgePorts,
      fields: [
        interfaceRef('interface', { required: true, exportAlways: true }),
        interfaceRef('bridge', { required: true, exportAlways: true }),
        int('pvid', { min: 1, max: 4094, default: '1' }),
        flag('hw', true, { noExport: true }),
        state('inactive', () => 'false', 'bool'),
        state('dynamic', () => 'false', 'bool'),
        disabled(),
        comment(),
      ],
    },
    {
      path: '/ip/address',
      table: tables.addresses,
      fields: [
        { name: 'address', kind: 'ip-prefix', required: true, exportAlways: true },
        { name: 'network', kind: 'ip', exportAlways: true },
        interfaceRef('interface', { required: true, exportAlways: true }),
        state('actual-interface', (v) => env.interfaceNameById(v.interface) ?? v.interface),
        state(
          'invalid',
          (v) => {
            const target = tables.interfaceById(v.interface)
            return String(!target || isTrue(target.values.disabled))
          },
          'bool',
        ),
        state('dynamic', () => 'false', 'bool'),
        disabled(),
        comment(),
      ],
      prepare: (values, previous) => {
        const moved = previous && previous.values.address !== values.address && previous.values.network === values.network
        if (values.network === undefined || moved) values.network = IPV4_NETWORK(values.address)
      },
    },
    {
      path: '/ip/firewall/filter',
      table: tables.filter,
      fields: firewallRule(
        ['accept', 'drop', 'reject', 'jump', 'return', 'log', 'passthrough', 'tarpit', 'fasttrack-connection', 'add-src-to-address-list', 'add-dst-to-address-list'],
        ['tcp', 'udp', 'icmp', 'icmpv6', 'gre', 'ipsec-esp', 'ipsec-ah', 'ospf', 'igmp', 'sctp'],
        [text('in-interface-list'), text('connection-state'), text('jump-target'), text('reject-with')],
      ),
    },
    {
      path: '/ip/firewall/nat',
      table: tables.nat,
      fields: firewallRule(
        ['accept', 'masquerade', 'dst-nat', 'src-nat', 'netmap', 'redirect', 'return', 'jump', 'passthrough', 'log'],
        ['tcp', 'udp', 'icmp', 'gre'],
        [text('out-interface-list'), text('to-addresses'), { name: 'to-ports', kind: 'port' }],
      ),
    },
    {
      // Marks for policy routing and queues (dual WAN, PCC); passthrough lets later rules see the packet too.
      path: '/ip/firewall/mangle',
      table: tables.mangle,
      fields: firewallRule(
        [
          'accept', 'add-dst-to-address-list', 'add-src-to-address-list', 'change-dscp', 'change-mss', 'change-ttl', 'clear-df',
          'fasttrack-connection', 'jump', 'log', 'mark-connection', 'mark-packet', 'mark-routing', 'passthrough', 'return', 'route',
          'set-priority', 'sniff-pc', 'sniff-tzsp', 'strip-ipv4-options',
        ],
        ['tcp', 'udp', 'icmp', 'gre'],
        [
          text('in-interface-list'),
          text('out-interface-list'),
          text('src-address-type'),
          text('dst-address-type'),
          text('connection-state'),
          text('connection-mark'),
          text('packet-mark'),
          text('routing-mark'),
          text('per-connection-classifier'),
          text('new-connection-mark'),
          text('new-packet-mark'),
          text('new-routing-mark'),
          text('new-mss'),
          text('tcp-flags'),
          text('jump-target'),
          flag('passthrough', true),
        ],
      ),
    },
    {
      path: '/ip/route',
      table: tables.routes,
      fields: [
        { name: 'dst-address', kind: 'ip-prefix', default: '0.0.0.0/0', exportAlways: true },
        text('gateway', { exportAlways: true }),
        int('distance', { min: 1, max: 255, default: '1' }),
        int('scope', { min: 0, max: 255, default: '30' }),
        int('target-scope', { min: 0, max: 255, default: '10' }),
        text('routing-table', { default: 'main' }),
        state('active', (v) => String(v.disabled !== 'true'), 'bool'),
        state('dynamic', () => 'false', 'bool'),
        state('static', () => 'true', 'bool'),
        disabled(),
        comment(),
      ],
    },
    {
      path: '/ip/dns',
      table: tables.dns,
      singleton: true,
      fields: [
        { name: 'servers', kind: 'list', default: '' },
        flag('allow-remote-requests', false),
        int('cache-size', { min: 64, max: 4_194_304, default: '2048' }),
        state('cache-used', () => '24'),
        text('cache-max-ttl', { default: '1w' }),
      ],
    },
    {
      // A branch office's usual lists: management subnets, blocked hosts.
      path: '/ip/firewall/address-list',
      table: tables.addressLists,
      fields: [
        text('list', { required: true, exportAlways: true }),
        text('address', { required: true, exportAlways: true }),
        text('timeout'),
        state('creation-time', () => formatDateTime(host.now(), traits.isoDates)),
        state('dynamic', () => 'false', 'bool'),
        disabled(),
        comment(),
      ],
    },
    {
      path: '/ip/pool',
      table: tables.pools,
      fields: [text('name', { required: true, exportAlways: true }), text('ranges', { required: true, exportAlways: true }), text('next-pool', { default: 'none' }), comment()],
    },
    {
      // A LAN's DHCP server hands out addresses from a pool, so the pool must exist first (the
      // export writes /ip pool before /ip dhcp-server for that reason).
      path: '/ip/dhcp-server',
      table: tables.dhcpServers,
      key: 'name',
      entity: 'dhcp server',
      autoName: 'dhcp',
      fields: [
        text('name', { exportAlways: true }),
        interfaceRef('interface', { required: true, exportAlways: true }),
        // RouterOS 7 leases for 30 minutes by default; 6 for 10.
        { name: 'lease-time', kind: 'duration', default: traits.major >= 7 ? '30m' : '10m' },
        text('address-pool', { default: 'static-only' }),
        oneOf('authoritative', ['after-10sec-delay', 'after-2sec-delay', 'yes', 'no'], { default: 'yes' }),
        flag('add-arp', false),
        oneOf('use-radius', ['no', 'yes', 'accounting'], { default: 'no' }),
        text('lease-script', { default: '' }),
        interfaceGone(),
        state('dynamic', () => 'false', 'bool'),
        disabled(),
        comment(),
      ],
      prepare: (values) => mustName(values, 'address-pool', tables.pools, ['static-only']),
    },
    {
      path: '/ip/dhcp-server/network',
      table: tables.dhcpNetworks,
      fields: [
        { name: 'address', kind: 'ip-prefix', required: true, exportAlways: true },
        { name: 'gateway', kind: 'list', default: '' },
        int('netmask', { min: 0, max: 32 }),
        { name: 'dns-server', kind: 'list', default: '' },
        text('domain', { default: '' }),
        { name: 'ntp-server', kind: 'list', default: '' },
        { name: 'wins-server', kind: 'list', default: '' },
        state('dynamic', () => 'false', 'bool'),
        comment(),
      ],
    },
    {
      // Static leases (the ones an engineer adds); the lab hands out no dynamic ones.
      path: '/ip/dhcp-server/lease',
      table: tables.dhcpLeases,
      fields: [
        { name: 'address', kind: 'ip', required: true, exportAlways: true },
        text('mac-address', { required: true, exportAlways: true }),
        text('client-id'),
        text('server', { default: 'all' }),
        text('lease-time', { default: '0s' }),
        state('status', () => 'waiting'),
        state('dynamic', () => 'false', 'bool'),
        state('blocked', () => 'false', 'bool'),
        disabled(),
        comment(),
      ],
      prepare: (values) => {
        if (!/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/i.test(values['mac-address'] ?? '')) {
          throw invalid('mac-address')
        }
        values['mac-address'] = values['mac-address']!.toUpperCase()
      },
    },
    {
      // The WAN side: the lab has no DHCP server upstream, so a client stays searching.
      path: '/ip/dhcp-client',
      table: tables.dhcpClients,
      fields: [
        interfaceRef('interface', { required: true, exportAlways: true }),
        oneOf('add-default-route', ['yes', 'no', 'special-classless'], { default: 'yes' }),
        int('default-route-distance', { min: 0, max: 255, default: '1' }),
        flag('use-peer-dns', true),
        flag('use-peer-ntp', true),
        text('dhcp-options', { default: 'hostname,clientid' }),
        state('status', (v) => (isTrue(v.disabled) ? 'stopped' : 'searching...')),
        interfaceGone(),
        state('dynamic', () => 'false', 'bool'),
        disabled(),
        comment(),
      ],
      prepare: (values, previous) => {
        const clash = tables.dhcpClients.items.find((item) => item !== previous && item.values.interface === values.interface)
        if (clash) throw new RouterTrap('failure: dhcp-client on that interface already exists')
      },
    },
    // The same paths are another tree on RouterOS 6 (a default instance, `/routing ospf network`).
    ...(traits.major >= 7 ? ospfMenus() : ospf6Menus()),
    {
      // Bandwidth per customer or subnet; each pair is upload/download, as RouterOS writes it.
      path: '/queue/simple',
      table: tables.simpleQueues,
      key: 'name',
      entity: 'queue',
      autoName: 'queue',
      fields: [
        text('name', { exportAlways: true }),
        { name: 'target', kind: 'list', default: '' },
        text('parent', { default: 'none' }),
        text('packet-marks', { default: '' }),
        text('priority', { default: '8/8' }),
        text('queue', { default: 'default-small/default-small' }),
        text('limit-at', { default: '0/0' }),
        text('max-limit', { default: '0/0' }),
        text('burst-limit', { default: '0/0' }),
        text('burst-threshold', { default: '0/0' }),
        text('burst-time', { default: '0s/0s' }),
        text('bucket-size', { default: '0.1/0.1' }),
        state('rate', () => '0/0'),
        state('packet-rate', () => '0/0'),
        state('invalid', () => 'false', 'bool'),
        state('dynamic', () => 'false', 'bool'),
        disabled(),
        comment(),
      ],
      prepare: (values, previous) => {
        canonicalPairs(values, ['limit-at', 'max-limit', 'burst-limit', 'burst-threshold'], (side) => {
          const bits = parseRate(side)
          return bits === undefined ? undefined : formatRate(bits)
        })
        canonicalPairs(values, ['priority'], (side) => (/^[1-8]$/.test(side) ? side : undefined))
        // A target is an address (a bare one is a /32) or an interface, as the router keeps it.
        const targets = values.target ? values.target.split(',') : []
        values.target = targets
          .map((target) => {
            if (/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(target)) return parseFieldValue({ name: 'target', kind: 'ip-prefix' }, target, env)
            if (env.interfaceIdByName(target) !== undefined) return target
            throw noMatch('target')
          })
          .join(',')
        mustName(values, 'parent', tables.simpleQueues, ['none'], previous)
      },
    },
    // The services a new router is hardened by turning off or fencing to the LAN (MikroTik's
    // "Securing your router" guide): each a singleton, with RouterOS 7's software defaults.
    {
      path: '/ip/neighbor/discovery-settings',
      table: tables.neighborDiscovery,
      singleton: true,
      fields: [
        text('discover-interface-list', { default: 'all' }),
        { name: 'protocol', kind: 'list', values: ['cdp', 'lldp', 'mndp'], default: 'cdp,lldp,mndp' },
        oneOf('mode', ['rx-only', 'tx-only', 'tx-and-rx'], { default: 'tx-and-rx' }),
        text('lldp-med-net-policy-vlan', { default: 'disabled' }),
      ],
      prepare: interfaceListIn('discover-interface-list'),
    },
    {
      path: '/tool/mac-server',
      table: tables.macServer,
      singleton: true,
      fields: [text('allowed-interface-list', { default: 'all' })],
      prepare: interfaceListIn('allowed-interface-list'),
    },
    {
      path: '/tool/mac-server/mac-winbox',
      table: tables.macWinbox,
      singleton: true,
      fields: [text('allowed-interface-list', { default: 'all' })],
      prepare: interfaceListIn('allowed-interface-list'),
    },
    {
      path: '/tool/mac-server/ping',
      table: tables.macPing,
      singleton: true,
      fields: [flag('enabled', true)],
    },
    {
      path: '/ip/ssh',
      table: tables.ssh,
      singleton: true,
      fields: [
        oneOf('forwarding-enabled', ['no', 'both', 'local', 'remote'], { default: 'no' }),
        flag('always-allow-password-login', false),
        flag('strong-crypto', false),
        flag('allow-none-crypto', false),
        int('host-key-size', { min: 1024, max: 8192, default: '2048' }),
        // ed25519 host keys came with RouterOS 7.
        ...(traits.major >= 7 ? [oneOf('host-key-type', ['rsa', 'ed25519'], { default: 'rsa' })] : []),
      ],
    },
    {
      path: '/tool/bandwidth-server',
      table: tables.bandwidthServer,
      singleton: true,
      fields: [flag('enabled', true), flag('authenticate', true), int('allocate-udp-ports-from', { min: 1000, max: 65535, default: '2000' }), int('max-sessions', { min: 1, max: 1000, default: '100' })],
    },
    {
      path: '/ip/socks',
      table: tables.socks,
      singleton: true,
      fields: [flag('enabled', false), int('port', { min: 1, max: 65535, default: '1080' }), oneOf('version', ['4', '5'], { default: '4' }), int('max-connections', { min: 1, max: 10000, default: '200' })],
    },
    {
      path: '/ip/proxy',
      table: tables.proxy,
      singleton: true,
      fields: [flag('enabled', false), int('port', { min: 1, max: 65535, default: '8080' }), flag('anonymous', false), flag('cache-on-disk', false)],
    },
    {
      path: '/ip/upnp',
      table: tables.upnp,
      singleton: true,
      fields: [flag('enabled', false), flag('allow-disable-external-interface', false), flag('show-dummy-rule', true)],
    },
    ipCloudMenu(),
    {
      path: '/interface/list',
      table: tables.interfaceLists,
      fields: [text('name', { required: true, exportAlways: true }), text('include', { default: '' }), text('exclude', { default: '' }), state('builtin', () => 'false', 'bool'), comment()],
    },
    {
      path: '/interface/list/member',
      table: tables.interfaceListMembers,
      fields: [text('list', { required: true, exportAlways: true }), interfaceRef('interface', { required: true, exportAlways: true }), state('dynamic', () => 'false', 'bool'), disabled(), comment()],
    },
    {
      path: '/snmp',
      table: tables.snmp,
      singleton: true,
      fields: [flag('enabled', false), text('contact', { default: '' }), text('location', { default: '' }), text('trap-version', { default: '1' })],
    },
    {
      path: '/ip/service',
      table: tables.services,
      key: 'name',
      canAdd: false,
      canRemove: false,
      fields: [
        readOnlyText('name'),
        int('port', { min: 1, max: 65535 }),
        text('address', { default: '' }),
        ...(traits.major >= 7 ? [text('vrf', { default: 'main' })] : []),
        text('certificate'),
        state('invalid', () => 'false', 'bool'),
        disabled(),
      ],
    },
    {
      path: '/system/identity',
      table: tables.identity,
      singleton: true,
      fields: [text('name', { default: 'MikroTik' })],
    },
    ...loggingMenus(),
    {
      // RouterOS 7's NTP client: `enabled` and `servers` (6.x had primary-ntp/secondary-ntp).
      path: '/system/ntp/client',
      table: tables.ntpClient,
      singleton: true,
      fields: [flag('enabled', false), { name: 'servers', kind: 'list', default: '' }, oneOf('mode', ['unicast', 'broadcast', 'multicast', 'manycast'], { default: 'unicast' }), state('status', () => 'waiting')],
    },
    {
      path: '/system/clock',
      table: tables.clock,
      singleton: true,
      fields: [
        state('time', () => formatTime(host.now())),
        state('date', () => formatDate(host.now(), traits.isoDates)),
        ...(traits.major >= 7 ? [flag('time-zone-autodetect', true)] : []),
        text('time-zone-name', { default: 'manual' }),
        state('gmt-offset', () => '+00:00'),
      ],
    },
    {
      path: '/system/resource',
      table: tables.resource,
      singleton: true,
      fields: [
        state('uptime', () => formatDuration(Math.floor(host.uptimeMs() / 1000) * 1000)),
        state('version', () => `${traits.version} (${traits.channel})`),
        state('build-time', () => (traits.isoDates ? '2025-02-27 10:47:52' : 'feb/27/2025 10:47:52')),
        state('factory-software', () => '7.4.1'),
        state('free-memory', () => String(facts.totalMemory - 180_000_000 - Math.floor(host.uptimeMs() / 1000) % 4096)),
        state('total-memory', () => String(facts.totalMemory)),
        state('cpu', () => facts.cpu),
        state('cpu-count', () => String(facts.cpuCount)),
        state('cpu-frequency', () => String(facts.cpuFrequency)),
        state('cpu-load', () => String(Math.floor(host.uptimeMs() / 1000) % 7)),
        state('free-hdd-space', () => String(facts.totalHddSpace - 120_000_000 - tables.files.items.reduce((n, f) => n + (f.values.contents ?? '').length, 0))),
        state('total-hdd-space', () => String(facts.totalHddSpace)),
        state('write-sect-since-reboot', () => '1280'),
        state('write-sect-total', () => '48210'),
        state('bad-blocks', () => '0'),
        state('architecture-name', () => facts.architecture),
        state('board-name', () => facts.boardName),
        state('platform', () => 'MikroTik'),
      ],
    },
    {
      path: '/system/routerboard',
      table: tables.routerboard,
      singleton: true,
      fields: [
        state('routerboard', () => 'true', 'bool'),
        state('board-name', () => facts.boardName),
        state('model', () => facts.model),
        state('serial-number', () => facts.serialNumber),
        state('firmware-type', () => 'mt7622'),
        state('factory-firmware', () => '7.4.1'),
        state('current-firmware', () => traits.version),
        state('upgrade-firmware', () => traits.version),
      ],
    },
    {
      path: '/system/script',
      table: tables.scripts,
      key: 'name',
      entity: 'script',
      autoName: 'script',
      fields: [
        text('name', { exportAlways: true }),
        text('owner', { default: 'admin', exportAlways: true }),
        { name: 'policy', kind: 'list', values: POLICIES, default: FULL_POLICY, exportAlways: true },
        flag('dont-require-permissions', false, { exportAlways: true }),
        state('last-started', (v) => v['last-started']),
        state('run-count', (v) => v['run-count'] ?? '0'),
        text('source', { default: '', exportAlways: true }),
        state('invalid', () => 'false', 'bool'),
        comment(),
      ],
    },
    {
      path: '/system/script/job',
      table: tables.jobs,
      canAdd: false,
      onRemove: (item) => host.stopJob(item),
      fields: [
        state('script', (v) => v.script),
        state('owner', (v) => v.owner),
        state('policy', (v) => v.policy),
        state('started', (v) => v.started),
        state('type', (v) => v.type),
      ],
    },
    {
      path: '/system/scheduler',
      table: tables.scheduler,
      key: 'name',
      entity: 'scheduler',
      autoName: 'schedule',
      fields: [
        text('name', { exportAlways: true }),
        { name: 'start-date', kind: 'date' },
        { name: 'start-time', kind: 'time-of-day', default: 'startup', exportAlways: true },
        { name: 'interval', kind: 'duration', default: '0s' },
        text('on-event', { default: '' }),
        text('owner', { default: 'admin', noExport: true }),
        { name: 'policy', kind: 'list', values: POLICIES, default: FULL_POLICY, exportAlways: true },
        state('run-count', (v) => v['run-count'] ?? '0'),
        state('next-run', (v) => {
          const next = host.nextRunOf(v)
          return next === undefined ? undefined : dateTime(next)
        }),
        disabled(),
        comment(),
      ],
      prepare: (values) => {
        // RouterOS fills in today's date when only a clock time is given.
        if (values['start-time'] !== 'startup' && values['start-date'] === undefined)
          values['start-date'] = formatDate(host.now(), true)
      },
    },
    {
      path: '/file',
      table: tables.files,
      key: 'name',
      // `/file/add` exists since v7; v6 only gets files from export, backup and uploads.
      canAdd: traits.fileAdd,
      entity: 'file',
      fields: [
        text('name', { required: true }),
        state('type', (v) => (v.name.endsWith('.rsc') ? 'script' : v.name.endsWith('.backup') ? 'backup' : 'file')),
        state('size', (v) => String((v.contents ?? '').length)),
        state('creation-time', (v) => v['creation-time']),
        // Only small files show their contents (the note's "under about 4 KB").
        { ...text('contents'), compute: (v) => ((v.contents ?? '').length < 4096 && !v.name.endsWith('.backup') ? (v.contents ?? '') : undefined) },
      ],
      prepare: (values) => {
        values['creation-time'] ??= dateTime(host.now())
      },
    },
    {
      path: '/user',
      table: tables.users,
      key: 'name',
      entity: 'user',
      fields: [
        text('name', { required: true }),
        oneOf('group', USER_GROUPS, { default: 'read' }),
        { ...text('password'), writeOnly: true },
        text('address', { default: '' }),
        state('last-logged-in', (v) => v['last-logged-in']),
        disabled(),
        comment(),
      ],
    },
    {
      path: '/log',
      table: tables.log,
      canAdd: false,
      canRemove: false,
      fields: [state('time', (v) => v.time), state('topics', (v) => v.topics), state('message', (v) => v.message)],
    },
  ]
  return new Map(specs.map((spec) => [spec.path, new Menu(spec, env)]))
}
