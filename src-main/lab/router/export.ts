// `/export`: the configuration as a script that recreates it. Only values that differ from the
// software defaults are written, sections and arguments come in a fixed order (arguments
// alphabetical, as RouterOS writes them), so an export is stable and diffable, and running it on a
// router reset with `no-defaults=yes` yields the same export again (the lockout auto-revert relies
// on that round trip).
import type { DeviceFacts } from './facts'
import { exportFieldValue, type FieldSpec } from './menus/field'
import { isBuiltIn, type Menu } from './menus/menu'
import type { Item } from './menus/table'
import { formatDateTime } from './time'
import type { VersionTraits } from './version'

type SectionMode =
  | { readonly kind: 'add' }
  /**
   * Built-in items addressed by a property or their print number (`set [ find default-name=ether1 ] ...`,
   * `set api ...`, `set 3 remote=...`); in a menu that also takes items of its own (one that can
   * `add`), those are written as `add`: every item when the menu has no built-ins (RouterOS 7's
   * OSPF instances), else the ones it did not ship (`isBuiltIn`).
   */
  | {
      readonly kind: 'set'
      readonly select: (item: Item, position: number) => string
      readonly defaults: (item: Item, position: number) => Record<string, string>
    }
  | { readonly kind: 'singleton' }

interface ExportSection {
  /** Its path; the export's section line is the same with spaces (`/ip firewall filter`). */
  readonly menu: string
  readonly mode: SectionMode
}

/** Software defaults of the built-in items (what a `no-defaults` reset leaves). */
export const SERVICE_DEFAULTS: Readonly<Record<string, { port: string; disabled: string }>> = {
  telnet: { port: '23', disabled: 'false' },
  ftp: { port: '21', disabled: 'false' },
  www: { port: '80', disabled: 'false' },
  ssh: { port: '22', disabled: 'false' },
  'www-ssl': { port: '443', disabled: 'true' },
  api: { port: '8728', disabled: 'false' },
  winbox: { port: '8291', disabled: 'false' },
  'api-ssl': { port: '8729', disabled: 'false' },
}

type FactoryValues = Readonly<Record<string, string>>

/**
 * The logging actions and rules every router has (help.mikrotik.com, "Log"), in print order: exports
 * address them by print number (`/system logging action set 3 remote=...`). Their other properties are
 * the menus' software defaults.
 */
export const LOGGING_ACTION_DEFAULTS: readonly FactoryValues[] = ['memory', 'disk', 'echo', 'remote'].map((name) => ({ name, target: name }))
export const LOGGING_RULE_DEFAULTS: readonly FactoryValues[] = [
  { topics: 'info', action: 'memory' },
  { topics: 'error', action: 'memory' },
  { topics: 'warning', action: 'memory' },
  { topics: 'critical', action: 'echo' },
]

/**
 * RouterOS 6's OSPF ships a `default` instance and, in it, the `backbone` area (MikroTik's wiki,
 * "Manual:Routing/OSPF"); their other properties are the menus' software defaults. RouterOS 7's
 * OSPF ships neither.
 */
export const OSPF6_INSTANCE_DEFAULTS: FactoryValues = { name: 'default' }
export const OSPF6_AREA_DEFAULTS: FactoryValues = { name: 'backbone', 'area-id': '0.0.0.0', instance: 'default' }

/** A section whose one built-in item is `default=yes`, addressed so (`set [ find default=yes ] ...`). */
const byDefaultFlag = (factory: FactoryValues): SectionMode => ({
  kind: 'set',
  select: () => '[ find default=yes ]',
  defaults: () => ({ ...factory }),
})

/** A section of built-in items addressed by print number, each against its own factory values. */
const byPosition = (factory: readonly FactoryValues[]): SectionMode => ({
  kind: 'set',
  select: (_, position) => String(position),
  defaults: (_, position) => ({ ...factory[position] }),
})

const SECTIONS: readonly ExportSection[] = [
  { menu: '/interface/bridge', mode: { kind: 'add' } },
  {
    menu: '/interface/ethernet',
    mode: {
      kind: 'set',
      select: (item) => `[ find default-name=${item.values['default-name']} ]`,
      defaults: (item) => ({ name: item.values['default-name'] }),
    },
  },
  { menu: '/interface/vlan', mode: { kind: 'add' } },
  // A PPPoE client runs over an ethernet, bridge or (an ISP's) vlan, and NAT rules and lists name it.
  { menu: '/interface/pppoe-client', mode: { kind: 'add' } },
  { menu: '/interface/wireguard', mode: { kind: 'add' } },
  { menu: '/interface/list', mode: { kind: 'add' } },
  // RouterOS writes the logging actions this early, long before the rules (/system logging) that name them.
  { menu: '/system/logging/action', mode: byPosition(LOGGING_ACTION_DEFAULTS) },
  { menu: '/interface/list/member', mode: { kind: 'add' } },
  { menu: '/interface/bridge/port', mode: { kind: 'add' } },
  { menu: '/interface/wireguard/peers', mode: { kind: 'add' } },
  { menu: '/ip/address', mode: { kind: 'add' } },
  { menu: '/ip/cloud', mode: { kind: 'singleton' } },
  // A DHCP server names its pool, so the pool comes first, or running the export would fail there.
  { menu: '/ip/pool', mode: { kind: 'add' } },
  { menu: '/ip/dhcp-server', mode: { kind: 'add' } },
  { menu: '/ip/dhcp-server/lease', mode: { kind: 'add' } },
  { menu: '/ip/dhcp-server/network', mode: { kind: 'add' } },
  { menu: '/ip/dhcp-client', mode: { kind: 'add' } },
  { menu: '/ip/dns', mode: { kind: 'singleton' } },
  { menu: '/ip/firewall/address-list', mode: { kind: 'add' } },
  { menu: '/ip/firewall/filter', mode: { kind: 'add' } },
  { menu: '/ip/firewall/mangle', mode: { kind: 'add' } },
  { menu: '/ip/firewall/nat', mode: { kind: 'add' } },
  { menu: '/ip/route', mode: { kind: 'add' } },
  {
    menu: '/ip/service',
    mode: {
      kind: 'set',
      select: (item) => item.values.name,
      defaults: (item) => ({ ...SERVICE_DEFAULTS[item.values.name], name: item.values.name, certificate: 'none' }),
    },
  },
  { menu: '/ip/neighbor/discovery-settings', mode: { kind: 'singleton' } },
  { menu: '/ip/proxy', mode: { kind: 'singleton' } },
  { menu: '/ip/socks', mode: { kind: 'singleton' } },
  { menu: '/ip/ssh', mode: { kind: 'singleton' } },
  { menu: '/ip/upnp', mode: { kind: 'singleton' } },
  { menu: '/queue/simple', mode: { kind: 'add' } },
  // An area names its instance and a template (7) or network (6) its area: in that order, or the
  // export fails on import. Only RouterOS 6 has built-ins here, and configuration under `interface`.
  { menu: '/routing/ospf/instance', mode: byDefaultFlag(OSPF6_INSTANCE_DEFAULTS) },
  { menu: '/routing/ospf/area', mode: byDefaultFlag(OSPF6_AREA_DEFAULTS) },
  { menu: '/routing/ospf/interface-template', mode: { kind: 'add' } },
  { menu: '/routing/ospf/interface', mode: { kind: 'add' } },
  { menu: '/routing/ospf/network', mode: { kind: 'add' } },
  { menu: '/system/clock', mode: { kind: 'singleton' } },
  { menu: '/snmp', mode: { kind: 'singleton' } },
  { menu: '/system/identity', mode: { kind: 'singleton' } },
  { menu: '/system/logging', mode: byPosition(LOGGING_RULE_DEFAULTS) },
  { menu: '/system/ntp/client', mode: { kind: 'singleton' } },
  { menu: '/system/scheduler', mode: { kind: 'add' } },
  { menu: '/system/script', mode: { kind: 'add' } },
  { menu: '/tool/bandwidth-server', mode: { kind: 'singleton' } },
  { menu: '/tool/mac-server', mode: { kind: 'singleton' } },
  { menu: '/tool/mac-server/mac-winbox', mode: { kind: 'singleton' } },
  { menu: '/tool/mac-server/ping', mode: { kind: 'singleton' } },
]

/** Every menu with an export section at or below it (`/ip export`, `/ip address export`), root excluded. */
export function exportPaths(hasMenu: (path: string) => boolean): string[] {
  const paths = new Set<string>()
  // Only menus this version has: RouterOS 6 has no `/interface wireguard export`.
  for (const { menu } of SECTIONS.filter((section) => hasMenu(section.menu))) {
    const segments = menu.split('/').filter(Boolean)
    for (let depth = 1; depth <= segments.length; depth++) paths.add(`/${segments.slice(0, depth).join('/')}`)
  }
  return [...paths]
}

/** Quotes a value the way exports do; non-ASCII and control bytes become `\XX`. */
export function quoteExportValue(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_.,:/*+@!%-]+$/.test(value)) return value
  let out = '"'
  for (const char of value) {
    const code = char.charCodeAt(0)
    if (char === '"' || char === '\\' || char === '$' || char === '?') out += `\\${char}`
    else if (char === '\n') out += '\\n'
    else if (char === '\r') out += '\\r'
    else if (char === '\t') out += '\\t'
    else if (code < 0x20 || code >= 0x7f) out += `\\${code.toString(16).toUpperCase().padStart(2, '0')}`
    else out += char
  }
  return `${out}"`
}

/** RouterOS wraps export lines near 80 columns with a trailing `\` and 4 spaces of indent. */
function wrap(words: string[]): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of words) {
    if (line === '') line = word
    else if (line.length + 1 + word.length > 78) {
      lines.push(`${line} \\`)
      line = `    ${word}`
    } else line += ` ${word}`
  }
  if (line !== '') lines.push(line)
  return lines
}

const exported = (field: FieldSpec) => !field.readOnly && !field.writeOnly && !field.noExport

/** The fields an export writes, in its order (alphabetical). */
const exportedFields = (menu: Menu) => [...menu.fieldsByName.values()].filter(exported).sort((a, b) => (a.name < b.name ? -1 : 1))

function argumentsOf(menu: Menu, fields: readonly FieldSpec[], item: Item, defaults: Record<string, string>, showSensitive: boolean): string[] {
  const args: string[] = []
  for (const field of fields) {
    const value = item.values[field.name]
    if (value === undefined || (field.sensitive && !showSensitive)) continue
    // A built-in item's own factory value is left out even where an added item always writes it
    // (the `memory` action's name and target).
    const factory = field.name in defaults
    if (value === (factory ? defaults[field.name] : field.default) && (factory || !field.exportAlways)) continue
    if (field.bare && value === 'true') {
      args.push(field.name)
      continue
    }
    args.push(`${field.name}=${quoteExportValue(exportFieldValue(field, value, menu.env))}`)
  }
  return args
}

export interface ExportOptions {
  readonly traits: VersionTraits
  readonly facts: DeviceFacts
  readonly now: number
  /** Limit to one menu and below (`/ip address export`). */
  readonly under?: string
  /** Hide the header (tests, diffs). */
  readonly header?: boolean
  /** `show-sensitive` (RouterOS 7): write secrets such as private keys. RouterOS 6 always writes them. */
  readonly showSensitive?: boolean
}

export function renderExport(menus: ReadonlyMap<string, Menu>, options: ExportOptions): string {
  const { traits, facts, now } = options
  // RouterOS 6 has no hide-sensitive default: its exports carry every secret.
  const showSensitive = options.showSensitive === true || !traits.showSensitive
  const lines: string[] = []
  if (options.header !== false) {
    lines.push(`# ${formatDateTime(now, traits.isoDates)} by RouterOS ${traits.version}`)
    lines.push(`# software id = ${facts.softwareId}`)
    lines.push('#')
    lines.push(`# model = ${facts.model}`)
    lines.push(`# serial number = ${facts.serialNumber}`)
  }
  for (const section of SECTIONS) {
    if (options.under && !(section.menu === options.under || section.menu.startsWith(`${options.under}/`))) continue
    const menu = menus.get(section.menu)
    if (!menu) continue
    const fields = exportedFields(menu)
    const body: string[] = []
    // Items of the menu's own `add` (none where it takes no add: ethernet ports, services).
    const added = (item: Item) => menu.spec.canAdd !== false && !isBuiltIn(menu.spec, item)
    menu.items().forEach((item, position) => {
      const { mode } = section
      if (mode.kind === 'add' || (mode.kind === 'set' && added(item))) body.push(...wrap(['add', ...argumentsOf(menu, fields, item, {}, showSensitive)]))
      else {
        const args = argumentsOf(menu, fields, item, mode.kind === 'set' ? mode.defaults(item, position) : {}, showSensitive)
        if (args.length === 0) return
        body.push(...wrap(['set', ...(mode.kind === 'set' ? [mode.select(item, position)] : []), ...args]))
      }
    })
    if (body.length > 0) lines.push(`/${section.menu.slice(1).replaceAll('/', ' ')}`, ...body)
  }
  return lines.map((line) => `${line}\n`).join('')
}

/** The export without its header comment lines (the date line changes on every export). */
export const withoutHeader = (text: string) =>
  text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n')
