// New job: one script to one site (jobs:create) or to several (jobs:createBatch, optionally as a
// canary that stops at the first failure). The form checks itself with the contract's schemas.
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react'
import { NewBatchInput, type ScriptLint, type TemplatePreview } from '../../../src-main/contract/ipc-contract'
import { type Job, type JobRoute, NewJobInput } from '../../../src-main/contract/job-schema'
import { useApi } from '../api/api-context'
import { errorMessage } from '../api/error-message'
import { useAppData } from '../app/app-data'
import { type Route, routeHref } from '../app/route'
import { FieldError, fieldA11y } from '../forms/FieldError'
import { type FieldIssues, fieldIssues, issuesOf } from '../forms/field-issues'
import { routeLabels } from '../jobs/job-wording'
import { BatchTable } from './BatchTable'
import { ScriptEditor } from './ScriptEditor'

/** How long typing must pause before the script is linted. */
const LINT_SETTLE_MS = 300

interface Queued {
  jobs: Job[]
  batchId: string | null
  willSync: boolean
}

/** Both schemas name the site field differently; the form shows either under "sites". */
const fieldOf = (path: string) => (path === 'site_id' || path.startsWith('site_ids') ? 'sites' : path)

export function NewJobScreen({ route }: { route: Route }) {
  const api = useApi()
  const { sites, status, siteName } = useAppData()
  const [siteIds, setSiteIds] = useState<string[]>(route.params.site ? [route.params.site] : [])
  const [description, setDescription] = useState('')
  const [script, setScript] = useState('')
  const [shouldBackup, setShouldBackup] = useState(false)
  const [needsAck, setNeedsAck] = useState(true)
  const [express, setExpress] = useState(false)
  const [jobRoute, setJobRoute] = useState<JobRoute>('auto')
  const [revertAfter, setRevertAfter] = useState('')
  const [canary, setCanary] = useState(false)
  const [canaryCount, setCanaryCount] = useState('')
  const [batchConcurrency, setBatchConcurrency] = useState('')
  const [notBefore, setNotBefore] = useState('')
  const [preview, setPreview] = useState<TemplatePreview | null>(null)
  const [previewError, setPreviewError] = useState<string | null>(null)
  const [attempted, setAttempted] = useState(false)
  const [serverIssues, setServerIssues] = useState<FieldIssues>({})
  const [submitError, setSubmitError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // The lab's parser as a lint, as the engineer types: a syntax error would run nothing on the router.
  const [lint, setLint] = useState<ScriptLint['findings']>([])
  const [ignoreLint, setIgnoreLint] = useState(false)
  const [queued, setQueued] = useState<Queued | null>(null)
  // One submission of this form is one job (or batch), however often it is sent: the key is made when
  // the form opens and renewed only after a queue succeeded, so a double click, or a retry after an
  // error whose answer was lost, finds the job it already created instead of queueing it twice.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID())
  // `busy` disables the button only once React renders; a second click in the same frame reads this.
  const submitting = useRef(false)

  const batch = siteIds.length !== 1
  const input = useMemo(() => {
    const common = {
      description,
      script,
      should_backup: shouldBackup,
      needs_acknowledgement: needsAck,
      express_execute: express,
      route: jobRoute,
      // Empty leaves it out, so the settings' default applies; 0 says "no revert" for this job.
      ...(revertAfter.trim() === '' ? {} : { revert_after_s: Number(revertAfter) === 0 ? null : Number(revertAfter) }),
      idempotency_key: idempotencyKey,
      // datetime-local is the engineer's local time; the contract wants an instant.
      ...(notBefore ? { not_before: new Date(notBefore).toISOString() } : {}),
    }
    return batch
      ? {
          ...common,
          site_ids: siteIds,
          stop_on_first_failure: canary,
          ...(canaryCount.trim() === '' ? {} : { canary: Number(canaryCount) }),
          ...(batchConcurrency.trim() === '' ? {} : { concurrency: Number(batchConcurrency) }),
        }
      : { ...common, site_id: siteIds[0] }
  }, [description, script, shouldBackup, needsAck, express, jobRoute, revertAfter, siteIds, canary, canaryCount, batchConcurrency, notBefore, batch, idempotencyKey])

  // A template's preview per picked site: what it becomes there, or which values are missing.
  useEffect(() => {
    if (!script.includes('{{') || siteIds.length === 0) {
      setPreview(null)
      setPreviewError(null)
      return
    }
    let live = true
    const timer = setTimeout(() => {
      api['jobs:previewTemplate']({ script, site_ids: siteIds }).then(
        (result) => {
          if (!live) return
          setPreview(result.is_template ? result : null)
          setPreviewError(null)
        },
        // An unknown placeholder ({{sites.name}}) is refused with what to write instead.
        (failure) => live && setPreviewError(errorMessage(failure)),
      )
    }, LINT_SETTLE_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [api, script, siteIds])

  const tags = useMemo(() => [...new Set(sites.flatMap((site) => site.tags))].sort(), [sites])

  const parsed = useMemo(() => (batch ? NewBatchInput.safeParse(input) : NewJobInput.safeParse(input)), [input, batch])
  const issues: FieldIssues = {}
  if (attempted) {
    for (const [path, message] of Object.entries(fieldIssues(parsed.error))) issues[fieldOf(path)] ??= message
  }
  for (const [path, message] of Object.entries(serverIssues)) issues[fieldOf(path)] ??= message

  const cloudOffline = status?.cloud_online === false
  const willSync = jobRoute === 'cloud' || (cloudOffline && jobRoute !== 'lan')

  useEffect(() => {
    if (!script.trim()) {
      setLint([])
      return
    }
    let live = true
    const timer = setTimeout(() => {
      // Against the RouterOS the chosen routers last reported (6 and 7 differ in whole menus).
      api['jobs:lint']({ script, site_ids: siteIds }).then(
        (result) => live && setLint(result.findings),
        () => live && setLint([]), // A lint that cannot run says nothing; queueing still validates.
      )
    }, LINT_SETTLE_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [api, script, siteIds])

  const submit = async (event?: FormEvent) => {
    event?.preventDefault()
    if (submitting.current) return
    setAttempted(true)
    setServerIssues({})
    setSubmitError(null)
    // The last confirmation goes, so a link on screen always names what this click queued.
    setQueued(null)
    if (!parsed.success) {
      // Take the engineer to the first field that needs them.
      const first = parsed.error.issues[0]
      const field = first ? fieldOf(first.path.map(String).join('.')) : ''
      document.getElementById(field === 'sites' ? 'sites-fieldset' : `job-${field}`)?.focus()
      return
    }
    submitting.current = true
    setBusy(true)
    try {
      // Linted again now, not from the last keystroke's answer: the click must see this script.
      const { findings } = await api['jobs:lint']({ script, site_ids: siteIds })
      setLint(findings)
      if (!ignoreLint && findings.some((finding) => finding.severity === 'error')) {
        setSubmitError('The lint found an error, so nothing was queued: the router would run none of this script. Fix it, or tick "Queue anyway".')
        return
      }
      if (batch) {
        const result = await api['jobs:createBatch'](input as NewBatchInput)
        setQueued({ jobs: result.jobs, batchId: result.batch_id, willSync })
      } else {
        const result = await api['jobs:create'](input as NewJobInput)
        setQueued({ jobs: [result.job], batchId: null, willSync })
      }
      setAttempted(false)
      setIdempotencyKey(crypto.randomUUID())
    } catch (error) {
      setSubmitError(errorMessage(error))
      setServerIssues(issuesOf(error))
    } finally {
      submitting.current = false
      setBusy(false)
    }
  }

  // With one site there is nothing to choose: it is picked, until the engineer unticks it.
  const picked = useRef(false)
  useEffect(() => {
    if (!picked.current && sites.length === 1 && siteIds.length === 0) setSiteIds([sites[0]!.id])
  }, [sites, siteIds.length])
  const pickSites = (update: (current: string[]) => string[]) => {
    picked.current = true
    setSiteIds(update)
  }
  const toggleSite = (id: string) => pickSites((current) => (current.includes(id) ? current.filter((other) => other !== id) : [...current, id]))

  return (
    <div className="form-screen">
      <h1>New job</h1>
      <form
        className="job-form"
        onSubmit={submit}
        noValidate
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit()
        }}
        data-testid="new-job-form"
      >
        <fieldset
          id="sites-fieldset"
          tabIndex={-1}
          className="site-picker"
          {...fieldA11y('sites', issues.sites)}
        >
          <legend>
            Sites <span className="dim">({siteIds.length} selected; several make a batch)</span>
          </legend>
          {sites.length === 0 && (
            <p className="dim">
              No sites yet: <a href={routeHref('sites', undefined, { add: '1' })}>add one</a>.
            </p>
          )}
          {tags.length > 0 && (
            <p className="tag-picker">
              pick by tag:{' '}
              {tags.map((tag) => (
                <button
                  key={tag}
                  type="button"
                  className="link"
                  onClick={() => pickSites(() => sites.filter((site) => site.tags.includes(tag)).map((site) => site.id))}
                  data-testid={`pick-tag-${tag}`}
                >
                  {tag} ({sites.filter((site) => site.tags.includes(tag)).length})
                </button>
              ))}{' '}
              <button type="button" className="link" onClick={() => pickSites(() => sites.map((site) => site.id))} data-testid="pick-all-sites">
                all
              </button>
            </p>
          )}
          <div className="site-options">
            {sites.map((site) => (
              <label key={site.id} className="check">
                <input
                  type="checkbox"
                  checked={siteIds.includes(site.id)}
                  onChange={() => toggleSite(site.id)}
                  data-testid={`pick-site-${site.name}`}
                />
                {site.name} <span className="dim mono">{site.host}:{site.api_port}</span>
              </label>
            ))}
          </div>
          <FieldError field="sites" message={issues.sites} />
        </fieldset>

        <label htmlFor="job-description">Description</label>
        <input
          id="job-description"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          {...fieldA11y('description', issues.description)}
          data-testid="job-description"
          placeholder="What this change does, e.g. add VLAN 20 for cameras"
        />
        <FieldError field="description" message={issues.description} />

        <label htmlFor="job-script">Script</label>
        <ScriptEditor
          id="job-script"
          value={script}
          onChange={setScript}
          invalid={Boolean(issues.script)}
          describedBy={issues.script ? 'error-script' : undefined}
        />
        <FieldError field="script" message={issues.script} />
        {lint.length > 0 && (
          <div className="lint" data-testid="lint-findings" aria-live="polite">
            <ul>
              {lint.map((finding) => (
                <li key={`${finding.line}:${finding.column}:${finding.message}`} className={`lint-${finding.severity}`} data-severity={finding.severity}>
                  <span className="mono">
                    line {finding.line}:{finding.column}
                  </span>{' '}
                  {finding.severity}: {finding.message}
                </li>
              ))}
            </ul>
            {lint.some((finding) => finding.severity === 'error') && (
              <label>
                <input type="checkbox" checked={ignoreLint} onChange={(event) => setIgnoreLint(event.target.checked)} data-testid="ignore-lint" /> Queue anyway
              </label>
            )}
          </div>
        )}

        <div className="form-row">
          <fieldset className="flags">
            <legend>Flags</legend>
            <label className="check">
              <input type="checkbox" checked={shouldBackup} onChange={(e) => setShouldBackup(e.target.checked)} data-testid="flag-backup" />
              back up the configuration first
            </label>
            <label className="check">
              <input type="checkbox" checked={needsAck} onChange={(e) => setNeedsAck(e.target.checked)} data-testid="flag-ack" />
              needs acknowledgement (wait for the router's answer)
            </label>
            <label className="check">
              <input type="checkbox" checked={express} onChange={(e) => setExpress(e.target.checked)} data-testid="flag-express" />
              express (run before other waiting jobs)
            </label>
          </fieldset>
          <fieldset className="route-picker">
            <legend>Route</legend>
            {(['auto', 'lan', 'cloud'] as const).map((name) => (
              <label key={name} className="check">
                <input
                  type="radio"
                  name="route"
                  value={name}
                  checked={jobRoute === name}
                  onChange={() => setJobRoute(name)}
                  data-testid={`route-${name}`}
                />
                {routeLabels[name]}
                <span className="dim">
                  {name === 'auto' ? ' — LAN, else the cloud' : name === 'lan' ? ' — only directly' : ' — through SDX'}
                </span>
              </label>
            ))}
          </fieldset>
          <div className="revert">
            <label htmlFor="job-revert_after_s">Revert after (s)</label>
            <input
              id="job-revert_after_s"
              inputMode="numeric"
              value={revertAfter}
              onChange={(event) => setRevertAfter(event.target.value)}
              placeholder="default"
              {...fieldA11y('revert_after_s', issues.revert_after_s, 'revert-hint')}
              data-testid="job-revert"
            />
            <span id="revert-hint" className="dim small">
              empty: the default from Settings; 0: no revert
            </span>
            <FieldError field="revert_after_s" message={issues.revert_after_s} />
          </div>
        </div>

        <div className="form-row">
          <div>
            <label htmlFor="job-not-before">Not before (maintenance window)</label>
            <input
              id="job-not-before"
              type="datetime-local"
              value={notBefore}
              onChange={(e) => setNotBefore(e.target.value)}
              {...fieldA11y('not_before', issues.not_before)}
              data-testid="job-not-before"
            />
            <FieldError field="not_before" message={issues.not_before} />
          </div>
          {siteIds.length > 1 && (
            <>
              <div>
                <label htmlFor="batch-canary-n">Canary sites</label>
                <input id="batch-canary-n" inputMode="numeric" value={canaryCount} onChange={(e) => setCanaryCount(e.target.value)} placeholder="0" data-testid="batch-canary-n" />
                <span className="dim small">the first N run first; the rest only if all N succeed</span>
                <FieldError field="canary" message={issues.canary} />
              </div>
              <div>
                <label htmlFor="batch-concurrency">At most at once</label>
                <input id="batch-concurrency" inputMode="numeric" value={batchConcurrency} onChange={(e) => setBatchConcurrency(e.target.value)} placeholder="queue's" data-testid="batch-concurrency" />
                <span className="dim small">at most this many of the batch's jobs at once (the queue's own limit still applies)</span>
                <FieldError field="concurrency" message={issues.concurrency} />
              </div>
            </>
          )}
        </div>
        {siteIds.length > 1 && (
          <label className="check canary">
            <input type="checkbox" checked={canary} onChange={(e) => setCanary(e.target.checked)} data-testid="batch-canary" />
            stop at the first failure: the first failed job cancels every job of the batch that has not started
          </label>
        )}

        {previewError && (
          <p className="notice error" data-testid="template-preview-error">
            {previewError}
          </p>
        )}
        {preview && !previewError && (
          <div className="template-preview" data-testid="template-preview">
            <strong>Template preview</strong>
            <ul>
              {preview.sites.map((entry) => (
                <li key={entry.site_id} data-site={siteName(entry.site_id)} data-missing={entry.missing.length}>
                  <span className="mono">{siteName(entry.site_id)}</span>:{' '}
                  {entry.script === null ? (
                    <span className="error-text">missing {entry.missing.map((missing) => `{{${missing.key}}} (${missing.fix})`).join(', ')}</span>
                  ) : (
                    <code className="mono small">{entry.script.split('\n').find((line) => line.trim()) ?? ''}…</code>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}

        {willSync && (
          <div className="notice sync" role="note" data-testid="will-sync">
            {jobRoute === 'cloud'
              ? cloudOffline
                ? 'Routed to the cloud, which is offline: the job is queued here and will sync when the cloud is back.'
                : 'Routed to the cloud: the job is queued here and will sync to SDX.'
              : 'The cloud is offline: if the LAN does not answer, the job waits here and will sync when the cloud is back.'}
          </div>
        )}

        {submitError && (
          <div className="notice error" role="alert" data-testid="submit-error">
            {submitError}
          </div>
        )}

        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy} data-testid="queue-job">
            {busy ? 'Queueing…' : siteIds.length > 1 ? `Queue ${siteIds.length} jobs` : 'Queue job'}
          </button>
          <span className="dim">Ctrl+Enter</span>
        </div>
      </form>

      {queued && (
        <div className="notice ok" role="status" data-testid="queued">
          {queued.batchId ? (
            <>
              Batch <span className="mono">{queued.batchId.slice(0, 8)}</span> queued: {queued.jobs.length} jobs (
              {queued.jobs.map((job, index) => (
                <span key={job.id}>
                  {index > 0 && ', '}
                  <a className="mono" href={routeHref('jobs', job.id)} data-testid="queued-job">
                    {job.token}
                  </a>
                </span>
              ))}
              ).
              <BatchTable batchId={queued.batchId} />
            </>
          ) : (
            <>
              Queued{' '}
              <a className="mono" href={routeHref('jobs', queued.jobs[0]!.id)} data-testid="queued-job">
                {queued.jobs[0]!.token}
              </a>
              .
            </>
          )}
          {(queued.willSync || queued.jobs.some((job) => job.sync_state === 'outbox')) && (
            <> It will sync to the cloud{cloudOffline ? ' when the cloud is back' : ''}.</>
          )}
        </div>
      )}
    </div>
  )
}
