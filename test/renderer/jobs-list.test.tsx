// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../src-renderer/src/app/App'
import { FakeCore, renderApp } from './render-app'

let core: FakeCore
let alpha: string
let beta: string

beforeEach(() => {
  core = new FakeCore()
  alpha = core.addSite({ name: 'alpha' }).id
  beta = core.addSite({ name: 'beta' }).id
  core.addJob({ site_id: alpha, description: 'add vlan 20', status: 'completed' })
  core.addJob({ site_id: beta, description: 'rotate admin password', status: 'failed', route: 'lan' })
  core.addJob({ site_id: alpha, description: 'firewall cleanup', status: 'pending', route: 'cloud', script: '/ip firewall filter remove [find comment=old]' })
})
afterEach(cleanup)

const rowTexts = () => screen.getAllByTestId('job-row').map((row) => row.textContent ?? '')

describe('the job list', () => {
  it('says when a held job will start: its maintenance window, or after its batch canary', async () => {
    const later = new Date(Date.now() + 3 * 3_600_000).toISOString()
    core.addJob({ site_id: alpha, description: 'tonight', status: 'pending', not_before: later })
    core.addJob({ site_id: beta, description: 'after the canary', status: 'pending', waiting_for_canary: true })
    renderApp(core)
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(5))
    const starts = screen.getAllByTestId('job-starts').map((cell) => cell.textContent?.trim())
    expect(starts).toEqual(['after canary', expect.stringMatching(/^starts /)])
  })

  it('says when a job waiting out a retry is tried again, and why it waits', async () => {
    const retryAt = new Date(Date.now() + 90_000).toISOString()
    const message = 'connection refused (nothing reached the router; it will be retried)'
    core.addJob({
      site_id: alpha, description: 'retrying', status: 'pending', attempts: 1, next_attempt_at: retryAt,
      error: { message, category: 'connection', line: null, column: null },
    })
    // A retry time already past: due now, so nothing is said.
    core.addJob({
      site_id: beta, description: 'due', status: 'pending', attempts: 1, next_attempt_at: new Date(Date.now() - 1_000).toISOString(),
      error: { message, category: 'connection', line: null, column: null },
    })
    renderApp(core)
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(5))
    const starts = screen.getAllByTestId('job-starts')
    expect(starts.map((cell) => cell.textContent?.trim())).toEqual([expect.stringMatching(/^retries /)])
    expect(starts[0]!.getAttribute('title')).toMatch(new RegExp(`^next attempt \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d; waiting to retry: ${message.replace(/[()]/g, '\\$&')}$`))

  })

  it('shows all jobs newest first, with site names and the total', async () => {
    renderApp(core)
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(3))
    const texts = rowTexts()
    expect(texts[0]).toContain('firewall cleanup')
    expect(texts[2]).toContain('add vlan 20')
    await waitFor(() => expect(texts[0]).toContain('alpha'))
    expect(screen.getByTestId('job-total').textContent).toBe('3 jobs')
  })

  it('filters by status, site, route and search, asking the core with the same filter', async () => {
    renderApp(core)
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(3))

    fireEvent.change(screen.getByTestId('filter-status'), { target: { value: 'failed' } })
    await waitFor(() => expect(rowTexts()).toEqual([expect.stringContaining('rotate admin password')]))
    expect(core.callsTo('jobs:list').at(-1)?.request).toMatchObject({ statuses: ['failed'] })

    fireEvent.change(screen.getByTestId('filter-status'), { target: { value: '' } })
    await waitFor(() => expect(screen.getByTestId('filter-site').querySelectorAll('option')).toHaveLength(3))
    fireEvent.change(screen.getByTestId('filter-site'), { target: { value: alpha } })
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(2))
    expect(core.callsTo('jobs:list').at(-1)?.request).toMatchObject({ site_id: alpha })

    fireEvent.change(screen.getByTestId('filter-route'), { target: { value: 'cloud' } })
    await waitFor(() => expect(rowTexts()).toEqual([expect.stringContaining('firewall cleanup')]))

    fireEvent.change(screen.getByTestId('filter-site'), { target: { value: '' } })
    fireEvent.change(screen.getByTestId('filter-route'), { target: { value: '' } })
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(3))
    // The search matches the script too, not only the description.
    fireEvent.change(screen.getByTestId('job-search'), { target: { value: 'COMMENT=old' } })
    await waitFor(() => expect(rowTexts()).toEqual([expect.stringContaining('firewall cleanup')]))
    expect(core.callsTo('jobs:list').at(-1)?.request).toMatchObject({ search: 'COMMENT=old' })

    fireEvent.change(screen.getByTestId('job-search'), { target: { value: 'nothing like this' } })
    await waitFor(() => expect(screen.getByTestId('jobs-empty').textContent).toContain('No jobs match'))
  })

  it('applies job.created and job.changed events as they come', async () => {
    renderApp(core)
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(3))
    let created!: ReturnType<FakeCore['addJob']>
    await act(async () => {
      created = core.addJob({ site_id: beta, description: 'new from the CLI' })
      core.emit({ type: 'job.created', job: created })
    })
    await waitFor(() => expect(rowTexts()[0]).toContain('new from the CLI'))
    expect(screen.getByTestId('job-total').textContent).toBe('4 jobs')

    await act(async () => {
      core.changeJob(created.id, { status: 'in_progress', started_at: '2025-03-01T10:00:01Z' })
    })
    const first = () => screen.getAllByTestId('job-row')[0]!
    await waitFor(() => expect(within(first()).getByTestId('job-status').textContent).toBe('running'))
    await act(async () => {
      core.changeJob(created.id, { status: 'completed', completed_at: '2025-03-01T10:00:02Z' })
    })
    await waitFor(() => expect(within(first()).getByTestId('job-status').textContent).toBe('completed'))
  })

  it('shows a job queued elsewhere while the list was still loading', async () => {
    const release = core.holdNext('jobs:list')
    renderApp(core)
    await waitFor(() => expect(core.callsTo('jobs:list')).toHaveLength(1))
    // The list was read (three jobs); before its answer lands, the CLI queues a fourth.
    await act(async () => {
      core.emit({ type: 'job.created', job: core.addJob({ site_id: beta, description: 'queued meanwhile' }) })
      release()
    })
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(4))
    expect(rowTexts()[0]).toContain('queued meanwhile')
    expect(screen.getByTestId('job-total').textContent).toBe('4 jobs')
  })

  it('shows a job queued just after the first page landed, before the list was drawn', async () => {
    const release = core.holdNext('jobs:list')
    renderApp(core)
    await waitFor(() => expect(core.callsTo('jobs:list')).toHaveLength(1))
    // Inside act, React draws nothing until the end: the page has landed (a macrotask later every
    // promise has settled), but the screen still holds no list when the event comes.
    await act(async () => {
      release()
      await new Promise((resolve) => setTimeout(resolve, 0))
      core.emit({ type: 'job.created', job: core.addJob({ site_id: beta, description: 'queued in the gap' }) })
    })
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(4))
    expect(rowTexts()[0]).toContain('queued in the gap')
  })

  it('keeps a status filter true as jobs move in and out of it', async () => {
    const running = core.addJob({ site_id: alpha, description: 'long upgrade', status: 'in_progress' })
    renderApp(core)
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(4))
    fireEvent.change(screen.getByTestId('filter-status'), { target: { value: 'failed' } })
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(1))
    await act(async () => {
      core.changeJob(running.id, { status: 'failed', failed_at: '2025-03-01T10:00:03Z' })
    })
    await waitFor(() => expect(rowTexts()[0]).toContain('long upgrade'))
    expect(screen.getByTestId('job-total').textContent).toBe('2 jobs')
  })

  it('renders only the rows in view and pages by keyset (before_seq) as it scrolls', async () => {
    for (let i = 0; i < 500; i++) core.addJob({ site_id: alpha, description: `bulk ${i}` })
    renderApp(core)
    await waitFor(() => expect(screen.getByTestId('job-total').textContent).toBe('503 jobs'))
    // 20 rows in the 560 px viewport plus overscan: far fewer than 503.
    expect(screen.getAllByTestId(/job-row/).length).toBeLessThan(60)
    const scroller = screen.getByTestId('job-list-scroll')
    await act(async () => {
      scroller.scrollTop = 200 * 28
      fireEvent.scroll(scroller)
    })
    await waitFor(() => {
      const tokens = screen.getAllByTestId('job-row').map((row) => Number(row.getAttribute('data-index')))
      expect(Math.max(...tokens)).toBeGreaterThan(200)
    })
    const paged = core.callsTo('jobs:list').filter((call) => (call.request as { before_seq?: number }).before_seq !== undefined)
    expect(paged.length).toBeGreaterThan(0)
    // The row at index i is the (i+1)-th newest job: seqs are dense here, so the page landed exactly.
    const row = screen.getAllByTestId('job-row').find((candidate) => candidate.getAttribute('data-index') === '210')!
    expect(row.getAttribute('data-token')).toBe(`T${String(503 - 210).padStart(9, '0')}`)
  })

  it("shows the core's message when the list fails with the preload's plain error object", async () => {
    // The Electron preload rejects with { code, message, issues }, not an Error (see preload-api.ts).
    const api = core.api()
    const failing = {
      ...api,
      'jobs:list': () => Promise.reject({ code: 'internal', message: 'the job store is locked', issues: [] }),
    }
    window.location.hash = '#/jobs'
    render(<App api={failing} />)
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('the job store is locked'))
  })
})
