// The second parse pass: binds command names and argument names against the router's command
// tree, the way RouterOS compiles a whole script before running any of it. So a bad command name
// or an unknown argument anywhere fails the script before its first line runs (`bad command name
// foo (line 3 column 2)`, `expected end of command (line 2 column 10)`), while runtime failures
// (a trap from a command) stop the script at that line with earlier lines applied.
import type { CommandNode, CommandTree, VerbSpec } from '../commands/tree'
import { ScriptError, type ScriptPosition } from './errors'
import type { Expr, ExprOf, Piece, PieceOf, Statement, Word, WordOf } from './parser'

export type RPiece = PieceOf<Node>
export type RExpr = ExprOf<Node>
export type RWord = WordOf<Node>

export interface MenuArg {
  readonly name: string
  /** undefined for a switch (`print detail`). */
  readonly value: RWord | undefined
  readonly at: ScriptPosition
}

export type Node =
  | {
      readonly kind: 'menu'
      readonly verb: VerbSpec
      readonly args: MenuArg[]
      readonly at: ScriptPosition
    }
  | {
      readonly kind: 'builtin'
      readonly name: string
      readonly positional: RWord[]
      readonly named: ReadonlyMap<string, RWord>
      readonly at: ScriptPosition
    }
  | { readonly kind: 'block'; readonly body: Node[]; readonly at: ScriptPosition }

interface BuiltinSpec {
  readonly min: number
  readonly max: number
  readonly named?: readonly string[]
  /** `:log info ...`: the first word is a sub-command. */
  readonly levels?: readonly string[]
}

/** Script commands (`:put` ...) and the words they take. */
export const BUILTINS: Readonly<Record<string, BuiltinSpec>> = {
  put: { min: 0, max: 1 },
  log: { min: 1, max: 1, levels: ['info', 'warning', 'error', 'debug'] },
  error: { min: 1, max: 1 },
  delay: { min: 0, max: 1 },
  local: { min: 1, max: 2 },
  global: { min: 1, max: 2 },
  set: { min: 1, max: 2 },
  do: { min: 1, max: 1, named: ['on-error', 'while'] },
  if: { min: 1, max: 1, named: ['do', 'else'] },
  foreach: { min: 1, max: 1, named: ['in', 'do'] },
  while: { min: 1, max: 1, named: ['do'] },
  len: { min: 1, max: 1 },
  tostr: { min: 1, max: 1 },
  tonum: { min: 1, max: 1 },
  typeof: { min: 1, max: 1 },
  toarray: { min: 1, max: 1 },
  pick: { min: 2, max: 3 },
  return: { min: 0, max: 1 },
  nothing: { min: 0, max: 0 },
}

const fail = (reason: string, at: ScriptPosition): never => {
  throw new ScriptError(reason, at, true)
}

/** A word that is plain unquoted text (a command name, a path segment). */
function plainText(word: Word): string | undefined {
  const [first, ...rest] = word.pieces
  return rest.length === 0 && first?.kind === 'text' && !first.quoted ? first.value : undefined
}

/** `name=value`: split at the first `=` of the leading unquoted text. */
function splitNamed(word: Word): { name: string; value: Word } | undefined {
  const first = word.pieces[0]
  if (first?.kind !== 'text' || first.quoted) return undefined
  const at = first.value.indexOf('=')
  if (at <= 0) return undefined
  const rest = first.value.slice(at + 1)
  const pieces: Piece[] = rest === '' ? [] : [{ kind: 'text', value: rest, quoted: false }]
  return { name: first.value.slice(0, at), value: { pieces: [...pieces, ...word.pieces.slice(1)], at: word.at } }
}

/** Column of a path segment inside a word like `/ip/address/add` (for error positions). */
const shifted = (at: ScriptPosition, by: number): ScriptPosition => ({ line: at.line, column: at.column + by })

class Resolver {
  constructor(private readonly tree: CommandTree) {}

  block(statements: Statement[], context: CommandNode): Node[] {
    const nodes: Node[] = []
    let current = context
    for (const statement of statements) {
      const result = this.statement(statement, current)
      if (result.context) current = result.context
      if (result.node) nodes.push(result.node)
    }
    return nodes
  }

  private statement(statement: Statement, context: CommandNode): { node?: Node; context?: CommandNode } {
    const [first] = statement.words
    const head = plainText(first)
    if (head?.startsWith(':')) return { node: this.builtin(statement, head.slice(1), context) }
    if (head === undefined && statement.words.length === 1 && first.pieces.length === 1) {
      const piece = first.pieces[0]
      if (piece.kind === 'block') return { node: { kind: 'block', body: this.block(piece.body, context), at: statement.at } }
    }
    return this.command(statement, context)
  }

  private command(statement: Statement, context: CommandNode): { node?: Node; context?: CommandNode } {
    let node = context
    let index = 0
    let sawPath = false
    for (; index < statement.words.length; index++) {
      const word = statement.words[index]
      const text = plainText(word)
      if (text === undefined || text.includes('=')) break
      let offset = 0
      let segments = text.split('/')
      if (text.startsWith('/')) {
        node = this.tree.root
        segments = segments.slice(1)
        offset = 1
        sawPath = true
      }
      for (let s = 0; s < segments.length; s++) {
        const segment = segments[s]
        const at = shifted(word.at, offset)
        offset += segment.length + 1
        if (segment === '') continue
        if (segment === '..') {
          node = node.parent ?? node
          sawPath = true
          continue
        }
        const child = node.children.get(segment)
        const verb = node.verbs.get(segment)
        if (verb && (s === segments.length - 1 || !child)) {
          if (s !== segments.length - 1) fail('syntax error', shifted(word.at, offset))
          const args = this.menuArgs(statement.words.slice(index + 1), verb, node)
          return { node: { kind: 'menu', verb, args, at: statement.at } }
        }
        if (!child) fail(`bad command name ${segment}`, at)
        node = child as CommandNode
        sawPath = true
      }
    }
    if (index < statement.words.length || !sawPath) {
      const word = statement.words[index] ?? statement.words[0]
      const text = plainText(word)
      if (text !== undefined && !text.includes('=')) fail(`bad command name ${text}`, word.at)
      fail('syntax error', word.at)
    }
    // A line that is only a path changes the context for the lines after it.
    return { context: node }
  }

  private menuArgs(words: Word[], verb: VerbSpec, node: CommandNode): MenuArg[] {
    const args: MenuArg[] = []
    let positional = 0
    let where = false
    for (const word of words) {
      // `find where name=x and disabled=no`: the lab supports equality terms joined by `and`.
      if (verb.where && plainText(word) === (where ? 'and' : 'where')) {
        where = true
        continue
      }
      const named = splitNamed(word)
      if (named) {
        if (!verb.args.has(named.name)) fail('expected end of command', word.at)
        args.push({ name: named.name, value: this.word(named.value, node), at: word.at })
        continue
      }
      const text = plainText(word)
      if (text !== undefined && verb.flags?.has(text)) {
        args.push({ name: text, value: undefined, at: word.at })
        continue
      }
      const name = verb.positional?.[positional++]
      if (name === undefined) fail('expected end of command', word.at)
      args.push({ name: name as string, value: this.word(word, node), at: word.at })
    }
    return args
  }

  private builtin(statement: Statement, name: string, context: CommandNode): Node {
    const spec = BUILTINS[name]
    const [head, ...words] = statement.words
    if (!spec) fail(`bad command name ${name}`, shifted(head.at, 1))
    let rest = words
    const positional: RWord[] = []
    if (spec.levels) {
      const level = rest[0] ? plainText(rest[0]) : undefined
      if (level === undefined || !spec.levels.includes(level)) fail(`bad command name ${level ?? ''}`, (rest[0] ?? head).at)
      positional.push({ pieces: [{ kind: 'text', value: level as string, quoted: false }], at: rest[0].at })
      rest = rest.slice(1)
    }
    const named = new Map<string, RWord>()
    let count = 0
    for (const word of rest) {
      const pair = splitNamed(word)
      if (pair && spec.named?.includes(pair.name)) {
        named.set(pair.name, this.word(pair.value, context))
        continue
      }
      if (++count > spec.max) fail('expected end of command', word.at)
      positional.push(this.word(word, context))
    }
    if (count < spec.min) fail('syntax error', head.at)
    return { kind: 'builtin', name, positional, named, at: statement.at }
  }

  private word(word: Word, context: CommandNode): RWord {
    return { pieces: word.pieces.map((piece) => this.piece(piece, context)), at: word.at }
  }

  private piece(piece: Piece, context: CommandNode): RPiece {
    switch (piece.kind) {
      case 'command':
        return { kind: 'command', body: this.block(piece.body, context), at: piece.at }
      case 'block': {
        const items = arrayItems(piece.body)
        if (items) return { kind: 'array', items: items.map((item) => this.word(item, context)), at: piece.at }
        return { kind: 'block', body: this.block(piece.body, context), source: piece.source, at: piece.at }
      }
      case 'array':
        return { kind: 'array', items: piece.items.map((item) => this.word(item, context)), at: piece.at }
      case 'expr':
        return { kind: 'expr', expr: this.expr(piece.expr, context), at: piece.at }
      default:
        return piece
    }
  }

  private expr(expr: Expr, context: CommandNode): RExpr {
    switch (expr.kind) {
      case 'operand':
        return { kind: 'operand', piece: this.piece(expr.piece, context) }
      case 'unary':
        return { kind: 'unary', op: expr.op, operand: this.expr(expr.operand, context) }
      case 'binary':
        return { kind: 'binary', op: expr.op, left: this.expr(expr.left, context), right: this.expr(expr.right, context) }
    }
  }
}

/**
 * The items of an array literal, when a block used as a value is one: `:local a {1;2;3}`,
 * `:foreach i in={"a";"b"} do={...}`. RouterOS writes arrays and code both in braces. A block is
 * taken as an array when each of its statements is one value (a number, an address, quoted
 * text, a variable or an expression) and one at least is a literal, so `do={ :put 1 }` and
 * `do={ print }` stay code.
 */
function arrayItems(body: Statement[]): Word[] | undefined {
  if (body.length === 0 || body.some((statement) => statement.words.length !== 1)) return undefined
  const words = body.map((statement) => statement.words[0] as Word)
  const literal = (piece: Piece) => piece.kind === 'text' && (piece.quoted || /^-?\d+([.\/:]\d+)*$/.test(piece.value))
  const value = (piece: Piece) => literal(piece) || piece.kind === 'var' || piece.kind === 'expr'
  if (!words.every((word) => word.pieces.every(value))) return undefined
  return words.some((word) => word.pieces.some(literal)) ? words : undefined
}

export function resolveScript(statements: Statement[], tree: CommandTree): Node[] {
  return new Resolver(tree).block(statements, tree.root)
}
