// Classifies the words of a request sentence (API manual, "API sentences"): the first word is the
// command, then `=name=value` attributes, `.name=value` API attributes (`.tag`) and `?` queries.
// Important: an attribute splits at the *second* `=`, so the value may itself contain `=` or be
// empty (`=name=iu=c3Eeg` keeps `iu=c3Eeg`).

export interface ApiRequest {
  /** The first word, e.g. `/ip/address/print`; '' when the sentence did not start with a command. */
  readonly command: string
  readonly attributes: Map<string, string>
  /** API attributes such as `.tag`, without the leading dot. */
  readonly apiAttributes: Map<string, string>
  /** Query words without the leading `?`. */
  readonly queries: string[]
}

export type WordKind =
  | { kind: 'attribute'; name: string; value: string }
  | { kind: 'api-attribute'; name: string; value: string }
  | { kind: 'query'; query: string }
  | { kind: 'command'; command: string }
  | { kind: 'unknown'; word: string }

export function classifyWord(word: string): WordKind {
  if (word.startsWith('=')) {
    const second = word.indexOf('=', 1)
    // `=name` without a second `=` is an attribute with an empty value (clients send `=as-string`).
    if (second === -1) return { kind: 'attribute', name: word.slice(1), value: '' }
    return { kind: 'attribute', name: word.slice(1, second), value: word.slice(second + 1) }
  }
  if (word.startsWith('.')) {
    const eq = word.indexOf('=')
    if (eq === -1) return { kind: 'api-attribute', name: word.slice(1), value: '' }
    return { kind: 'api-attribute', name: word.slice(1, eq), value: word.slice(eq + 1) }
  }
  if (word.startsWith('?')) return { kind: 'query', query: word.slice(1) }
  if (word.startsWith('/')) return { kind: 'command', command: word }
  return { kind: 'unknown', word }
}

export function parseRequest(words: readonly string[]): ApiRequest {
  const attributes = new Map<string, string>()
  const apiAttributes = new Map<string, string>()
  const queries: string[] = []
  let command = ''
  words.forEach((word, index) => {
    const kind = classifyWord(word)
    if (index === 0 && kind.kind === 'command') {
      command = kind.command
      return
    }
    switch (kind.kind) {
      case 'attribute':
        attributes.set(kind.name, kind.value)
        break
      case 'api-attribute':
        apiAttributes.set(kind.name, kind.value)
        break
      case 'query':
        queries.push(kind.query)
        break
      // Any other word (a command after the first, a word of no kind) is no API syntax: the server ignores it.
    }
  })
  return { command, attributes, apiAttributes, queries }
}
