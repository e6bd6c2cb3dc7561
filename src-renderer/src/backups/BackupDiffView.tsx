// Two exports compared: a unified diff, or aligned rows side by side (both computed by the core).
import { useEffect, useState } from 'react'
import type { BackupDiff } from '../../../src-main/contract/ipc-contract'
import { useApi } from '../api/api-context'
import { errorMessage } from '../api/error-message'

type Mode = 'side' | 'unified'

export function BackupDiffView({ from, to }: { from: string; to: string }) {
  const api = useApi()
  const [diff, setDiff] = useState<BackupDiff | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [mode, setMode] = useState<Mode>('side')

  useEffect(() => {
    api['backups:diff']({ from, to }).then(setDiff, (failure) => setError(errorMessage(failure)))
  }, [api, from, to])

  if (error) return <div className="notice error" role="alert">{error}</div>
  if (!diff) return <p className="dim">Comparing…</p>
  const changes = diff.rows.filter((row) => row.kind !== 'same').length

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
        {changes === 0 ? 'No configuration changes (header lines are ignored).' : `${changes} changed lines (header lines are ignored).`}
      </p>
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
        <table className="diff-side" data-testid="diff-side">
          <tbody>
            {diff.rows.map((row, index) => (
              <tr key={index} className={`diff-${row.kind}`} data-kind={row.kind}>
                <td className="diff-num">{row.left_line ?? ''}</td>
                <td className="diff-cell left">{row.left ?? ''}</td>
                <td className="diff-num">{row.right_line ?? ''}</td>
                <td className="diff-cell right">{row.right ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
