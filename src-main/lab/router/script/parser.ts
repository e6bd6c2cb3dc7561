// RouterOS script syntax: statements of words, separated by newlines or `;`. A word is pieces
// glued together without spaces: bare text, "quoted text", $variables, [command substitutions],
// {blocks} and (expressions). This layer knows no command names; resolve.ts checks those.
import { ScriptError, type ScriptPosition } from './errors'
import { decodeEscape, isSpace, isWordBreak, SourceText } from './lexer'

/** A word's pieces. Generic in what a body holds: parsed statements here, resolved nodes in resolve.ts. */
export type PieceOf<Body> =
  | { readonly kind: 'text'; readonly value: string; readonly quoted: boolean }
  | { readonly kind: 'var'; readonly name: string; readonly at: ScriptPosition }
  | { readonly kind: 'command'; readonly body: Body[]; readonly at: ScriptPosition }
  | { readonly kind: 'block'; readonly body: Body[]; readonly source: string; readonly at: ScriptPosition }
  | { readonly kind: 'expr'; readonly expr: ExprOf<Body>; readonly at: ScriptPosition }
  // `{1;2;"three"}`, told from a block by resolve.ts (arrayItems).
  | { readonly kind: 'array'; readonly items: WordOf<Body>[]; readonly at: ScriptPosition }

export type ExprOf<Body> =
  | { readonly kind: 'operand'; readonly piece: PieceOf<Body> }
  | { readonly kind: 'unary'; readonly op: string; readonly operand: ExprOf<Body> }
  | { readonly kind: 'binary'; readonly op: string; readonly left: ExprOf<Body>; readonly right: ExprOf<Body> }

export interface WordOf<Body> {
  readonly pieces: PieceOf<Body>[]
  readonly at: ScriptPosition
}

export type Piece = PieceOf<Statement>
export type Expr = ExprOf<Statement>
export type Word = WordOf<Statement>

export interface Statement {
  readonly words: Word[]
  readonly at: ScriptPosition
}

const CLOSERS = new Set(['}', ']', ')'])

// Binding strength of binary operators inside `( ... )`; higher binds tighter.
const BINARY: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '=': 3,
  '!=': 3,
  '<': 3,
  '>': 3,
  '<=': 3,
  '>=': 3,
  '~': 3,
  '.': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
}
const OPERATORS = ['&&', '||', '!=', '<=', '>=', '=', '<', '>', '~', '.', '+', '-', '*', '/', '%', '!']

class Parser {
  private pos = 0
  private readonly text: string

  constructor(private readonly source: SourceText) {
    this.text = source.text
  }

  private at(offset = this.pos): ScriptPosition {
    return this.source.positionOf(offset)
  }

  private fail(offset = this.pos): never {
    throw new ScriptError('syntax error', this.at(offset), true)
  }

  private peek(offset = 0): string | undefined {
    return this.text[this.pos + offset]
  }

  private skipSpaces(): void {
    while (isSpace(this.peek())) this.pos++
  }

  script(): Statement[] {
    const body = this.statements(undefined)
    if (this.pos < this.text.length) this.fail()
    return body
  }

  private statements(close: string | undefined): Statement[] {
    const body: Statement[] = []
    for (;;) {
      this.skipSpaces()
      const char = this.peek()
      if (char === undefined) {
        if (close) this.fail()
        return body
      }
      if (char === close) return body
      if (char === '\n' || char === ';') {
        this.pos++
        continue
      }
      if (char === '#') {
        while (this.peek() !== undefined && this.peek() !== '\n') this.pos++
        continue
      }
      if (CLOSERS.has(char)) this.fail()
      body.push(this.statement(close))
    }
  }

  private statement(close: string | undefined): Statement {
    const words: Word[] = []
    const at = this.at()
    for (;;) {
      this.skipSpaces()
      const char = this.peek()
      if (char === undefined || char === '\n' || char === ';' || char === close) break
      if (CLOSERS.has(char)) this.fail()
      words.push(this.word())
    }
    return { words, at }
  }

  private word(): Word {
    const at = this.at()
    const pieces: Piece[] = []
    for (;;) {
      const char = this.peek()
      if (char === undefined || isSpace(char) || char === '\n' || char === ';' || CLOSERS.has(char)) break
      if (char === '"') this.quoted(pieces)
      else if (char === '$') pieces.push(this.dollar())
      else if (char === '[') pieces.push(this.substitution())
      else if (char === '{') pieces.push(this.block())
      else if (char === '(') pieces.push(this.parenthesised())
      else pieces.push({ kind: 'text', value: this.bare(), quoted: false })
    }
    return { pieces, at }
  }

  private bare(): string {
    let value = ''
    while (!isWordBreak(this.peek())) {
      if (this.peek() === '\\') {
        const escape = decodeEscape(this.text, this.pos + 1)
        value += escape.value
        this.pos += 1 + escape.length
      } else {
        value += this.peek()
        this.pos++
      }
    }
    return value
  }

  private quoted(pieces: Piece[]): void {
    const start = this.pos
    this.pos++
    let value = ''
    const flush = () => {
      if (value !== '') pieces.push({ kind: 'text', value, quoted: true })
      value = ''
    }
    for (;;) {
      const char = this.peek()
      if (char === undefined) this.fail(start)
      if (char === '"') {
        this.pos++
        break
      }
      if (char === '\\') {
        const escape = decodeEscape(this.text, this.pos + 1)
        value += escape.value
        this.pos += 1 + escape.length
      } else if (char === '$' && /[A-Za-z0-9_[(]/.test(this.peek(1) ?? '')) {
        flush()
        pieces.push(this.dollar())
      } else {
        value += char
        this.pos++
      }
    }
    // `""` is a word too: the empty string.
    if (value !== '' || pieces.length === 0 || this.text[start + 1] === '"') pieces.push({ kind: 'text', value, quoted: true })
  }

  private dollar(): Piece {
    const at = this.at()
    this.pos++
    const next = this.peek()
    if (next === '[') return this.substitution()
    if (next === '(') return this.parenthesised()
    if (next === '"') {
      const parts: Piece[] = []
      this.quoted(parts)
      const name = parts.map((part) => (part.kind === 'text' ? part.value : '')).join('')
      return { kind: 'var', name, at }
    }
    const match = /^[A-Za-z0-9_]+/.exec(this.text.slice(this.pos))
    if (!match) this.fail()
    this.pos += match[0].length
    return { kind: 'var', name: match[0], at }
  }

  private substitution(): Piece {
    const at = this.at()
    this.pos++
    const body = this.statements(']')
    this.pos++
    return { kind: 'command', body, at }
  }

  private block(): Piece {
    const at = this.at()
    const start = this.pos
    this.pos++
    const body = this.statements('}')
    this.pos++
    return { kind: 'block', body, source: this.text.slice(start + 1, this.pos - 1), at }
  }

  private parenthesised(): Piece {
    const at = this.at()
    this.pos++
    const expr = this.expression(0)
    this.skipBlank()
    if (this.peek() !== ')') this.fail()
    this.pos++
    return { kind: 'expr', expr, at }
  }

  private skipBlank(): void {
    while (isSpace(this.peek()) || this.peek() === '\n') this.pos++
  }

  private operator(): string | undefined {
    this.skipBlank()
    return OPERATORS.find((op) => this.text.startsWith(op, this.pos))
  }

  private expression(minimum: number): Expr {
    let left = this.unary()
    for (;;) {
      const op = this.operator()
      if (!op || BINARY[op] === undefined || BINARY[op] <= minimum) return left
      this.pos += op.length
      const right = this.expression(BINARY[op])
      left = { kind: 'binary', op, left, right }
    }
  }

  private unary(): Expr {
    this.skipBlank()
    const char = this.peek()
    if (char === '!' || (char === '-' && !/[0-9]/.test(this.peek(1) ?? ''))) {
      this.pos++
      return { kind: 'unary', op: char, operand: this.unary() }
    }
    return { kind: 'operand', piece: this.operand() }
  }

  private operand(): Piece {
    const char = this.peek()
    if (char === '"') {
      const pieces: Piece[] = []
      this.quoted(pieces)
      if (pieces.length === 1) return pieces[0]
      // A string with variables inside becomes a concatenation of its parts.
      return { kind: 'expr', expr: this.concatenation(pieces), at: this.at() }
    }
    if (char === '$') return this.dollar()
    if (char === '[') return this.substitution()
    if (char === '(') return this.parenthesised()
    // Literals: numbers, addresses (`10.0.0.1/24`), times (`1d`), `true`/`false`.
    const match = /^-?[A-Za-z0-9_](?:[A-Za-z0-9_:]|[./-](?=[A-Za-z0-9_]))*/.exec(this.text.slice(this.pos))
    if (!match) this.fail()
    this.pos += match[0].length
    return { kind: 'text', value: match[0], quoted: false }
  }

  private concatenation(pieces: Piece[]): Expr {
    return pieces
      .map((piece): Expr => ({ kind: 'operand', piece }))
      .reduce((left, right) => ({ kind: 'binary', op: '.', left, right }))
  }
}

export function parseScript(source: string): Statement[] {
  return new Parser(new SourceText(source)).script()
}
