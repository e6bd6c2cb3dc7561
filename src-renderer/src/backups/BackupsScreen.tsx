// Backups: per site, newest first. View an export, or diff any two (unified or side by side); the
// core leaves out the volatile header lines, so only configuration changes show.
import { useEffect, useMemo, useState } from 'react'
import type { Backup } from '../../../src-main/contract/ipc-contract'
import { useApi, useCoreEvents } from '../api/api-context'
import { errorMessage } from '../api/error-message'
import { useAppData } from '../app/app-data'
import { navigate, type Route, routeHref } from '../app/route'
import { formatTime } from '../jobs/job-wording'
import { ScriptView } from '../new-job/ScriptView'
import { BackupDiffView } from './BackupDiffView'

export function BackupsScreen({ route }: { route: Route }) {
  const api = useApi()
  const { sites, generation } = useAppData()
  // Opens on a site that has backups (the one with the newest), not on an empty first site.
  const [newestSite, setNewestSite] = useState<string | null | undefined>(undefined)
  useEffect(() => {
    if (route.params.site) return
    let live = true
    api['backups:list']({}).then(
      (all) => live && setNewestSite(all[0]?.site_id ?? null),
      () => live && setNewestSite(null),
    )
    return () => {
      live = false
    }
  }, [api, route.params.site])
  const siteId = route.params.site ?? (newestSite === undefined ? '' : (newestSite ?? sites[0]?.id ?? ''))
  const path = route.params.path
  const diff = route.params.diff
  const [backups, setBackups] = useState<Backup[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [from, setFrom] = useState<string | null>(null)
  const [to, setTo] = useState<string | null>(null)
  const [reload, setReload] = useState(0)
  const [backingUp, setBackingUp] = useState(false)
  const [runNotice, setRunNotice] = useState<{ ok: boolean; text: string } | null>(null)

  // `fieldjobs backup run` for this site: an export now, recorded as changed or unchanged.
  const backUpNow = async () => {
    setBackingUp(true)
    setRunNotice(null)
    try {
      const [result] = await api['backups:run']({ site_ids: [siteId] })
      if (result?.backup) setRunNotice({ ok: true, text: result.backup.changed === false ? 'backed up: the configuration is unchanged since the last backup' : 'backed up: a new configuration' })
      else setRunNotice({ ok: false, text: `backup failed: ${result?.error ?? 'no answer'}` })
      setReload((value) => value + 1)
    } catch (failure) {
      setRunNotice({ ok: false, text: `backup failed: ${errorMessage(failure)}` })
    } finally {
      setBackingUp(false)
    }
  }

  useEffect(() => {
    if (!siteId) return
    let live = true
    setError(null)
    api['backups:list']({ site_id: siteId }).then(
      (list) => live && setBackups(list),
      (failure) => live && setError(errorMessage(failure)),
    )
    return () => {
      live = false
    }
    // generation: the window reconnected after missing events, so the list is read again.
  }, [api, siteId, reload, generation])

  // A new backup of this site: a job's, the schedule's, or `fieldjobs backup run` in a terminal.
  useCoreEvents((event) => {
    if (event.type === 'backup.created' && event.backup.site_id === siteId) setReload((n) => n + 1)
  })

  const diffFrom = useMemo(() => {
    if (!diff || !path || !backups) return null
    if (diff !== 'previous') return diff
    // backups:list answers newest first, so the previous backup is the next row.
    const index = backups.findIndex((backup) => backup.path === path)
    return index >= 0 ? (backups[index + 1]?.path ?? null) : null
  }, [diff, path, backups])

  // The number a backup goes by in the CLI (`backup diff 3 7`), so the window and a terminal name it alike.
  const numberOf = (backupPath: string) => backups?.find((backup) => backup.path === backupPath)?.id ?? null

  const siteHref = (params: Record<string, string | undefined>) => routeHref('backups', undefined, { site: siteId, ...params })

  return (
    <div className="split backups">
      <section className="list-pane" aria-label="Backups">
        <div className="toolbar">
          <h1>Backups</h1>
          <label>
            site{' '}
            <select
              value={siteId}
              onChange={(event) => navigate(routeHref('backups', undefined, { site: event.target.value }))}
              data-testid="backup-site"
            >
              {sites.map((site) => (
                <option key={site.id} value={site.id}>
                  {site.name}
                </option>
              ))}
            </select>
          </label>
          {siteId && (
            <button type="button" onClick={() => void backUpNow()} disabled={backingUp} data-testid="backup-now">
              {backingUp ? 'Backing up…' : 'Back up now'}
            </button>
          )}
        </div>
        {runNotice && (
          <div className={`notice ${runNotice.ok ? 'ok' : 'error'}`} role="status" data-testid="backup-run-outcome">
            {runNotice.text}
          </div>
        )}
        {error && (
          <div className="notice error" role="alert">
            {error}
          </div>
        )}
        {backups && !error && backups.length === 0 && <p className="empty">No backups of this site yet. Queue a job with “back up first”.</p>}
        {backups && backups.length > 0 && (
          <>
            <table className="mini-table backup-table" data-testid="backup-list">
              <thead>
                <tr>
                  <th title="the number fieldjobs backup diff takes">#</th>
                  <th>taken</th>
                  <th title="changed since the previous backup">change</th>
                  <th>size</th>
                  <th title="compare from">from</th>
                  <th title="compare to">to</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {backups.map((backup, index) => (
                  <tr key={backup.path} className={backup.path === path ? 'active' : undefined} data-testid="backup-row" data-path={backup.path}>
                    <td className="mono dim" data-testid="backup-number">
                      {backup.id ?? '–'}
                    </td>
                    <td className="mono">
                      <a href={siteHref({ path: backup.path })} data-testid="view-backup" title={backup.path}>
                        {formatTime(backup.created_at)}
                      </a>
                    </td>
                    <td data-testid="backup-change" data-changed={String(backup.changed)}>
                      {backup.changed === true ? (
                        <span className="backup-mark changed" title="configuration changed since the previous backup">● changed</span>
                      ) : backup.changed === false ? (
                        <span className="backup-mark unchanged dim" title="same configuration as the previous backup">○ same</span>
                      ) : null}
                    </td>
                    <td className="dim">{backup.size.toLocaleString('en')} B</td>
                    <td>
                      <input
                        type="radio"
                        name="diff-from"
                        aria-label={`compare from ${formatTime(backup.created_at)}`}
                        checked={from === backup.path}
                        onChange={() => setFrom(backup.path)}
                        data-testid="diff-from"
                      />
                    </td>
                    <td>
                      <input
                        type="radio"
                        name="diff-to"
                        aria-label={`compare to ${formatTime(backup.created_at)}`}
                        checked={to === backup.path}
                        onChange={() => setTo(backup.path)}
                        data-testid="diff-to"
                      />
                    </td>
                    <td>
                      {index < backups.length - 1 && (
                        <a href={siteHref({ path: backup.path, diff: 'previous' })} data-testid="diff-previous">
                          diff previous
                        </a>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="form-actions">
              <button
                type="button"
                disabled={!from || !to || from === to}
                onClick={() => from && to && navigate(siteHref({ path: to, diff: from }))}
                data-testid="diff-selected"
              >
                Diff selected
              </button>
            </div>
          </>
        )}
      </section>
      <section className="detail-pane">
        {path && diff && diffFrom && (
          <BackupDiffView key={`${diffFrom}>${path}`} from={diffFrom} to={path} fromNumber={numberOf(diffFrom)} toNumber={numberOf(path)} />
        )}
        {path && diff && backups && !diffFrom && <p className="notice">This is the site's oldest backup: there is nothing before it to diff against.</p>}
        {path && !diff && <BackupExport key={path} path={path} number={numberOf(path)} />}
        {!path && <p className="empty">Pick a backup to view it, or two to compare.</p>}
      </section>
    </div>
  )
}

function BackupExport({ path, number }: { path: string; number: number | null }) {
  const api = useApi()
  const [content, setContent] = useState<{ text: string; intact: boolean } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [copied, setCopied] = useState<string | null>(null)
  useEffect(() => {
    api['backups:read']({ path }).then(setContent, (failure) => setError(errorMessage(failure)))
  }, [api, path])
  if (error) return <div className="notice error" role="alert">{error}</div>
  if (!content) return <p className="dim">Loading…</p>
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(content.text)
      setCopied('copied to the clipboard')
    } catch {
      setCopied('the clipboard refused: select the text and copy it, or download the file')
    }
  }
  // A Blob URL, so the export is saved exactly as stored, under the name RouterOS's /import takes.
  const download = () => {
    const url = URL.createObjectURL(new Blob([content.text], { type: 'text/plain' }))
    const link = document.createElement('a')
    link.href = url
    link.download = path.replace(/\//g, '-')
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }
  return (
    <div className="backup-export" data-testid="backup-view" data-path={path}>
      <h2 className="mono">
        {number !== null && <span data-testid="backup-view-number">backup {number} · </span>}
        {path}
      </h2>
      <p className="backup-actions">
        <button type="button" onClick={() => void copy()} data-testid="copy-backup">
          Copy
        </button>{' '}
        <button type="button" onClick={download} data-testid="download-backup">
          Download .rsc
        </button>{' '}
        {copied && (
          <span className="dim" role="status" data-testid="copy-outcome">
            {copied}
          </span>
        )}
      </p>
      {!content.intact && (
        <div className="notice error" role="alert" data-testid="backup-not-intact">
          This file no longer matches the hash recorded when it was taken: it was changed or damaged on disk.
        </div>
      )}
      <ScriptView script={content.text} testId="backup-text" />
    </div>
  )
}
