// The script editor: a plain textarea (so typing, undo, paste and screen readers all work) over a
// highlighted copy of the same text, with a line-number gutter that scrolls with it.
import { useMemo, useRef } from 'react'
import { highlightLine } from './ScriptView'

interface ScriptEditorProps {
  id: string
  value: string
  onChange(value: string): void
  invalid?: boolean
  describedBy?: string
}

export function ScriptEditor({ id, value, onChange, invalid, describedBy }: ScriptEditorProps) {
  const gutter = useRef<HTMLDivElement>(null)
  const highlight = useRef<HTMLPreElement>(null)
  const lines = useMemo(() => value.split('\n'), [value])
  // Tokenized when the text changes, not on every render of the form around it.
  const highlighted = useMemo(() => lines.map((line) => (line === '' ? ' ' : highlightLine(line))), [lines])
  const syncScroll = (event: React.UIEvent<HTMLTextAreaElement>) => {
    const { scrollTop, scrollLeft } = event.currentTarget
    if (gutter.current) gutter.current.scrollTop = scrollTop
    if (highlight.current) {
      highlight.current.scrollTop = scrollTop
      highlight.current.scrollLeft = scrollLeft
    }
  }
  return (
    <div className={`script-editor${invalid ? ' invalid' : ''}`}>
      <div className="gutter" ref={gutter} aria-hidden="true">
        {lines.map((_, index) => (
          <div key={index}>{index + 1}</div>
        ))}
      </div>
      <div className="editor-body">
        <pre className="editor-highlight" ref={highlight} aria-hidden="true">
          {highlighted.map((line, index) => (
            <div key={index}>{line}</div>
          ))}
        </pre>
        <textarea
          id={id}
          value={value}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          wrap="off"
          onChange={(event) => onChange(event.target.value)}
          onScroll={syncScroll}
          onKeyDown={(event) => {
            // Tab moves focus on (no trap); Esc leaves the editor so single-key shortcuts work again.
            if (event.key === 'Escape') event.currentTarget.blur()
          }}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          data-testid="script-editor"
        />
      </div>
    </div>
  )
}
