// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeCore, renderApp } from './render-app'

let core: FakeCore
afterEach(cleanup)
beforeEach(() => {
  core = new FakeCore()
})

describe('settings', () => {
  it('keeps the token masked and write-only, showing only its last four characters', async () => {
    renderApp(core, '#/settings')
    const input = (await waitFor(() => screen.getByTestId('settings-cloud_token'))) as HTMLInputElement
    expect(input.type).toBe('password')
    expect(screen.getByTestId('token-state').textContent).toContain('No token set')

    fireEvent.change(input, { target: { value: 'sk-live-abcdef123456' } })
    fireEvent.click(screen.getByTestId('save-settings'))
    await waitFor(() => expect(screen.getByTestId('settings-message').textContent).toBe('Saved.'))
    expect(core.callsTo('settings:update')[0]?.request).toMatchObject({ cloud_token: 'sk-live-abcdef123456' })
    expect(core.cloudToken).toBe('sk-live-abcdef123456')
    expect(screen.getByTestId('token-state').textContent).toContain('ending in …3456')
    expect((screen.getByTestId('settings-cloud_token') as HTMLInputElement).value).toBe('')
    expect(document.body.textContent).not.toContain('sk-live-abcdef123456')

    // Saving again without typing a token leaves it alone.
    fireEvent.click(screen.getByTestId('save-settings'))
    await waitFor(() => expect(core.callsTo('settings:update')).toHaveLength(2))
    expect(core.callsTo('settings:update')[1]?.request).not.toHaveProperty('cloud_token')
  })

  it('says at once in the status bar that the cloud is configured once a token is saved; a short token shows none of itself', async () => {
    core.status = { ...core.status, cloud_configured: false, cloud_online: null }
    renderApp(core, '#/settings')
    await waitFor(() => expect(screen.getByTestId('status-bar').textContent).toContain('cloud: not configured'))
    fireEvent.change(await waitFor(() => screen.getByTestId('settings-cloud_token')), { target: { value: 'short-tok' } })
    fireEvent.click(screen.getByTestId('save-settings'))
    await waitFor(() => expect(screen.getByTestId('status-bar').textContent).not.toContain('cloud: not configured'))
    expect(screen.getByTestId('token-state').textContent).toBe('A token is set (too short to show even its end). It is kept in the secret store and never shown.')
    expect(document.body.textContent).not.toContain('????')
  })

  it('shows settings saved elsewhere (another window, the CLI): the status bar, and the form if untouched', async () => {
    core.status = { ...core.status, cloud_configured: false, cloud_online: null }
    renderApp(core, '#/settings')
    await waitFor(() => expect(screen.getByTestId('status-bar').textContent).toContain('cloud: not configured'))
    expect((screen.getByTestId('settings-concurrency') as HTMLInputElement).value).toBe(String(core.settings.concurrency))
    expect(screen.getByText('Saved settings apply at once, with no restart.')).toBeTruthy()

    // `fieldjobs settings set` in a terminal: the core announces it; this window made no call.
    const elsewhere = (patch: Partial<typeof core.settings>, cloud: boolean) => {
      core.settings = { ...core.settings, ...patch }
      if (cloud) core.status = { ...core.status, cloud_configured: patch.cloud_token_set ?? core.status.cloud_configured }
      act(() => core.emit({ type: 'settings.changed', cloud }))
    }
    elsewhere({ cloud_token_set: true, cloud_token_hint: 'wxyz', concurrency: 7 }, true)
    await waitFor(() => expect(screen.getByTestId('status-bar').textContent).toContain('cloud: not checked yet'))
    await waitFor(() => expect((screen.getByTestId('settings-concurrency') as HTMLInputElement).value).toBe('7'))
    expect(screen.getByTestId('token-state').textContent).toContain('ending in …wxyz')

    // Being edited here: what the engineer typed stays, and their Save writes it.
    fireEvent.change(screen.getByTestId('settings-probe_interval_s'), { target: { value: '45' } })
    const reads = core.callsTo('settings:get').length
    elsewhere({ concurrency: 9 }, false)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(core.callsTo('settings:get')).toHaveLength(reads)
    expect((screen.getByTestId('settings-concurrency') as HTMLInputElement).value).toBe('7')
    expect((screen.getByTestId('settings-probe_interval_s') as HTMLInputElement).value).toBe('45')
    expect(core.callsTo('settings:update')).toHaveLength(0)
  })

  it("validates with the contract's SettingsUpdate messages", async () => {
    renderApp(core, '#/settings')
    await waitFor(() => screen.getByTestId('settings-cloud_api_url'))
    fireEvent.change(screen.getByTestId('settings-cloud_api_url'), { target: { value: 'not a url' } })
    fireEvent.change(screen.getByTestId('settings-concurrency'), { target: { value: '0' } })
    fireEvent.click(screen.getByTestId('save-settings'))
    await waitFor(() =>
      expect(screen.getByTestId('error-cloud_api_url').textContent).toBe('cloud API URL must be a URL, like https://v1.api.altostrat.io'),
    )
    expect(screen.getByTestId('error-concurrency')).toBeTruthy()
    expect(core.callsTo('settings:update')).toHaveLength(0)
  })

  it('sets and clears the default revert window the New-job form points to', async () => {
    renderApp(core, '#/settings')
    const field = (await waitFor(() => screen.getByTestId('settings-default_revert_after_s'))) as HTMLInputElement
    expect(field.value).toBe('')
    fireEvent.change(field, { target: { value: '10' } })
    fireEvent.click(screen.getByTestId('save-settings'))
    await waitFor(() => expect(screen.getByTestId('error-default_revert_after_s')).toBeTruthy())
    fireEvent.change(field, { target: { value: '120' } })
    fireEvent.click(screen.getByTestId('save-settings'))
    await waitFor(() => expect(core.callsTo('settings:update').at(-1)?.request).toMatchObject({ default_revert_after_s: 120 }))
    fireEvent.change(field, { target: { value: '' } })
    fireEvent.click(screen.getByTestId('save-settings'))
    await waitFor(() => expect(core.callsTo('settings:update').at(-1)?.request).toMatchObject({ default_revert_after_s: null }))
  })
})

describe('settings: the backup schedule', () => {
  it('sets backup_interval_h from the Settings screen', async () => {
    renderApp(core, '#/settings')
    await waitFor(() => expect((screen.getByTestId('settings-backup_interval_h') as HTMLInputElement).value).toBe('0'))
    fireEvent.change(screen.getByTestId('settings-backup_interval_h'), { target: { value: '24' } })
    fireEvent.click(screen.getByTestId('save-settings'))
    await waitFor(() => expect(core.settings.backup_interval_h).toBe(24))
  })
})

describe('sites', () => {
  it('adds a site with the schema’s messages first, then tests its connection and shows version, board and sparklines', async () => {
    renderApp(core, '#/sites?add=1')
    await waitFor(() => screen.getByTestId('site-form'))
    fireEvent.change(screen.getByTestId('site-host'), { target: { value: 'bad host!' } })
    fireEvent.change(screen.getByTestId('site-api_port'), { target: { value: '70000' } })
    fireEvent.click(screen.getByTestId('save-site'))
    expect(screen.getByTestId('error-name').textContent).toBe('site name is required')
    expect(screen.getByTestId('error-host').textContent).toBe('host must be an IP address or a host name')
    expect(screen.getByTestId('error-api_port').textContent).toBe('port must be between 1 and 65535')
    expect(core.callsTo('sites:add')).toHaveLength(0)

    fireEvent.change(screen.getByTestId('site-name'), { target: { value: 'branch-1' } })
    fireEvent.change(screen.getByTestId('site-host'), { target: { value: '10.0.0.1' } })
    fireEvent.change(screen.getByTestId('site-api_port'), { target: { value: '' } })
    fireEvent.change(screen.getByTestId('site-password'), { target: { value: 'secret' } })
    fireEvent.click(screen.getByTestId('save-site'))
    await waitFor(() => screen.getByTestId('site-detail'))
    expect(core.sites[0]).toMatchObject({ name: 'branch-1', host: '10.0.0.1', api_port: 8728 })
    expect(screen.getAllByTestId('site-item').map((item) => item.getAttribute('data-name'))).toEqual(['branch-1'])

    core.health.push(
      ...[10, 40, 25].map((cpu, i) => ({
        site_id: core.sites[0]!.id,
        at: `2025-03-01T09:5${i}:00Z`,
        online: true,
        identity: 'branch-1',
        version: '7.15',
        board: 'RB5009',
        cpu_load: cpu,
        free_memory: 500,
        total_memory: 1000,
        uptime: '1h',
        error: null,
      })),
    )
    fireEvent.click(screen.getByTestId('check-site'))
    await waitFor(() => expect(screen.getByTestId('site-version').textContent).toBe('7.16.2'))
    expect(screen.getByTestId('site-board').textContent).toBe('CHR')
    expect(screen.getByTestId('site-online').textContent).toContain('online')
    await waitFor(() => expect(screen.getByTestId('spark-cpu').querySelectorAll('path')).toHaveLength(1))
    expect(screen.getByTestId('spark-cpu').textContent).toContain('CPU 3%')
    expect(screen.getByTestId('spark-memory').querySelector('path')?.getAttribute('d')).toMatch(/^M0\.0,/)
  })

  it('shows a failed connection test with the core’s reason', async () => {
    const site = core.addSite({ name: 'far-away' })
    core.checkAnswers.set(site.id, { online: false, version: null, board: null, error: 'connection refused by 10.9.9.9:8728' })
    renderApp(core, `#/sites/${site.id}`)
    await waitFor(() => screen.getByTestId('check-site'))
    fireEvent.click(screen.getByTestId('check-site'))
    await waitFor(() => expect(screen.getByTestId('site-online').textContent).toContain('offline: connection refused by 10.9.9.9:8728'))
  })

  it('shows the pinned certificate and forgets it on request; warns about anonymous DH', async () => {
    const fingerprint = Array.from({ length: 32 }, () => 'AB').join(':')
    const site = core.addSite({ name: 'edge', tls: true, api_port: 8729, tls_fingerprint: fingerprint, allow_anonymous_dh: true })
    renderApp(core, `#/sites/${site.id}`)
    await waitFor(() => expect(screen.getByTestId('site-tls-pin').textContent).toContain(fingerprint))
    expect(screen.getByTestId('site-anonymous-dh-warning').textContent).toContain('man in the middle')
    fireEvent.click(screen.getByTestId('forget-tls-pin'))
    await waitFor(() => expect(screen.getByTestId('site-tls-pin').textContent).toContain('none yet: the next connection pins'))
    expect(core.callsTo('sites:update').at(-1)?.request).toEqual({ id: site.id, tls_fingerprint: null })
    expect(core.sites[0]!.tls_fingerprint).toBeNull()
  })

  it('edits and removes a site', async () => {
    const site = core.addSite({ name: 'old-name' })
    renderApp(core, `#/sites/${site.id}`)
    await waitFor(() => screen.getByTestId('edit-site'))
    fireEvent.click(screen.getByTestId('edit-site'))
    fireEvent.change(screen.getByTestId('site-name'), { target: { value: 'new-name' } })
    fireEvent.click(screen.getByTestId('save-site'))
    await waitFor(() => expect(screen.getByTestId('site-detail').getAttribute('data-site')).toBe('new-name'))
    expect(core.callsTo('sites:update')[0]?.request).not.toHaveProperty('password')
    fireEvent.click(screen.getByTestId('remove-site'))
    fireEvent.click(screen.getByTestId('confirm-remove'))
    await waitFor(() => expect(screen.queryAllByTestId('site-item')).toHaveLength(0))
    expect(core.sites).toHaveLength(0)
  })

  it('lists a site added and drops one removed elsewhere while the list was still loading', async () => {
    const gone = core.addSite({ name: 'gone' })
    core.addSite({ name: 'kept' })
    const release = core.holdNext('sites:list')
    renderApp(core, '#/sites')
    await waitFor(() => expect(core.callsTo('sites:list')).toHaveLength(1))
    // Read with two sites; before the answer lands, the CLI adds one and removes another.
    await act(async () => {
      core.emit({ type: 'site.changed', site: core.addSite({ name: 'added' }) })
      core.emit({ type: 'site.removed', site_id: gone.id })
      release()
    })
    await waitFor(() => expect(screen.getAllByTestId('site-item').map((item) => item.textContent)).toEqual([
      expect.stringContaining('added'),
      expect.stringContaining('kept'),
    ]))
  })

  it('colours each site by its last known probe on load, with a legend', async () => {
    const up = core.addSite({ name: 'up' })
    const down = core.addSite({ name: 'down' })
    core.addSite({ name: 'never' })
    const sample = { identity: null, version: null, board: null, cpu_load: null, free_memory: null, total_memory: null, uptime: null }
    core.health.push({ ...sample, site_id: up.id, at: '2025-03-01T09:00:00Z', online: false, error: 'timeout' })
    core.health.push({ ...sample, site_id: up.id, at: '2025-03-01T10:00:00Z', online: true, error: null })
    core.health.push({ ...sample, site_id: down.id, at: '2025-03-01T10:00:00Z', online: false, error: 'timeout' })
    renderApp(core, '#/sites')
    await waitFor(() => expect(screen.getAllByTestId('site-dot').map((dot) => dot.getAttribute('data-state'))).toEqual(['offline', 'unchecked', 'online']))
    expect(screen.getByTestId('dot-legend').textContent).toMatch(/online.*offline.*not checked yet/)
  })

  it('keeps a site with jobs unless the engineer chooses to delete them too', async () => {
    const site = core.addSite({ name: 'with-history' })
    core.addJob({ site_id: site.id, status: 'completed' })
    renderApp(core, `#/sites/${site.id}`)
    await waitFor(() => screen.getByTestId('remove-site'))
    fireEvent.click(screen.getByTestId('remove-site'))
    fireEvent.click(screen.getByTestId('confirm-remove'))
    await waitFor(() => expect(screen.getByTestId('site-kept').textContent).toContain('1 jobs and 0 backups, the record of what was done to this router'))
    expect(core.sites).toHaveLength(1)
    fireEvent.click(screen.getByTestId('purge-site'))
    await waitFor(() => expect(core.sites).toHaveLength(0))
    expect(core.callsTo('sites:remove').at(-1)?.request).toEqual({ id: site.id, purge: true })
    expect(core.jobs).toHaveLength(0)
  })
})

describe('backups', () => {
  const header = (time: string) => `# ${time} by RouterOS 7.16.2\n# software id = ABCD-1234`
  let site: string
  beforeEach(() => {
    site = core.addSite({ name: 'alpha' }).id
    core.addBackup(site, `${header('2025-03-01 09:00:00')}\n/interface vlan\nadd name=v10 vlan-id=10\n/ip dns\nset servers=8.8.8.8`, 1740819600)
    core.addBackup(site, `${header('2025-03-01 10:00:00')}\n/interface vlan\nadd name=v10 vlan-id=10\nadd name=v20 vlan-id=20\n/ip dns\nset servers=1.1.1.1`, 1740823200)
  })

  it('backs the site up now, says how it went, and lists the new backup; an offline router says why', async () => {
    core.exports.set(site, `${header('2025-03-01 11:00:00')}\n/ip dns\nset servers=9.9.9.9`)
    renderApp(core, `#/backups?site=${site}`)
    await waitFor(() => expect(screen.getAllByTestId('backup-row')).toHaveLength(2))
    fireEvent.click(screen.getByTestId('backup-now'))
    await waitFor(() => expect(screen.getByTestId('backup-run-outcome').textContent).toContain('backed up'))
    await waitFor(() => expect(screen.getAllByTestId('backup-row')).toHaveLength(3))
    core.exports.delete(site)
    fireEvent.click(screen.getByTestId('backup-now'))
    await waitFor(() => expect(screen.getByTestId('backup-run-outcome').textContent).toBe('backup failed: connect ECONNREFUSED'))
  })

  it('lists a site’s backups newest first and opens an export', async () => {
    renderApp(core, `#/backups?site=${site}`)
    await waitFor(() => expect(screen.getAllByTestId('backup-row')).toHaveLength(2))
    expect(screen.getAllByTestId('backup-row').map((row) => row.getAttribute('data-path'))).toEqual([
      `${site}/1740823200.rsc`,
      `${site}/1740819600.rsc`,
    ])
    fireEvent.click(screen.getAllByTestId('view-backup')[1]!)
    await waitFor(() => expect(screen.getByTestId('backup-text').textContent).toContain('set servers=8.8.8.8'))
  })

  it('copies a backup to the clipboard and downloads it as an .rsc file, exactly as stored', async () => {
    const written: string[] = []
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void written.push(text) } })
    const blobs: Blob[] = []
    const downloads: string[] = []
    URL.createObjectURL = (blob: Blob) => {
      blobs.push(blob)
      return 'blob:backup'
    }
    URL.revokeObjectURL = () => {}
    const click = HTMLAnchorElement.prototype.click
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      downloads.push(this.download)
    }
    try {
      renderApp(core, `#/backups?site=${site}&path=${encodeURIComponent(`${site}/1740819600.rsc`)}`)
      await waitFor(() => screen.getByTestId('copy-backup'))
      fireEvent.click(screen.getByTestId('copy-backup'))
      await waitFor(() => expect(screen.getByTestId('copy-outcome').textContent).toBe('copied to the clipboard'))
      expect(written[0]).toContain('set servers=8.8.8.8')
      fireEvent.click(screen.getByTestId('download-backup'))
      expect(downloads).toEqual([`${site}-1740819600.rsc`])
      expect(await blobs[0]!.text()).toBe(written[0])
    } finally {
      HTMLAnchorElement.prototype.click = click
    }
  })

  it('diffs against the previous backup side by side and unified, ignoring header lines', async () => {
    renderApp(core, `#/backups?site=${site}&path=${encodeURIComponent(`${site}/1740823200.rsc`)}&diff=previous`)
    await waitFor(() => screen.getByTestId('diff-side'))
    const kinds = () => [...screen.getByTestId('diff-side').querySelectorAll('tr')].map((row) => row.getAttribute('data-kind'))
    expect(kinds().filter((kind) => kind !== 'same')).toEqual(['added', 'removed', 'added'])
    expect(screen.getByTestId('diff-side').textContent).not.toContain('by RouterOS')
    expect(screen.getByTestId('diff-summary').textContent).toContain('3 changed lines (header lines are ignored).')
    fireEvent.click(screen.getByTestId('diff-mode-unified'))
    const unified = screen.getByTestId('diff-unified')
    expect([...unified.querySelectorAll('.diff-added')].map((line) => line.textContent?.trim())).toEqual([
      '+add name=v20 vlan-id=20',
      '+set servers=1.1.1.1',
    ])
    expect(unified.querySelector('.diff-removed')?.textContent?.trim()).toBe('-set servers=8.8.8.8')
  })

  it('lists a backup taken meanwhile (the schedule, `fieldjobs backup run` in a terminal) without a reload', async () => {
    renderApp(core, `#/backups?site=${site}`)
    await waitFor(() => expect(screen.getAllByTestId('backup-row')).toHaveLength(2))
    act(() => void core.addBackup(site, `${header('2025-03-01 12:00:00')}\n/ip dns\nset servers=9.9.9.9`, 1740830400))
    await waitFor(() => expect(screen.getAllByTestId('backup-row')).toHaveLength(3))
    // Another site's backup is not this list's.
    const calls = core.callsTo('backups:list').length
    act(() => void core.addBackup(core.addSite({ name: 'other' }).id, '# x\n/ip dns', 1740830400))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(core.callsTo('backups:list')).toHaveLength(calls)
  })

  it('diffs any two picked backups', async () => {
    core.addBackup(site, `${header('2025-03-01 11:00:00')}\n/interface vlan\nadd name=v10 vlan-id=10`, 1740826800)
    renderApp(core, `#/backups?site=${site}`)
    await waitFor(() => expect(screen.getAllByTestId('backup-row')).toHaveLength(3))
    await act(async () => {
      fireEvent.click(screen.getAllByTestId('diff-from')[2]!)
      fireEvent.click(screen.getAllByTestId('diff-to')[0]!)
    })
    fireEvent.click(screen.getByTestId('diff-selected'))
    await waitFor(() => screen.getByTestId('backup-diff'))
    expect(core.callsTo('backups:diff').at(-1)?.request).toEqual({ from: `${site}/1740819600.rsc`, to: `${site}/1740826800.rsc` })
  })
})

describe('long backup diffs', () => {
  it('fold unchanged runs to 3 lines of context around each change, and unfold on request', async () => {
    const site = core.addSite({ name: 'alpha' }).id
    const body = Array.from({ length: 40 }, (_, i) => `set line${i}=yes`)
    core.addBackup(site, `# header 1\n${body.join('\n')}`, 1740819600)
    const changed = [...body]
    changed[20] = 'set line20=no'
    core.addBackup(site, `# header 2\n${changed.join('\n')}`, 1740823200)
    renderApp(core, `#/backups?site=${site}&path=${encodeURIComponent(`${site}/1740823200.rsc`)}&diff=previous`)
    await waitFor(() => screen.getByTestId('diff-side'))
    const kinds = () => [...screen.getByTestId('diff-side').querySelectorAll('tr')].map((row) => row.getAttribute('data-kind'))
    // 17 unchanged, 3 context, the change (removed + added), 3 context, 16 unchanged.
    expect(kinds()).toEqual(['fold', 'same', 'same', 'same', 'removed', 'added', 'same', 'same', 'same', 'fold'])
    expect(screen.getByTestId('diff-side').textContent).toContain('⋯ 17 unchanged lines')
    expect(screen.getByTestId('diff-summary').textContent).toContain('2 changed lines')
    fireEvent.click(screen.getByTestId('diff-all-lines'))
    expect(kinds()).toHaveLength(41)
  })
})

describe('a site whose jobs fail to load', () => {
  it('says the load failed instead of "No jobs yet"', async () => {
    const site = core.addSite({ name: 'flaky' })
    core.addJob({ site_id: site.id, status: 'completed' })
    core.failNext('jobs:list', 'the bridge is not answering')
    renderApp(core, `#/sites/${site.id}`)
    await waitFor(() => expect(screen.getByTestId('site-jobs-error').textContent).toContain('the bridge is not answering'))
    expect(screen.queryByTestId('site-jobs-empty')).toBeNull()
  })
})

describe("a site's tags and variables", () => {
  it('adds and removes tags and variables in place, and says why a bad name is refused', async () => {
    const site = core.addSite({ name: 'branch-12' })
    renderApp(core, `#/sites/${site.id}`)
    await waitFor(() => screen.getByTestId('site-groups'))
    fireEvent.change(screen.getByTestId('new-tag'), { target: { value: 'north' } })
    fireEvent.click(screen.getByTestId('add-tag'))
    await waitFor(() => expect(screen.getByTestId('site-tags').querySelector('[data-tag=north]')).not.toBeNull())
    fireEvent.change(screen.getByTestId('new-var-key'), { target: { value: 'dns' } })
    fireEvent.change(screen.getByTestId('new-var-value'), { target: { value: '1.1.1.1' } })
    fireEvent.click(screen.getByTestId('set-var'))
    await waitFor(() => expect(screen.getByTestId('site-vars').textContent).toContain('{{var.dns}}1.1.1.1'))
    expect(core.sites[0]).toMatchObject({ tags: ['north'], vars: { dns: '1.1.1.1' } })

    fireEvent.change(screen.getByTestId('new-var-key'), { target: { value: 'bad key' } })
    fireEvent.click(screen.getByTestId('set-var'))
    await waitFor(() => expect(screen.getByTestId('site-groups-error').textContent).toContain('a variable name is letters, digits and underscores'))
    expect(core.sites[0]!.vars).toEqual({ dns: '1.1.1.1' })

    fireEvent.click(screen.getByLabelText('remove tag north'))
    await waitFor(() => expect(screen.getByTestId('site-tags').querySelector('[data-tag=north]')).toBeNull())
  })
})
