// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeCore, renderApp } from './render-app'

let core: FakeCore
let site: string

beforeEach(() => {
  core = new FakeCore()
  site = core.addSite({ name: 'alpha' }).id
})
afterEach(cleanup)

describe('job detail', () => {
  it('shows the error with its line and column, marks the line, and warns that earlier lines may be in effect', async () => {
    const job = core.addJob({
      site_id: site,
      description: 'vlan change',
      script: '/interface vlan add name=v20 vlan-id=20 interface=ether1\n/ip address add address=10.0.20.1/24 interface=v2O\n:put done',
      status: 'failed',
      ran_route: 'lan',
      failed_at: '2025-03-01T10:00:05Z',
      started_at: '2025-03-01T10:00:01Z',
      error: { message: 'input does not match any value of interface', category: 'script', line: 2, column: 48 },
    })
    renderApp(core, `#/jobs/${job.id}`)
    await waitFor(() => screen.getByTestId('job-detail'))
    expect(screen.getByTestId('job-error').textContent).toContain('input does not match any value of interface')
    expect(screen.getByTestId('error-position').textContent).toBe('at line 2, column 48')
    expect(screen.getByTestId('error-earlier-lines').textContent).toBe('Line 1 ran before the router stopped: its changes may be in effect on the router.')
    expect(screen.getByTestId('script-error-line').textContent).toContain('/ip address add')
    expect(screen.getByTestId('detail-route').textContent).toBe('auto, ran over LAN')
    const steps = [...screen.getByTestId('job-timeline').querySelectorAll('li.reached')].map((li) => li.getAttribute('data-step'))
    expect(steps).toEqual(['created', 'started', 'failed'])
  })

  it("says why a job its batch canceled was canceled, as a reason rather than an error", async () => {
    const why = "canceled because the batch's canary did not succeed (alpha failed): nothing ran on this router"
    const job = core.addJob({ site_id: site, description: 'after canary', status: 'canceled', error: { message: why, category: 'canceled', line: null, column: null } })
    renderApp(core, `#/jobs/${job.id}`)
    await waitFor(() => screen.getByTestId('job-detail'))
    expect(screen.getByTestId('job-error').querySelector('h3')?.textContent).toBe('Why it was canceled')
    expect(screen.getByTestId('job-error').textContent).toContain(why)
  })

  it('says nothing ran when the router refused the script while compiling it', async () => {
    const job = core.addJob({
      site_id: site,
      description: 'open brace',
      script: '/ip address add address=10.0.0.1/24 interface=ether1\n:if (true) do={\n:put x\n',
      status: 'failed',
      ran_route: 'lan',
      error: { message: 'the script did not parse: syntax error; nothing of it ran on the router', category: 'script', line: 4, column: 1 },
    })
    renderApp(core, `#/jobs/${job.id}`)
    await waitFor(() => screen.getByTestId('job-detail'))
    expect(screen.getByTestId('error-position').textContent).toBe('at line 4, column 1')
    expect(screen.queryByTestId('error-earlier-lines')).toBeNull()
  })

  it('names a range of lines that ran before a runtime failure', async () => {
    const job = core.addJob({
      site_id: site,
      status: 'failed',
      error: { message: 'the script failed: failure: already have such address', category: 'script', line: 5, column: 1 },
    })
    renderApp(core, `#/jobs/${job.id}`)
    await waitFor(() => screen.getByTestId('job-detail'))
    expect(screen.getByTestId('error-earlier-lines').textContent).toBe('Lines 1-4 ran before the router stopped: their changes may be in effect on the router.')
  })

  it("says 'outcome unknown' for a job Fieldjobs lost track of", async () => {
    const job = core.addJob({ site_id: site, status: 'unknown', started_at: '2025-03-01T10:00:01Z' })
    renderApp(core, `#/jobs/${job.id}`)
    await waitFor(() => screen.getByTestId('job-detail'))
    expect(screen.getAllByTestId('job-status')[0]!.textContent).toBe('outcome unknown')
    expect(screen.getByTestId('state-explanation').textContent).toMatch(/Outcome unknown: Fieldjobs stopped while this job ran/)
  })

  it("says 'delivered', not completed, when nobody waited for the router's answer", async () => {
    const job = core.addJob({ site_id: site, status: 'completed', needs_acknowledgement: false, completed_at: '2025-03-01T10:00:03Z' })
    renderApp(core, `#/jobs/${job.id}`)
    await waitFor(() => screen.getByTestId('job-detail'))
    expect(screen.getByTestId('detail-token').nextElementSibling?.textContent).toBe('delivered')
    expect(screen.getByTestId('state-explanation').textContent).toContain('its result on the router is not known')
  })

  it('says completed plainly for an acknowledged job, with the output, backup links and cloud job id', async () => {
    const job = core.addJob({
      site_id: site,
      status: 'completed',
      output: 'done',
      associated_backup: `${site}/1740823200.rsc`,
      cloud_job_id: 'cj-42',
      ran_route: 'cloud',
      route: 'cloud',
      sync_state: 'done',
    })
    renderApp(core, `#/jobs/${job.id}`)
    await waitFor(() => screen.getByTestId('job-detail'))
    expect(screen.queryByTestId('state-explanation')).toBeNull()
    expect(screen.getByTestId('job-output').textContent).toBe('done')
    expect(screen.getByTestId('detail-cloud-job-id').textContent).toBe('cj-42')
    expect(screen.getByTestId('open-backup').getAttribute('href')).toContain(`path=${encodeURIComponent(`${site}/1740823200.rsc`)}`)
    expect(screen.getByTestId('diff-backup').getAttribute('href')).toContain('diff=previous')
  })

  it('cancels a pending job: canceled', async () => {
    const job = core.addJob({ site_id: site, status: 'pending' })
    renderApp(core, `#/jobs/${job.id}`)
    await waitFor(() => screen.getByTestId('cancel-job'))
    fireEvent.click(screen.getByTestId('cancel-job'))
    await waitFor(() => expect(screen.getByTestId('cancel-outcome').textContent).toBe('canceled'))
    expect(screen.getByTestId('job-detail').getAttribute('data-job-status')).toBe('canceled')
    expect((screen.getByTestId('cancel-job') as HTMLButtonElement).disabled).toBe(true)
  })

  it('cancels a running job: canceling, then the real end arrives by event', async () => {
    const job = core.addJob({ site_id: site, status: 'in_progress', started_at: '2025-03-01T10:00:01Z' })
    renderApp(core, `#/jobs/${job.id}`)
    await waitFor(() => screen.getByTestId('cancel-job'))
    fireEvent.click(screen.getByTestId('cancel-job'))
    await waitFor(() => expect(screen.getByTestId('cancel-outcome').textContent).toMatch(/^canceling/))
    expect(screen.getByTestId('state-explanation').textContent).toMatch(/^Canceling/)
    await act(async () => {
      core.changeJob(job.id, { status: 'canceled', canceled_at: '2025-03-01T10:00:04Z' })
    })
    await waitFor(() => expect(screen.getByTestId('job-detail').getAttribute('data-job-status')).toBe('canceled'))
    // The "canceling" banner turns into how the job ended, so it never contradicts the state.
    expect(screen.getByTestId('cancel-outcome').textContent).toBe('canceled')
  })

  it('shows the progress lines the job said before the detail opened, then live ones', async () => {
    const job = core.addJob({ site_id: site, status: 'in_progress', started_at: '2025-03-01T10:00:01Z' })
    core.progress.set(job.id, [
      { message: 'connected to 10.0.0.1:8728', at: '2025-03-01T10:00:01Z' },
      { message: 'backup 1 saved: x/1.rsc', at: '2025-03-01T10:00:02Z' },
    ])
    renderApp(core, `#/jobs/${job.id}`)
    await waitFor(() => expect(screen.getByTestId('job-progress').textContent).toContain('backup 1 saved: x/1.rsc'))
    await act(async () => {
      core.emit({ type: 'job.progress', job_id: job.id, message: 'script sent; running', at: '2025-03-01T10:00:03Z' })
      // A line another process stored before the detail opened, announced here after it (the
      // watch of the data folder looks every half second): shown once.
      core.emit({ type: 'job.progress', job_id: job.id, message: 'backup 1 saved: x/1.rsc', at: '2025-03-01T10:00:02Z' })
    })
    expect([...screen.getByTestId('job-progress').querySelectorAll('li')].map((line) => line.textContent?.replace(/^.*?\d\d:\d\d:\d\d\s/, ''))).toEqual([
      'connected to 10.0.0.1:8728',
      'backup 1 saved: x/1.rsc',
      'script sent; running',
    ])
  })

  it('says so when a job told to stop got to its end first', async () => {
    const job = core.addJob({ site_id: site, status: 'in_progress', started_at: '2025-03-01T10:00:01Z' })
    renderApp(core, `#/jobs/${job.id}`)
    await waitFor(() => screen.getByTestId('cancel-job'))
    fireEvent.click(screen.getByTestId('cancel-job'))
    await waitFor(() => expect(screen.getByTestId('cancel-outcome').textContent).toMatch(/^canceling/))
    await act(async () => {
      core.changeJob(job.id, { status: 'completed', completed_at: '2025-03-01T10:00:04Z' })
    })
    await waitFor(() => expect(screen.getByTestId('cancel-outcome').textContent).toBe('too late to stop: the job is completed'))
  })

  it('shows a refusal with its reason: at once for a finished job, later when the cloud refuses', async () => {
    const done = core.addJob({ site_id: site, status: 'in_progress' })
    renderApp(core, `#/jobs/${done.id}`)
    await waitFor(() => screen.getByTestId('cancel-job'))
    // The job finishes between the render and the click: the core refuses, with its reason.
    core.jobs[0] = { ...core.jobs[0]!, status: 'completed' }
    fireEvent.click(screen.getByTestId('cancel-job'))
    await waitFor(() =>
      expect(screen.getByTestId('cancel-outcome').textContent).toBe(
        `cancel refused: job ${done.token} is completed: a finished job cannot be canceled`,
      ),
    )
    cleanup()

    const synced = core.addJob({ site_id: site, status: 'pending', sync_state: 'synced', cloud_job_id: 'cj-7' })
    renderApp(core, `#/jobs/${synced.id}`)
    await waitFor(() => screen.getByTestId('cancel-job'))
    fireEvent.click(screen.getByTestId('cancel-job'))
    await waitFor(() => expect(screen.getByTestId('cancel-outcome').textContent).toMatch(/^canceling/))
    await act(async () => {
      core.changeJob(synced.id, { status: 'in_progress', cancel_refused_reason: 'the cloud job is already running on the router' })
    })
    await waitFor(() =>
      expect(screen.getByTestId('cancel-outcome').textContent).toBe('cancel refused: the cloud job is already running on the router'),
    )
  })

  it('says a job in the outbox will sync, and that the cloud is offline when it is', async () => {
    core.status = { ...core.status, cloud_online: false, waiting_to_sync: 1 }
    const job = core.addJob({ site_id: site, route: 'cloud', sync_state: 'outbox' })
    renderApp(core, `#/jobs/${job.id}`)
    await waitFor(() => expect(screen.getByTestId('sync-explanation').textContent).toContain('the cloud is offline'))
    expect(screen.getByTestId('sync-explanation').textContent).toContain('will sync')
    expect(screen.getByTestId('status-cloud').textContent).toBe('cloud: offline')
    expect(screen.getByTestId('status-waiting').textContent).toBe('1 waiting to sync')
  })
})
