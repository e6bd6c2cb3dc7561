// API queries (`print`/`getall` only): each `?word` pushes a boolean, `?#ops` combines the stack,
// and whatever is left is ANDed. Values are compared in their printed form (what the client sees).
import { RouterTrap, TrapCategory } from '../contract'
import { BOOLEAN_WORDS } from './field'

function sameValue(actual: string, wanted: string): boolean {
  if (actual === wanted) return true
  const a = BOOLEAN_WORDS[actual]
  return a !== undefined && a === BOOLEAN_WORDS[wanted]
}

function compare(actual: string, wanted: string): number {
  const numeric = /^-?\d+$/
  if (numeric.test(actual) && numeric.test(wanted)) return Number(actual) - Number(wanted)
  return actual < wanted ? -1 : actual > wanted ? 1 : 0
}

/** Splits `name=value` at the first `=` (the value may contain `=`). */
function split(word: string): [string, string | undefined] {
  const at = word.indexOf('=')
  return at < 0 ? [word, undefined] : [word.slice(0, at), word.slice(at + 1)]
}

function test(item: Readonly<Record<string, string>>, word: string): boolean {
  const op = word[0]
  if (op === '-') return !(word.slice(1) in item)
  if (op === '<' || op === '>') {
    const [name, wanted = ''] = split(word.slice(1))
    if (!(name in item)) return false
    const order = compare(item[name], wanted)
    return op === '<' ? order < 0 : order > 0
  }
  // `?=name=x` is the manual's older spelling of `?name=x`.
  const [name, wanted] = split(op === '=' ? word.slice(1) : word)
  if (wanted === undefined) return name in item
  return name in item && sameValue(item[name], wanted)
}

function applyOperations(stack: boolean[], ops: string): void {
  const pop = () => {
    const value = stack.pop()
    if (value === undefined) throw new RouterTrap('invalid query', TrapCategory.apiFailure)
    return value
  }
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]
    if (op === '!') stack.push(!pop())
    else if (op === '&') {
      const b = pop()
      stack.push(pop() && b)
    } else if (op === '|') {
      const b = pop()
      stack.push(pop() || b)
    } else if (op === '.') {
      const top = pop()
      stack.push(top, top)
    } else if (/\d/.test(op)) {
      let digits = op
      while (i + 1 < ops.length && /\d/.test(ops[i + 1])) digits += ops[++i]
      // UNCONFIRMED: the manual says digits push a copy of a stack entry; we count from the top (0).
      const index = stack.length - 1 - Number(digits)
      if (index < 0) throw new RouterTrap('invalid query', TrapCategory.apiFailure)
      stack.push(stack[index])
    } else {
      throw new RouterTrap('invalid query', TrapCategory.apiFailure)
    }
  }
}

/** Whether one printed item passes the query words (given without their leading `?`). */
export function matchesQueries(item: Readonly<Record<string, string>>, queries: readonly string[]): boolean {
  if (queries.length === 0) return true
  const stack: boolean[] = []
  for (const word of queries) {
    if (word.startsWith('#')) applyOperations(stack, word.slice(1))
    else stack.push(test(item, word))
  }
  return stack.every(Boolean)
}
