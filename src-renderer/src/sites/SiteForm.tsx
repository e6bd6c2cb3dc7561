// Add or edit a site. Checked with NewSiteInput / SiteUpdate, the schemas the core parses with.
import { type FormEvent, useState } from 'react'
import { type CodePage, NewSiteInput, type Site, SiteUpdate } from '../../../src-main/contract/site-schema'
import { codePages } from '../../../src-main/contract/site-values'
import { useApi } from '../api/api-context'
import { errorMessage } from '../api/error-message'
import { FieldError, fieldA11y } from '../forms/FieldError'
import { type FieldIssues, fieldIssues, issuesOf } from '../forms/field-issues'

export function SiteForm({
  site,
  prefill,
  onDone,
  onCancel,
}: {
  site?: Site
  /** A new site's first values (a discovered router's identity, address and API port). */
  prefill?: { name?: string; host?: string; port?: string; mac?: string }
  onDone(site: Site): void
  onCancel(): void
}) {
  const api = useApi()
  const [name, setName] = useState(site?.name ?? prefill?.name ?? '')
  const [host, setHost] = useState(site?.host ?? prefill?.host ?? '')
  const [port, setPort] = useState(site ? String(site.api_port) : (prefill?.port ?? ''))
  const [tls, setTls] = useState(site?.tls ?? false)
  const [username, setUsername] = useState(site?.username ?? 'admin')
  const [password, setPassword] = useState('')
  const [cloudSiteId, setCloudSiteId] = useState(site?.cloud_site_id ?? '')
  const [codePage, setCodePage] = useState<CodePage>(site?.code_page ?? 'auto')
  const [anonymousDh, setAnonymousDh] = useState(site?.allow_anonymous_dh ?? false)
  const [attempted, setAttempted] = useState(false)
  const [serverIssues, setServerIssues] = useState<FieldIssues>({})
  const [submitError, setSubmitError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const fields = {
    name,
    host,
    api_port: port.trim() === '' ? undefined : Number(port),
    tls,
    username,
    cloud_site_id: cloudSiteId.trim() === '' ? null : cloudSiteId.trim(),
    code_page: codePage,
    allow_anonymous_dh: anonymousDh,
    // From discovery's Add: the MAC lets the next scan know this router by it.
    ...(site || !prefill?.mac ? {} : { mac: prefill.mac }),
  }
  // Editing leaves the stored password alone unless a new one is typed.
  const input = site
    ? { id: site.id, ...fields, ...(password ? { password } : {}) }
    : { ...fields, password }
  const parsed = site ? SiteUpdate.safeParse(input) : NewSiteInput.safeParse(input)
  const issues = { ...(attempted ? fieldIssues(parsed.error) : {}), ...serverIssues }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setAttempted(true)
    setServerIssues({})
    setSubmitError(null)
    if (!parsed.success) {
      const first = parsed.error.issues[0]?.path.map(String).join('.')
      if (first) document.getElementById(`site-${first}`)?.focus()
      return
    }
    setBusy(true)
    try {
      const saved = site ? await api['sites:update'](input as SiteUpdate) : await api['sites:add'](input as NewSiteInput)
      onDone(saved)
    } catch (error) {
      setSubmitError(errorMessage(error))
      setServerIssues(issuesOf(error))
    } finally {
      setBusy(false)
    }
  }

  const text = (id: string, label: string, value: string, set: (value: string) => void, extra: Record<string, string> = {}) => (
    <div className="field">
      <label htmlFor={`site-${id}`}>{label}</label>
      <input
        id={`site-${id}`}
        value={value}
        onChange={(event) => set(event.target.value)}
        {...fieldA11y(id, issues[id])}
        data-testid={`site-${id}`}
        {...extra}
      />
      <FieldError field={id} message={issues[id]} />
    </div>
  )

  return (
    <form className="site-form" onSubmit={submit} noValidate data-testid="site-form" aria-label={site ? `Edit ${site.name}` : 'Add site'}>
      <h2>{site ? `Edit ${site.name}` : 'Add site'}</h2>
      <div className="grid-2">
        {text('name', 'Name', name, setName, { placeholder: 'branch-office-1' })}
        {text('host', 'Host', host, setHost, { placeholder: '192.168.88.1', className: 'mono' })}
        {text('api_port', 'API port', port, setPort, { placeholder: tls ? '8729' : '8728', inputMode: 'numeric' })}
        {text('username', 'Username', username, setUsername)}
        {text('password', site ? 'Password (leave empty to keep)' : 'Password', password, setPassword, {
          type: 'password',
          autoComplete: 'new-password',
        })}
        {text('cloud_site_id', 'SDX cloud site id (optional)', cloudSiteId, setCloudSiteId, { className: 'mono' })}
        <div className="field">
          <label htmlFor="site-code_page">Code page</label>
          <select id="site-code_page" value={codePage} onChange={(event) => setCodePage(event.target.value as CodePage)} data-testid="site-code_page">
            {codePages.map((page) => (
              <option key={page} value={page}>
                {page}
              </option>
            ))}
          </select>
        </div>
        <div className="field checks">
          <label className="check">
            <input type="checkbox" checked={tls} onChange={(event) => setTls(event.target.checked)} data-testid="site-tls" />
            api-ssl (TLS)
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={anonymousDh}
              onChange={(event) => setAnonymousDh(event.target.checked)}
              disabled={!tls}
              data-testid="site-anonymous-dh"
            />
            allow anonymous DH (cannot detect a man in the middle)
          </label>
        </div>
      </div>
      {submitError && (
        <div className="notice error" role="alert" data-testid="site-submit-error">
          {submitError}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="save-site">
          {busy ? 'Saving…' : site ? 'Save' : 'Add site'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
