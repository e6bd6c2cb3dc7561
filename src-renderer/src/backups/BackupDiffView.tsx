// Two exports compared: a unified diff, or aligned rows side by side (both computed by the core).
import { diffWordsWithSpace } from 'diff'
import { type ReactNode, useEffect, useState } from 'react'
import type { BackupDiff } from '../../../src-main/contract/ipc-contract'
import { useApi } from '../api/api-context'
import { errorMessage } from '../api/error-message'
import { counted } from '../../../src-main/contract/counted'

type Mode = 'side' | 'unified'

/** Unchanged lines kept around each change in the side-by-side view; the rest fold away. */
const CONTEXT = 3

type Shown = { kind: 'row'; index: number } | { kind: 'fold'; count: number }

/** The rows to show: every change with CONTEXT lines either side, and a fold for each long run. */
export function foldRows(kinds: ReadonlyArray<string>, context = CONTEXT): Shown[] {
  const near = new Array<boolean>(kinds.length).fill(false)
  kinds.forEach((kind, index) => {
    if (kind === 'same') return
    for (let i = Math.max(0, index - context); i <= Math.min(kinds.length - 1, index + context); i++) near[i] = true
  })
  const shown: Shown[] = []
  let folded = 0
  near.forEach((keep, index) => {
    if (keep) {
      if (folded > 0) shown.push({ kind: 'fold', count: folded })
      folded = 0
      shown.push({ kind: 'row', index })
    } else folded++
  })
  if (folded > 0) shown.push({ kind: 'fold', count: folded })
  return shown
}

/**
 * A changed line with the words that differ marked, so `10.10.10.1/24` -> `10.10.20.1/24` shows
 * where in a long RouterOS line the change is. `side` picks which line's words are shown.
 */
export function wordDiff(left: string, right: string, side: 'left' | 'right'): ReactNode[] {
  return diffWordsWithSpace(left, right).flatMap((part, index): ReactNode[] => {
    if (side === 'left' && part.added) return []
    if (side === 'right' && part.removed) return []
    if (part.added || part.removed) return [<mark key={index} className="diff-word" data-testid="diff-word">{part.value}</mark>]
    return [part.value]
  })
}

/** `fromNumber`/`toNumber`: the backups' numbers, when known, for the same diff in a terminal. */
export function BackupDiffView({ from, to, fromNumber = null, toNumber = null }: { from: string; to: string; fromNumber?: number | null; toNumber?: number | null }) {
  const api = useApi()
  const [diff, setDiff] = useState<BackupDiff | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [mode, setMode] = useState<Mode>('side')
  const [allLines, setAllLines] = useState(false)

  useEffect(() => {
    api['backups:diff']({ from, to }).then(setDiff, (failure) => setError(errorMessage(failure)))
  }, [api, from, to])

  if (error) return <div className="notice error" role="alert">{error}</div>
  if (!diff) return <p className="dim">Comparing…</p>
  const changes = diff.rows.filter((row) => row.kind !== 'same').length
  const shown: Shown[] = allLines ? diff.rows.map((_, index) => ({ kind: 'row', index })) : foldRows(diff.rows.map((row) => row.kind))

  return (
    <div className="backup-diff" data-testid="backup-diff">
      <header className="detail-head">
        <h2>
          <span className="mono">{from}</span> → <span className="mono">{to}</span>
        </h2>
        <div className="segmented" role="group" aria-label="Diff view">
          <button type="button" aria-pressed={mode === 'side'} onClick={() => setMode('side')} data-testid="diff-mode-side">
            Side by side
          </button>
          <button type="button" aria-pressed={mode === 'unified'} onClick={() => setMode('unified')} data-testid="diff-mode-unified">
            Unified
          </button>
        </div>
      </header>
      <p className="dim" data-testid="diff-summary">
        {changes === 0
          ? 'No configuration changes (header lines are ignored).'
          : `${counted(changes, 'changed line')} (header lines are ignored).`}{' '}
        {mode === 'side' && (
          <button type="button" className="link" onClick={() => setAllLines((value) => !value)} data-testid="diff-all-lines">
            {allLines ? 'fold unchanged lines' : 'show all lines'}
          </button>
        )}
      </p>
      {fromNumber !== null && toNumber !== null && (
        <p className="dim">
          In a terminal: <code data-testid="diff-cli">fieldjobs backup diff {fromNumber} {toNumber}</code>
        </p>
      )}
      {mode === 'unified' ? (
        <pre className="diff-unified" data-testid="diff-unified">
          {diff.unified.split('\n').map((line, index) => (
            <span
              key={index}
              className={
                line.startsWith('+++') || line.startsWith('---')
                  ? 'diff-file'
                  : line.startsWith('@@')
                    ? 'diff-hunk'
                    : line.startsWith('+')
                      ? 'diff-added'
                      : line.startsWith('-')
                        ? 'diff-removed'
                        : undefined
              }
            >
              {line}
              {'\n'}
            </span>
          ))}
        </pre>
      ) : (
        // Important: both sides stay in view; lines wrap only at spaces, so a RouterOS value like
        // `10.10.10.1/24` never breaks mid-token (styles.css, .diff-side).
        <table className="diff-side" data-testid="diff-side">
          <colgroup>
            <col className="diff-gutter" />
            <col />
            <col className="diff-gutter" />
            <col />
          </colgroup>
          <tbody>
            {shown.map((entry, position) => {
              if (entry.kind === 'fold') {
                return (
                  <tr key={`fold-${position}`} className="diff-fold" data-kind="fold">
                    <td colSpan={4}>⋯ {counted(entry.count, 'unchanged line')}</td>
                  </tr>
                )
              }
              const row = diff.rows[entry.index]!
              return (
                <tr key={entry.index} className={`diff-${row.kind}`} data-kind={row.kind}>
                  <td className="diff-num">{row.left_line ?? ''}</td>
                  <td className="diff-cell left">{row.kind === 'changed' ? wordDiff(row.left ?? '', row.right ?? '', 'left') : (row.left ?? '')}</td>
                  <td className="diff-num">{row.right_line ?? ''}</td>
                  <td className="diff-cell right">{row.kind === 'changed' ? wordDiff(row.left ?? '', row.right ?? '', 'right') : (row.right ?? '')}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </div>
  )
}
