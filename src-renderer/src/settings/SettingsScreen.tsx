// Settings: the cloud API and its token, concurrency, probe interval. The token is write-only: the
// core returns only whether one is set and its last four characters, and the input is masked.
import { type FormEvent, useEffect, useState } from 'react'
import { type Settings, SettingsUpdate } from '../../../src-main/contract/ipc-contract'
import { useApi, useCoreEvents } from '../api/api-context'
import { errorMessage } from '../api/error-message'
import { useAppData } from '../app/app-data'
import { FieldError, fieldA11y } from '../forms/FieldError'
import { type FieldIssues, fieldIssues, issuesOf } from '../forms/field-issues'

/** The form's text for each stored setting; an empty revert field means none. */
function formFields(loaded: Settings) {
  return {
    url: loaded.cloud_api_url,
    concurrency: String(loaded.concurrency),
    probe: String(loaded.probe_interval_s),
    revertAfter: loaded.default_revert_after_s === null ? '' : String(loaded.default_revert_after_s),
    backupInterval: String(loaded.backup_interval_h),
  }
}

export function SettingsScreen() {
  const api = useApi()
  const { refreshStatus } = useAppData()
  const [settings, setSettings] = useState<Settings | null>(null)
  const [url, setUrl] = useState('')
  const [token, setToken] = useState('')
  const [removeToken, setRemoveToken] = useState(false)
  const [concurrency, setConcurrency] = useState('')
  const [probe, setProbe] = useState('')
  // Empty: no default window (each job says for itself).
  const [revertAfter, setRevertAfter] = useState('')
  const [backupInterval, setBackupInterval] = useState('')
  const [issues, setIssues] = useState<FieldIssues>({})
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const [busy, setBusy] = useState(false)

  const show = (loaded: Settings) => {
    const fields = formFields(loaded)
    setSettings(loaded)
    setUrl(fields.url)
    setConcurrency(fields.concurrency)
    setProbe(fields.probe)
    setRevertAfter(fields.revertAfter)
    setBackupInterval(fields.backupInterval)
    setToken('')
    setRemoveToken(false)
  }

  useEffect(() => {
    api['settings:get']({}).then(show, (error) => setMessage({ ok: false, text: errorMessage(error) }))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api])

  /** Whether the form still shows what was loaded: nothing typed, ticked or changed since. */
  const untouched = (loaded: Settings) => {
    const fields = formFields(loaded)
    return (
      token === '' &&
      !removeToken &&
      url === fields.url &&
      concurrency === fields.concurrency &&
      probe === fields.probe &&
      revertAfter === fields.revertAfter &&
      backupInterval === fields.backupInterval
    )
  }

  // Saved elsewhere (another window, `fieldjobs settings set`): show the new values, unless the
  // engineer is editing this form, whose Save would then write what they typed.
  useCoreEvents((event) => {
    if (event.type !== 'settings.changed' || busy || !settings || !untouched(settings)) return
    // A failed read leaves the form as it is; the next Save or visit reads again.
    api['settings:get']({}).then(show, () => {})
  })

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setMessage(null)
    const update: Record<string, unknown> = {
      concurrency: concurrency.trim() === '' ? undefined : Number(concurrency),
      probe_interval_s: probe.trim() === '' ? undefined : Number(probe),
      default_revert_after_s: revertAfter.trim() === '' ? null : Number(revertAfter),
      backup_interval_h: backupInterval.trim() === '' ? undefined : Number(backupInterval),
    }
    if (url.trim() !== (settings?.cloud_api_url ?? '')) update.cloud_api_url = url.trim()
    if (removeToken) update.cloud_token = ''
    else if (token !== '') update.cloud_token = token
    const parsed = SettingsUpdate.safeParse(update)
    if (!parsed.success) {
      setIssues(fieldIssues(parsed.error))
      return
    }
    setIssues({})
    setBusy(true)
    try {
      show(await api['settings:update'](parsed.data))
      setMessage({ ok: true, text: 'Saved.' })
      // The core has restarted the cloud sync by now if the token or URL changed: the status bar
      // says so at once instead of "not configured" until the next event.
      void refreshStatus()
    } catch (error) {
      setIssues(issuesOf(error))
      setMessage({ ok: false, text: errorMessage(error) })
    } finally {
      setBusy(false)
    }
  }

  if (!settings) {
    return (
      <div className="form-screen">
        <h1>Settings</h1>
        {message ? <div className="notice error">{message.text}</div> : <p className="dim">Loading…</p>}
      </div>
    )
  }

  const numberField = (id: string, label: string, value: string, set: (value: string) => void, hint: string) => (
    <div className="field">
      <label htmlFor={`settings-${id}`}>{label}</label>
      <input
        id={`settings-${id}`}
        inputMode="numeric"
        value={value}
        onChange={(event) => set(event.target.value)}
        {...fieldA11y(id, issues[id], `hint-${id}`)}
        data-testid={`settings-${id}`}
      />
      <div className="hint dim" id={`hint-${id}`}>
        {hint}
      </div>
      <FieldError field={id} message={issues[id]} />
    </div>
  )

  return (
    <div className="form-screen">
      <h1>Settings</h1>
      <form className="settings-form" onSubmit={submit} noValidate data-testid="settings-form">
        <fieldset>
          <legend>Altostrat SDX cloud</legend>
          <div className="field">
            <label htmlFor="settings-cloud_api_url">Cloud API URL</label>
            <input
              id="settings-cloud_api_url"
              className="mono"
              value={url}
              onChange={(event) => setUrl(event.target.value)}
              {...fieldA11y('cloud_api_url', issues.cloud_api_url)}
              data-testid="settings-cloud_api_url"
            />
            <FieldError field="cloud_api_url" message={issues.cloud_api_url} />
          </div>
          <div className="field">
            <label htmlFor="settings-cloud_token">API token</label>
            <input
              id="settings-cloud_token"
              type="password"
              className="mono"
              autoComplete="off"
              value={token}
              disabled={removeToken}
              onChange={(event) => setToken(event.target.value)}
              placeholder={settings.cloud_token_set ? (settings.cloud_token_hint ? `set (ends in …${settings.cloud_token_hint}); type to replace` : 'set; type to replace') : 'not set'}
              aria-describedby="hint-cloud_token"
              data-testid="settings-cloud_token"
            />
            <div className="hint dim" id="hint-cloud_token" data-testid="token-state">
              {settings.cloud_token_set
                ? settings.cloud_token_hint
                  ? `A token is set, ending in …${settings.cloud_token_hint}. It is kept in the secret store and never shown.`
                  : 'A token is set (too short to show even its end). It is kept in the secret store and never shown.'
                : 'No token set: jobs routed to the cloud wait here until one is.'}
            </div>
            <FieldError field="cloud_token" message={issues.cloud_token} />
            {settings.cloud_token_set && (
              <label className="check">
                <input type="checkbox" checked={removeToken} onChange={(event) => setRemoveToken(event.target.checked)} data-testid="remove-token" />
                remove the token
              </label>
            )}
          </div>
        </fieldset>
        <fieldset>
          <legend>Queue</legend>
          {numberField('concurrency', 'Concurrency', concurrency, setConcurrency, 'Jobs run at once (one per site), 1–256.')}
          {numberField('probe_interval_s', 'Probe interval (s)', probe, setProbe, 'How often sites are checked; 0 turns probing off.')}
          {numberField(
            'default_revert_after_s',
            'Default revert after (s)',
            revertAfter,
            setRevertAfter,
            'Auto-revert window for LAN jobs that do not set one, 30–3600; empty: none. A job can still opt out.',
          )}
          {numberField(
            'backup_interval_h',
            'Back up every (h)',
            backupInterval,
            setBackupInterval,
            'Every site whose newest backup is older than this is backed up (by the app and fieldjobs run); 0: off.',
          )}
        </fieldset>
        {message && (
          <div className={`notice ${message.ok ? 'ok' : 'error'}`} role="status" data-testid="settings-message">
            {message.text}
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy} data-testid="save-settings">
            {busy ? 'Saving…' : 'Save settings'}
          </button>
          <span className="hint dim">Saved settings apply at once, with no restart.</span>
        </div>
      </form>
    </div>
  )
}
