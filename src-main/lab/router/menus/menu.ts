// One RouterOS menu (`/ip/address`, `/system/identity`...): a schema over a table, with the
// generic verbs every menu shares. Selection accepts what RouterOS accepts in `numbers=`: ids
// (`*1A`), names (for menus keyed by name) and print positions, comma separated.
import { RouterTrap, TrapCategory } from '../contract'
import { type FieldEnv, type FieldSpec, parseFieldValue, renderFieldValue } from './field'
import { formatId, type Item, parseId, type Table } from './table'

export interface MenuSpec {
  /** API form: `/ip/address`. */
  readonly path: string
  readonly fields: readonly FieldSpec[]
  readonly table: Table
  /** Which table items this menu shows (interface kinds share one table). */
  readonly filter?: (values: Readonly<Record<string, string>>) => boolean
  /** Stored on every add through this menu (e.g. `type=vlan`). */
  readonly fixed?: Readonly<Record<string, string>>
  /** Menus with exactly one item and no `.id` (`/system/identity`). */
  readonly singleton?: boolean
  /** The property that names an item (`name`), usable in `numbers=` and unique within the table. */
  readonly key?: string
  /** The word in `already have <entity> with such name`. */
  readonly entity?: string
  /** Prefix for automatic names (`vlan` -> `vlan1`). */
  readonly autoName?: string
  readonly canAdd?: boolean
  readonly canRemove?: boolean
  /** The menu has items the router ships with, marked `default=yes` (the `memory` logging action): set, never removed. */
  readonly builtin?: boolean
  /** Derives or checks values before they are stored (e.g. ip address `network`). */
  readonly prepare?: (values: Record<string, string>, previous: Item | undefined) => void
  /** Called before an item leaves the table (script jobs abort their script). */
  readonly onRemove?: (item: Item) => void
}

export const noSuchItem = () => new RouterTrap('no such item', TrapCategory.missingItemOrCommand)

/** An item the router shipped (`default=yes` in a menu with built-ins), not one added since. */
export const isBuiltIn = (spec: MenuSpec, item: Item): boolean => spec.builtin === true && item.values.default === 'true'

export class Menu {
  readonly fieldsByName: ReadonlyMap<string, FieldSpec>

  constructor(
    readonly spec: MenuSpec,
    readonly env: FieldEnv,
  ) {
    this.fieldsByName = new Map(spec.fields.map((field) => [field.name, field]))
  }

  get path(): string {
    return this.spec.path
  }

  get singleton(): boolean {
    return this.spec.singleton === true
  }

  items(): Item[] {
    const { filter } = this.spec
    return filter ? this.spec.table.items.filter((item) => filter(item.values)) : [...this.spec.table.items]
  }

  /** The names a client may set (add/set arguments). */
  writableFields(): string[] {
    return this.spec.fields.filter((field) => !field.readOnly).map((field) => field.name)
  }

  /** The software defaults of the settable properties: what `add` starts from and a reset leaves. */
  defaultValues(): Record<string, string> {
    const values: Record<string, string> = {}
    for (const field of this.spec.fields)
      if (field.default !== undefined && !field.readOnly) values[field.name] = field.default
    return values
  }

  /** Resolves `numbers=` / `.id=` text to items; throws `no such item` for anything unknown. */
  resolve(selector: string): Item[] {
    if (this.singleton) return this.items().slice(0, 1)
    const items = this.items()
    const key = this.spec.key
    const picked: Item[] = []
    for (const part of selector.split(',').filter((p) => p !== '')) {
      const id = parseId(part)
      // An id, else a name (for keyed menus), else a print position.
      const item =
        id !== undefined
          ? items.find((candidate) => candidate.id === id)
          : ((key === undefined ? undefined : items.find((candidate) => candidate.values[key] === part)) ??
            (/^\d+$/.test(part) ? items[Number(part)] : undefined))
      if (!item) throw noSuchItem()
      if (!picked.includes(item)) picked.push(item)
    }
    return picked
  }

  private parseArguments(args: ReadonlyMap<string, string>): Record<string, string> {
    const values: Record<string, string> = {}
    for (const [name, raw] of args) {
      const field = this.fieldsByName.get(name)
      if (!field || field.readOnly) throw new RouterTrap('unknown parameter')
      values[name] = parseFieldValue(field, raw, this.env)
    }
    return values
  }

  private checkUnique(values: Record<string, string>, self: Item | undefined): void {
    const key = this.spec.key
    if (!key || values[key] === undefined) return
    const clash = this.spec.table.items.find((item) => item !== self && item.values[key] === values[key])
    if (clash) throw new RouterTrap(`failure: already have ${this.spec.entity ?? 'item'} with such name`)
  }

  private nextAutoName(prefix: string): string {
    const key = this.spec.key ?? 'name'
    const taken = new Set(this.spec.table.items.map((item) => item.values[key]))
    let n = 1
    while (taken.has(`${prefix}${n}`)) n++
    return `${prefix}${n}`
  }

  add(args: ReadonlyMap<string, string>, placeBefore?: Item): Item {
    if (this.spec.canAdd === false || this.singleton)
      throw new RouterTrap('no such command', TrapCategory.missingItemOrCommand)
    const values = this.defaultValues()
    Object.assign(values, this.parseArguments(args), this.spec.fixed)
    if (this.spec.autoName && this.spec.key && values[this.spec.key] === undefined)
      values[this.spec.key] = this.nextAutoName(this.spec.autoName)
    for (const field of this.spec.fields)
      if (field.required && values[field.name] === undefined)
        throw new RouterTrap(`failure: ${field.name} not specified`, TrapCategory.argumentValueFailure)
    this.spec.prepare?.(values, undefined)
    this.checkUnique(values, undefined)
    const index = placeBefore ? this.spec.table.items.indexOf(placeBefore) : undefined
    return this.spec.table.insert(values, index === undefined || index < 0 ? undefined : index)
  }

  set(items: readonly Item[], args: ReadonlyMap<string, string>): void {
    const changes = this.parseArguments(args)
    for (const item of items) {
      const next = { ...item.values, ...changes }
      this.spec.prepare?.(next, item)
      this.checkUnique(next, item)
      this.spec.table.update(item, next)
    }
  }

  /** `unset value-name=comment`: back to the default, or absent when there is none. */
  unset(items: readonly Item[], names: readonly string[]): void {
    for (const name of names) {
      const field = this.fieldsByName.get(name)
      if (!field || field.readOnly) throw new RouterTrap('unknown parameter')
      for (const item of items) this.spec.table.update(item, { [name]: field.default })
    }
  }

  remove(items: readonly Item[]): void {
    if (this.spec.canRemove === false || this.singleton || items.some((item) => isBuiltIn(this.spec, item)))
      throw new RouterTrap('failure: cannot remove', TrapCategory.generalFailure)
    for (const item of items) {
      this.spec.onRemove?.(item)
      this.spec.table.delete(item)
    }
  }

  move(items: readonly Item[], destination: Item | undefined): void {
    for (const item of items) {
      const index = destination ? this.spec.table.items.indexOf(destination) : this.spec.table.items.length
      this.spec.table.move(item, index > this.spec.table.items.indexOf(item) ? index - 1 : index)
    }
  }

  /** The printed form of an item: `.id` first (list menus), then the schema's order. */
  render(item: Item): Record<string, string> {
    const out: Record<string, string> = {}
    if (!this.singleton) out['.id'] = formatId(item.id)
    for (const field of this.spec.fields) {
      if (field.writeOnly) continue
      const stored = field.compute ? field.compute(item.values, formatId(item.id)) : item.values[field.name]
      if (stored === undefined) continue
      out[field.name] = renderFieldValue(field, stored, this.env)
    }
    return out
  }

  /** `get`: one property of one item, printed form; unknown names are `unknown parameter`. */
  get(item: Item, name: string): string {
    if (name === '.id') return formatId(item.id)
    const field = this.fieldsByName.get(name)
    if (!field || field.writeOnly) throw new RouterTrap('unknown parameter')
    return this.render(item)[name] ?? ''
  }
}
