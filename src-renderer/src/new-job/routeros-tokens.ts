// A small RouterOS script tokenizer for highlighting: menu paths (/ip address), commands (:put),
// key=value arguments, $variables, "strings" and # comments. It colours; it does not validate: the
// router is the judge of what a script means.
export type TokenKind = 'comment' | 'path' | 'command' | 'key' | 'string' | 'variable' | 'operator' | 'text'

export interface Token {
  kind: TokenKind
  text: string
}

const patterns: Array<[TokenKind, RegExp]> = [
  ['string', /^"(?:[^"\\]|\\.)*"?/],
  ['variable', /^\$[A-Za-z0-9_-]+/],
  ['command', /^:[A-Za-z][A-Za-z0-9-]*/],
  ['path', /^\/[A-Za-z0-9/_-]*/],
  ['key', /^[A-Za-z0-9_.-]+(?==)/],
  ['operator', /^[=;{}[\]()]/],
]

export function tokenizeLine(line: string): Token[] {
  const tokens: Token[] = []
  const push = (kind: TokenKind, text: string) => {
    const last = tokens[tokens.length - 1]
    if (last && last.kind === kind && kind === 'text') last.text += text
    else tokens.push({ kind, text })
  }
  // A comment is a line whose first non-blank character is #.
  const comment = /^(\s*)(#.*)$/.exec(line)
  if (comment) {
    if (comment[1]) push('text', comment[1])
    push('comment', comment[2]!)
    return tokens
  }
  let rest = line
  let atWordStart = true
  while (rest.length > 0) {
    let matched = false
    if (atWordStart || rest[0] === '"' || rest[0] === '$' || rest[0] === '=' || rest[0] === ';') {
      for (const [kind, pattern] of patterns) {
        const match = pattern.exec(rest)
        if (match && match[0].length > 0) {
          push(kind, match[0])
          rest = rest.slice(match[0].length)
          atWordStart = kind === 'operator'
          matched = true
          break
        }
      }
    }
    if (!matched) {
      const char = rest[0]!
      push('text', char)
      rest = rest.slice(1)
      atWordStart = /[\s[{(]/.test(char)
    }
  }
  return tokens
}
