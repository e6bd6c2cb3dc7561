// A script as the engineer reads it: monospace, line numbers, RouterOS colours, and (for a failed
// job) the line the router stopped at marked.
import { type ReactNode, useMemo } from 'react'
import { tokenizeLine } from './routeros-tokens'

export function highlightLine(line: string): ReactNode[] {
  return tokenizeLine(line).map((token, index) =>
    token.kind === 'text' ? (
      token.text
    ) : (
      <span key={index} className={`tok-${token.kind}`}>
        {token.text}
      </span>
    ),
  )
}

export function ScriptView({ script, errorLine, testId = 'script-view' }: { script: string; errorLine?: number | null; testId?: string }) {
  // Tokenized when the script changes, not on every render of the screen around it.
  const lines = useMemo(() => script.split('\n').map(highlightLine), [script])
  return (
    <pre className="script-view" data-testid={testId}>
      <code>
        {lines.map((line, index) => (
          <span
            key={index}
            className={`script-line${errorLine === index + 1 ? ' error-line' : ''}`}
            data-testid={errorLine === index + 1 ? 'script-error-line' : undefined}
          >
            <span className="line-number" aria-hidden="true">
              {index + 1}
            </span>
            <span className="line-text">{line}</span>
            {'\n'}
          </span>
        ))}
      </code>
    </pre>
  )
}
