// The verbs every menu shares: print/getall/get/add/set/unset/remove/enable/disable/find/listen
// (and move for ordered menus). Selection is `.id=` or `numbers=` over the API and the first
// unnamed word in scripts (`set ether1 ...`, `remove [find comment=x]`).
import { RouterTrap, TrapCategory } from '../contract'
import { type Menu, noSuchItem } from '../menus/menu'
import { matchesQueries } from '../menus/query'
import { formatId, type Item } from '../menus/table'
import { interrupted } from '../time'
import type { CommandTree, VerbContext, VerbRequest, VerbResult, VerbSpec } from './tree'

const PRINT_ARGS = ['detail', 'terse', 'brief', 'without-paging', 'count-only', 'as-value', 'stats', 'follow', 'follow-only', 'interval', 'from', 'value-list', 'show-ids']
const PRINT_FLAGS = new Set(['detail', 'terse', 'brief', 'without-paging', 'count-only', 'as-value', 'stats', 'follow', 'follow-only', 'value-list', 'show-ids'])

/** `=.proplist=a,b`: only these properties, in this order. The wire server may filter again. */
export function applyProplist(item: Record<string, string>, proplist: string | undefined): Record<string, string> {
  if (proplist === undefined) return item
  const out: Record<string, string> = {}
  for (const name of proplist.split(',')) if (name in item) out[name] = item[name]
  return out
}

/** Items named by `.id=` / `numbers=`; a missing selection is an argument failure. */
export function selected(menu: Menu, args: ReadonlyMap<string, string>): Item[] {
  if (menu.singleton) return menu.items().slice(0, 1)
  const selector = args.get('.id') ?? args.get('numbers') ?? args.get('number')
  if (selector === undefined)
    throw new RouterTrap('missing value(s) of argument(s) numbers', TrapCategory.argumentValueFailure)
  return menu.resolve(selector)
}

/** The arguments that are properties (everything except selection and dot names). */
function properties(args: ReadonlyMap<string, string>, except: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>()
  // A bare flag (`passive`) arrives without a value; the field reads the empty value as yes.
  for (const [name, value] of args)
    if (!name.startsWith('.') && name !== 'numbers' && !except.includes(name)) out.set(name, value ?? '')
  return out
}

/** One item and its printed form (rendered once per print: queries, script lines and `!re` share it). */
interface Printed {
  readonly item: Item
  readonly rendered: Record<string, string>
}

/** Script `print`: `  name: value` for single-item menus, a terse line per item for lists. */
function printLines(menu: Menu, printed: readonly Printed[], ctx: VerbContext): void {
  if (menu.singleton) {
    const rendered = printed[0]?.rendered ?? {}
    const width = Math.max(0, ...Object.keys(rendered).map((name) => name.length))
    for (const [name, value] of Object.entries(rendered)) ctx.output(`${name.padStart(width + 2)}: ${value}`)
    return
  }
  const all = menu.items()
  for (const { item, rendered } of printed) {
    const { '.id': _id, disabled, ...rest } = rendered
    const flag = disabled === menu.env.traits.printTrue ? 'X' : ' '
    const fields = Object.entries(rest).map(([name, value]) => `${name}=${/[\s"]/.test(value) || value === '' ? JSON.stringify(value) : value}`)
    ctx.output(`${String(all.indexOf(item)).padStart(2)} ${flag} ${fields.join(' ')}`)
  }
}

function listen(menu: Menu, request: VerbRequest, ctx: VerbContext): Promise<VerbResult> {
  const proplist = request.args.get('.proplist')
  return new Promise((_, reject) => {
    const unsubscribe = menu.spec.table.subscribe((change) => {
      if (menu.spec.filter && !menu.spec.filter(change.item.values)) return
      if (change.kind === 'remove') {
        ctx.emitItem({ '.id': formatId(change.item.id), '.dead': menu.env.traits.printTrue })
        return
      }
      const rendered = menu.render(change.item)
      if (matchesQueries(rendered, request.queries)) ctx.emitItem(applyProplist(rendered, proplist))
    })
    const stop = () => {
      unsubscribe()
      reject(interrupted())
    }
    if (ctx.signal.aborted) stop()
    else ctx.signal.addEventListener('abort', stop, { once: true })
  })
}

function print(menu: Menu, request: VerbRequest, ctx: VerbContext): VerbResult | Promise<VerbResult> {
  const { args, queries } = request
  if (args.has('follow-only')) return listen(menu, request, ctx)
  const printed = menu
    .items()
    .map((item): Printed => ({ item, rendered: menu.render(item) }))
    .filter(({ rendered }) => matchesQueries(rendered, queries))
  if (args.has('count-only')) {
    if (ctx.origin === 'script') ctx.output(String(printed.length))
    return { ret: String(printed.length) }
  }
  if (ctx.origin === 'script') printLines(menu, printed, ctx)
  else for (const { rendered } of printed) ctx.emitItem(applyProplist(rendered, args.get('.proplist')))
  if (args.has('follow')) return listen(menu, request, ctx)
  return {}
}

export function registerMenuVerbs(tree: CommandTree, menu: Menu): void {
  const path = menu.path
  const writable = menu.writableFields()
  const all = [...menu.fieldsByName.keys()]
  const select = menu.singleton ? [] : ['numbers']
  const bareFlags = new Set([...menu.fieldsByName.values()].filter((field) => field.bare).map((field) => field.name))
  const verb = (name: string, spec: VerbSpec) => tree.verb(path, name, spec)
  tree.node(path).menu = menu

  const printSpec: VerbSpec = {
    args: new Set(PRINT_ARGS),
    flags: PRINT_FLAGS,
    run: (request, ctx) => print(menu, request, ctx),
  }
  verb('print', printSpec)
  verb('getall', printSpec)
  verb('get', {
    args: new Set([...select, 'number', 'value-name']),
    positional: menu.singleton ? ['value-name'] : ['number', 'value-name'],
    run: ({ args }) => {
      const [item] = selected(menu, args)
      if (!item) throw noSuchItem()
      const name = args.get('value-name')
      if (name === undefined) throw new RouterTrap('missing value(s) of argument(s) value-name', TrapCategory.argumentValueFailure)
      return { ret: menu.get(item, name) }
    },
  })
  if (!menu.singleton) {
    verb('find', {
      args: new Set(all),
      where: true,
      run: ({ args }) => {
        const items = menu.items().filter((item) => {
          const rendered = menu.render(item)
          return [...args].every(([name, value]) => rendered[name] === value || (value === 'yes' && rendered[name] === menu.env.traits.printTrue) || (value === 'no' && rendered[name] === menu.env.traits.printFalse))
        })
        const list = items.map((item) => formatId(item.id))
        return { list, ret: list.join(';') }
      },
    })
    verb('listen', { args: new Set(), run: (request, ctx) => listen(menu, request, ctx) })
  }
  if (menu.spec.canAdd !== false && !menu.singleton) {
    verb('add', {
      args: new Set([...writable, 'place-before']),
      flags: bareFlags,
      mutates: true,
      run: ({ args }) => {
        const before = args.get('place-before')
        const [anchor] = before === undefined ? [] : menu.resolve(before)
        const item = menu.add(properties(args, ['place-before']), anchor)
        return { ret: formatId(item.id) }
      },
    })
  }
  verb('set', {
    args: new Set([...select, ...writable]),
    positional: menu.singleton ? [] : ['numbers'],
    flags: bareFlags,
    mutates: true,
    run: ({ args }) => {
      menu.set(selected(menu, args), properties(args))
      return {}
    },
  })
  verb('unset', {
    args: new Set([...select, 'value-name']),
    positional: menu.singleton ? ['value-name'] : ['numbers', 'value-name'],
    mutates: true,
    run: ({ args }) => {
      menu.unset(selected(menu, args), (args.get('value-name') ?? '').split(',').filter(Boolean))
      return {}
    },
  })
  if (menu.spec.canRemove !== false && !menu.singleton) {
    verb('remove', {
      args: new Set(select),
      positional: ['numbers'],
      mutates: true,
      run: ({ args }) => {
        menu.remove(selected(menu, args))
        return {}
      },
    })
  }
  if (menu.fieldsByName.has('disabled') && !menu.singleton) {
    for (const [name, value] of [
      ['enable', 'no'],
      ['disable', 'yes'],
    ] as const)
      verb(name, {
        args: new Set(select),
        positional: ['numbers'],
        mutates: true,
        run: ({ args }) => {
          menu.set(selected(menu, args), new Map([['disabled', value]]))
          return {}
        },
      })
  }
}

/** `move numbers= destination=` for menus whose order matters (firewall rules). */
export function registerMove(tree: CommandTree, menu: Menu): void {
  tree.verb(menu.path, 'move', {
    args: new Set(['numbers', 'destination']),
    positional: ['numbers', 'destination'],
    mutates: true,
    run: ({ args }) => {
      const destination = args.get('destination')
      menu.move(selected(menu, args), destination === undefined ? undefined : menu.resolve(destination)[0])
      return {}
    },
  })
}
