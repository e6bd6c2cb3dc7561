// Menu properties: how a value given by a client is checked and stored (canonical form) and how it
// is shown again (print, export). Stored values are byte strings; booleans are stored as
// `true`/`false` and printed per version; interface references are stored as ids (`*3`) so that
// renaming an interface shows up everywhere that refers to it, as on a real router.
import { RouterTrap, TrapCategory } from '../contract'
import { formatDate, formatDuration, parseDate, parseDuration, parseTimeOfDay } from '../time'
import type { VersionTraits } from '../version'

export type FieldKind =
  | 'string'
  | 'bool'
  | 'int'
  | 'enum'
  | 'list'
  | 'duration'
  | 'interface'
  | 'ip'
  | 'ip-prefix'
  | 'date'
  | 'time-of-day'
  | 'port'

export interface FieldSpec {
  readonly name: string
  readonly kind: FieldKind
  /** Canonical default applied on add; absent means the property stays unset (not printed). */
  readonly default?: string
  /** Shown by print but not settable (running, dynamic, counters...). */
  readonly readOnly?: boolean
  /** Derived at print time from the item and the router. */
  readonly compute?: (values: Readonly<Record<string, string>>, id: string) => string | undefined
  /** Settable but never printed (passwords). */
  readonly writeOnly?: boolean
  readonly required?: boolean
  /** Exported even when equal to the default (RouterOS does this for e.g. firewall `action`). */
  readonly exportAlways?: boolean
  /** Never exported (state rather than configuration). */
  readonly noExport?: boolean
  readonly min?: number
  readonly max?: number
  /** An enum's or a list's words; for an interface reference, the words it takes besides a name (`all`). */
  readonly values?: readonly string[]
  /** Interface references that accept `!name` (firewall in-interface). */
  readonly negatable?: boolean
  /** A secret (a private key): RouterOS 7 exports it only with `show-sensitive`; 6 always does. */
  readonly sensitive?: boolean
  /**
   * A flag given by its bare name (`passive`, which means passive=yes) and exported so when set,
   * as RouterOS 7 does for e.g. an OSPF template's `passive`.
   */
  readonly bare?: boolean
}

export interface FieldEnv {
  readonly traits: VersionTraits
  interfaceIdByName(name: string): string | undefined
  interfaceNameById(id: string): string | undefined
}

/** The words a boolean is given as (input, queries), to its stored form. */
export const BOOLEAN_WORDS: Readonly<Record<string, string>> = { yes: 'true', true: 'true', no: 'false', false: 'false' }

/** RouterOS's refusal of a value that names nothing it has (an interface, a pool, a list). */
export const noMatch = (name: string) =>
  new RouterTrap(`input does not match any value of ${name}`, TrapCategory.argumentValueFailure)
/** RouterOS's refusal of a value of the wrong form. */
export const invalid = (name: string) =>
  new RouterTrap(`invalid value for argument ${name}`, TrapCategory.argumentValueFailure)

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

/** Checks a client's value and returns the stored form; throws RouterTrap with the router's words. */
export function parseFieldValue(field: FieldSpec, raw: string, env: FieldEnv): string {
  switch (field.kind) {
    case 'string':
      return raw
    case 'bool': {
      if (field.bare && raw === '') return 'true'
      const value = BOOLEAN_WORDS[raw.toLowerCase()]
      if (value === undefined) throw noMatch(field.name)
      return value
    }
    case 'int': {
      if (!/^-?\d+$/.test(raw)) throw invalid(field.name)
      const n = Number(raw)
      if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max))
        throw new RouterTrap(
          `value of ${field.name} out of range (${field.min ?? ''}..${field.max ?? ''})`,
          TrapCategory.argumentValueFailure,
        )
      return String(n)
    }
    case 'enum':
      if (!field.values?.includes(raw)) throw noMatch(field.name)
      return raw
    case 'list': {
      const items = raw === '' ? [] : raw.split(',')
      if (field.values && items.some((item) => !field.values?.includes(item))) throw noMatch(field.name)
      return items.join(',')
    }
    case 'duration': {
      const ms = parseDuration(raw)
      if (ms === undefined) throw invalid(field.name)
      return formatDuration(ms)
    }
    case 'interface': {
      if (field.values?.includes(raw)) return raw
      const negated = field.negatable && raw.startsWith('!')
      const name = negated ? raw.slice(1) : raw
      const id = /^\*[0-9A-F]+$/i.test(name) ? name.toUpperCase() : env.interfaceIdByName(name)
      if (id === undefined || env.interfaceNameById(id) === undefined) throw noMatch(field.name)
      return (negated ? '!' : '') + id
    }
    case 'ip':
      if (!IPV4.test(raw)) throw invalid(field.name)
      return raw
    case 'ip-prefix': {
      const [address, prefix, ...rest] = raw.split('/')
      if (rest.length > 0 || !IPV4.test(address)) throw invalid(field.name)
      if (prefix === undefined) return `${address}/32`
      if (!/^\d+$/.test(prefix) || Number(prefix) > 32) throw invalid(field.name)
      return `${address}/${Number(prefix)}`
    }
    case 'date': {
      const ms = parseDate(raw)
      if (ms === undefined) throw invalid(field.name)
      return formatDate(ms, true)
    }
    case 'time-of-day': {
      if (raw === 'startup') return raw
      const ms = parseTimeOfDay(raw)
      if (ms === undefined) throw invalid(field.name)
      const d = new Date(ms)
      return d.toISOString().slice(11, 19)
    }
    case 'port':
      if (raw !== '' && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(raw)) throw invalid(field.name)
      return raw
  }
}

/** How a stored value is printed over the API or in a script (booleans per version). */
export function renderFieldValue(field: FieldSpec, stored: string, env: FieldEnv): string {
  switch (field.kind) {
    case 'bool':
      return stored === 'true' ? env.traits.printTrue : env.traits.printFalse
    case 'interface': {
      const negated = stored.startsWith('!')
      const id = negated ? stored.slice(1) : stored
      // A removed interface leaves its id behind, as RouterOS shows `*5` for a deleted vlan.
      return (negated ? '!' : '') + (env.interfaceNameById(id) ?? id)
    }
    case 'date':
      return env.traits.isoDates ? stored : formatDate(parseDate(stored) ?? 0, false)
    default:
      return stored
  }
}

/** How a stored value is written in an export: booleans are always `yes`/`no` there. */
export function exportFieldValue(field: FieldSpec, stored: string, env: FieldEnv): string {
  if (field.kind === 'bool') return stored === 'true' ? 'yes' : 'no'
  return renderFieldValue(field, stored, env)
}

// Small constructors so menu definitions read like the RouterOS reference tables.
type Extra = Omit<FieldSpec, 'name' | 'kind'>
export const text = (name: string, extra: Extra = {}): FieldSpec => ({ name, kind: 'string', ...extra })
export const flag = (name: string, fallback: boolean, extra: Extra = {}): FieldSpec => ({
  name,
  kind: 'bool',
  default: String(fallback),
  ...extra,
})
export const int = (name: string, extra: Extra = {}): FieldSpec => ({ name, kind: 'int', ...extra })
export const oneOf = (name: string, values: readonly string[], extra: Extra = {}): FieldSpec => ({
  name,
  kind: 'enum',
  values,
  ...extra,
})
/** Shown by print, never settable (`default-name`, `mac-address`). */
export const readOnlyText = (name: string, extra: Extra = {}): FieldSpec => ({ ...text(name, extra), readOnly: true })
/** The `arp` mode every interface kind has. */
export const arp = (): FieldSpec => oneOf('arp', ['enabled', 'disabled', 'proxy-arp', 'reply-only'], { default: 'enabled' })
export const interfaceRef = (name: string, extra: Extra = {}): FieldSpec => ({ name, kind: 'interface', ...extra })
export const state = (name: string, compute: FieldSpec['compute'], kind: FieldKind = 'string'): FieldSpec => ({
  name,
  kind,
  readOnly: true,
  noExport: true,
  compute,
})
export const disabled = () => flag('disabled', false)
export const comment = () => text('comment')
