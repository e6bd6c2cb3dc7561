// Runs resolved script nodes line by line. The first failure stops the script; whatever ran before
// it stays applied (RouterOS has no transactions), and the failure names its line and column.
import { RouterTrap, TrapCategory } from '../contract'
import type { VerbContext } from '../commands/tree'
import { parseDuration } from '../time'
import { ScriptError, type ScriptPosition } from './errors'
import type { ScriptHost, ScriptValue } from './host'
import type { Node, RExpr, RPiece, RWord } from './resolve'

class Scope {
  readonly vars = new Map<string, ScriptValue>()
  constructor(readonly parent?: Scope) {}

  lookup(name: string): Scope | undefined {
    return this.vars.has(name) ? this : this.parent?.lookup(name)
  }
}

/** `:return` unwinds to the nearest command substitution or to the script's end. */
class ReturnSignal {
  constructor(readonly value: ScriptValue) {}
}

const TRUE = new Set(['true', 'yes'])
const truthy = (value: ScriptValue) =>
  typeof value === 'string' ? TRUE.has(value) || (/^-?\d+$/.test(value) && Number(value) !== 0) : value.length > 0
const bool = (value: boolean) => (value ? 'true' : 'false')
const numeric = (value: string) => /^-?\d+$/.test(value)

/** How a value reads as text: arrays join with `;` as `:put` prints them. */
export function valueText(value: ScriptValue): string {
  return typeof value === 'string' ? value : value.map(valueText).join(';')
}

/** How a value goes into a command argument: lists of ids join with `,` (`numbers=*1,*2`). */
const argumentText = (value: ScriptValue) => (typeof value === 'string' ? value : value.map(valueText).join(','))

export interface InterpreterOptions {
  readonly user: string
  readonly signal: AbortSignal
  onOutput(line: string): void
}

export class Interpreter {
  constructor(
    private readonly host: ScriptHost,
    private readonly options: InterpreterOptions,
  ) {}

  async run(nodes: Node[]): Promise<void> {
    try {
      await this.block(nodes, new Scope())
    } catch (error) {
      if (error instanceof ReturnSignal) return
      throw error
    }
  }

  private async block(nodes: Node[], scope: Scope): Promise<ScriptValue> {
    let last: ScriptValue = ''
    for (const node of nodes) {
      if (this.options.signal.aborted) throw new ScriptError('interrupted', node.at)
      last = await this.node(node, scope)
    }
    return last
  }

  private async node(node: Node, scope: Scope): Promise<ScriptValue> {
    try {
      if (node.kind === 'block') return await this.block(node.body, new Scope(scope))
      if (node.kind === 'builtin') return await this.builtin(node, scope)
      const args = new Map<string, string>()
      for (const arg of node.args) args.set(arg.name, arg.value ? argumentText(await this.word(arg.value, scope)) : 'yes')
      const ctx: VerbContext = {
        user: this.options.user,
        signal: this.options.signal,
        origin: 'script',
        emitItem: () => {},
        output: (line) => this.options.onOutput(line),
      }
      const result = await node.verb.run({ args, queries: [] }, ctx)
      return result.list ? [...result.list] : (result.ret ?? '')
    } catch (error) {
      if (error instanceof ScriptError || error instanceof ReturnSignal) throw error
      if (error instanceof RouterTrap) {
        if (error.category === TrapCategory.executionInterrupted) throw new ScriptError('interrupted', node.at)
        throw new ScriptError(error.message, node.at)
      }
      // Anything else (a bad regular expression in `~`...) still fails only this script.
      if (error instanceof Error) throw new ScriptError(error.message, node.at)
      throw error
    }
  }

  private blockOf(word: RWord | undefined, at: ScriptPosition): Node[] {
    const piece = word?.pieces[0]
    if (word?.pieces.length === 1 && piece?.kind === 'block') return piece.body
    throw new ScriptError('syntax error', word?.at ?? at)
  }

  private async builtin(node: Extract<Node, { kind: 'builtin' }>, scope: Scope): Promise<ScriptValue> {
    const { positional, named, at } = node
    const value = async (index: number) => (positional[index] ? this.word(positional[index], scope) : '')
    const text = async (index: number) => valueText(await value(index))
    switch (node.name) {
      case 'put':
        this.options.onOutput(await text(0))
        return ''
      case 'log':
        this.host.log(`script,${await text(0)}`, await text(1))
        return ''
      case 'error':
        throw new ScriptError(await text(0), at)
      case 'delay': {
        const ms = parseDuration(positional[0] ? await text(0) : '1s')
        if (ms === undefined) throw new ScriptError('invalid time value', at)
        await this.host.sleep(ms, this.options.signal)
        return ''
      }
      case 'local':
        scope.vars.set(await text(0), await value(1))
        return ''
      case 'global':
        this.host.globals.set(await text(0), positional[1] ? await value(1) : (this.host.globals.get(await text(0)) ?? ''))
        return ''
      case 'set': {
        const name = await text(0)
        const v = await value(1)
        const owner = scope.lookup(name)
        if (owner) owner.vars.set(name, v)
        else if (this.host.globals.has(name)) this.host.globals.set(name, v)
        else scope.vars.set(name, v)
        return ''
      }
      case 'do': {
        const body = this.blockOf(positional[0], at)
        const onError = named.get('on-error')
        const loop = named.get('while')
        try {
          do await this.block(body, new Scope(scope))
          while (loop && truthy(await this.word(loop, scope)))
        } catch (error) {
          if (!onError || this.options.signal.aborted || !(error instanceof ScriptError)) throw error
          await this.block(this.blockOf(onError, at), new Scope(scope))
        }
        return ''
      }
      case 'if': {
        const branch = truthy(await value(0)) ? named.get('do') : named.get('else')
        if (branch) await this.block(this.blockOf(branch, at), new Scope(scope))
        return ''
      }
      case 'while': {
        const body = this.blockOf(named.get('do'), at)
        while (truthy(await value(0))) await this.block(body, new Scope(scope))
        return ''
      }
      case 'foreach': {
        const name = await text(0)
        const list = named.get('in') ? await this.word(named.get('in') as RWord, scope) : []
        const body = this.blockOf(named.get('do'), at)
        for (const item of typeof list === 'string' ? [list] : list) {
          const inner = new Scope(scope)
          inner.vars.set(name, item)
          await this.block(body, inner)
        }
        return ''
      }
      case 'len': {
        const v = await value(0)
        return String(v.length)
      }
      case 'tostr':
        return text(0)
      case 'tonum': {
        const t = await text(0)
        return numeric(t) ? String(Number(t)) : ''
      }
      case 'typeof': {
        const v = await value(0)
        if (typeof v !== 'string') return 'array'
        if (v === '') return 'nothing'
        if (numeric(v)) return 'num'
        if (v === 'true' || v === 'false') return 'bool'
        return 'str'
      }
      case 'toarray': {
        const v = await value(0)
        return typeof v === 'string' ? (v === '' ? [] : v.split(',')) : v
      }
      case 'pick': {
        const v = await value(0)
        const start = Number(await text(1))
        const end = positional[2] ? Number(await text(2)) : start + 1
        return typeof v === 'string' ? v.slice(start, end) : positional[2] ? v.slice(start, end) : (v[start] ?? '')
      }
      case 'return':
        throw new ReturnSignal(await value(0))
      default:
        return ''
    }
  }

  private async word(word: RWord, scope: Scope): Promise<ScriptValue> {
    if (word.pieces.length === 1) return this.piece(word.pieces[0], scope)
    let out = ''
    for (const piece of word.pieces) out += valueText(await this.piece(piece, scope))
    return out
  }

  private async piece(piece: RPiece, scope: Scope): Promise<ScriptValue> {
    switch (piece.kind) {
      case 'text':
        return piece.value
      case 'var':
        // The lab lets scripts read globals without a `:global` declaration (RouterOS wants one).
        return scope.lookup(piece.name)?.vars.get(piece.name) ?? this.host.globals.get(piece.name) ?? ''
      case 'command':
        try {
          return await this.block(piece.body, new Scope(scope))
        } catch (error) {
          if (error instanceof ReturnSignal) return error.value
          throw error
        }
      case 'array': {
        const items: ScriptValue[] = []
        for (const item of piece.items) items.push(await this.word(item, scope))
        return items
      }
      case 'block':
        // A block used as a value (e.g. `on-event={...}`) is its source text.
        return piece.source.trim()
      case 'expr':
        return this.expr(piece.expr, scope)
    }
  }

  private async expr(expr: RExpr, scope: Scope): Promise<ScriptValue> {
    if (expr.kind === 'operand') return this.piece(expr.piece, scope)
    if (expr.kind === 'unary') {
      const v = valueText(await this.expr(expr.operand, scope))
      return expr.op === '!' ? bool(!truthy(v)) : numeric(v) ? String(-Number(v)) : ''
    }
    if (expr.op === '&&') return bool(truthy(await this.expr(expr.left, scope)) && truthy(await this.expr(expr.right, scope)))
    if (expr.op === '||') return bool(truthy(await this.expr(expr.left, scope)) || truthy(await this.expr(expr.right, scope)))
    const left = await this.expr(expr.left, scope)
    const right = await this.expr(expr.right, scope)
    if (expr.op === '.') {
      if (typeof left !== 'string' || typeof right !== 'string')
        return [...(typeof left === 'string' ? [left] : left), ...(typeof right === 'string' ? [right] : right)]
      return left + right
    }
    const a = valueText(left)
    const b = valueText(right)
    const both = numeric(a) && numeric(b)
    const order = both ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0
    switch (expr.op) {
      case '=':
        return bool(a === b)
      case '!=':
        return bool(a !== b)
      case '<':
        return bool(order < 0)
      case '>':
        return bool(order > 0)
      case '<=':
        return bool(order <= 0)
      case '>=':
        return bool(order >= 0)
      case '~':
        return bool(new RegExp(b).test(a))
    }
    if (!both) return ''
    const x = Number(a)
    const y = Number(b)
    switch (expr.op) {
      case '+':
        return String(x + y)
      case '-':
        return String(x - y)
      case '*':
        return String(x * y)
      case '/':
        return y === 0 ? '' : String(Math.trunc(x / y))
      default:
        return String(y === 0 ? 0 : x % y)
    }
  }
}
