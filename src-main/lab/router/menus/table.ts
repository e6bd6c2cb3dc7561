// Storage behind menus. Ids are hex and monotonic per table (`*1`, `*2`, ... `*1A`), never reused,
// as on RouterOS; several menus may view one table (all interface kinds share `/interface` ids).

export interface Item {
  readonly id: number
  values: Record<string, string>
}

export type TableChange = { readonly kind: 'add' | 'set' | 'remove'; readonly item: Item }

export const formatId = (id: number) => `*${id.toString(16).toUpperCase()}`

export function parseId(text: string): number | undefined {
  return /^\*[0-9a-f]+$/i.test(text) ? parseInt(text.slice(1), 16) : undefined
}

export class Table {
  private nextId = 1
  readonly items: Item[] = []
  private readonly listeners = new Set<(change: TableChange) => void>()

  insert(values: Record<string, string>, index = this.items.length): Item {
    const item: Item = { id: this.nextId++, values }
    this.items.splice(index, 0, item)
    this.emit({ kind: 'add', item })
    return item
  }

  update(item: Item, changes: Record<string, string | undefined>): void {
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) delete item.values[name]
      else item.values[name] = value
    }
    this.emit({ kind: 'set', item })
  }

  delete(item: Item): void {
    const index = this.items.indexOf(item)
    if (index < 0) return
    this.items.splice(index, 1)
    this.emit({ kind: 'remove', item })
  }

  move(item: Item, index: number): void {
    const from = this.items.indexOf(item)
    if (from < 0) return
    this.items.splice(from, 1)
    this.items.splice(Math.min(index, this.items.length), 0, item)
    this.emit({ kind: 'set', item })
  }

  byId(id: number): Item | undefined {
    return this.items.find((item) => item.id === id)
  }

  /** Configuration reset: the router reboots, so ids start again at `*1`. */
  clear(): void {
    for (const item of [...this.items]) this.delete(item)
    this.nextId = 1
  }

  subscribe(listener: (change: TableChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(change: TableChange): void {
    for (const listener of [...this.listeners]) listener(change)
  }
}
