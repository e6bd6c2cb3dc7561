// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NewBatchInput } from '../../src-main/contract/ipc-contract'
import { NewJobInput } from '../../src-main/contract/job-schema'
import { lintScript } from '../../src-main/lint/script-lint'
import { FakeCore, renderApp } from './render-app'

let core: FakeCore
let alpha: string
let beta: string

beforeEach(() => {
  core = new FakeCore()
  alpha = core.addSite({ name: 'alpha' }).id
  beta = core.addSite({ name: 'beta' }).id
})
afterEach(cleanup)

/** The message the contract's schema gives for one field of this input. */
function schemaMessage(schema: typeof NewJobInput | typeof NewBatchInput, input: unknown, field: string) {
  const result = schema.safeParse(input)
  return result.error?.issues.find((issue) => issue.path.join('.') === field)?.message
}

describe('new job', () => {
  it('names each site in the picker with its host and API port', async () => {
    const other = core.addSite({ name: 'branch', host: '10.20.0.1', api_port: 18728 })
    renderApp(core, '#/new')
    const picker = await waitFor(() => screen.getByTestId(`pick-site-${other.name}`))
    expect(picker.closest('label')?.textContent).toContain('10.20.0.1:18728')
  })

  it('picks the only site when there is one, and leaves it unpicked once the engineer unticks it', async () => {
    const single = new FakeCore()
    single.addSite({ name: 'only-router' })
    renderApp(single, '#/new')
    const picker = (await waitFor(() => screen.getByTestId('pick-site-only-router'))) as HTMLInputElement
    await waitFor(() => expect(picker.checked).toBe(true))
    fireEvent.click(picker)
    await waitFor(() => expect(picker.checked).toBe(false))
    fireEvent.click(screen.getByTestId('queue-job'))
    expect(screen.getByTestId('error-sites').textContent).toBe('pick at least one site')
    // With two sites nothing is picked for the engineer.
    cleanup()
    renderApp(core, '#/new')
    expect(((await waitFor(() => screen.getByTestId('pick-site-alpha'))) as HTMLInputElement).checked).toBe(false)
  })

  it('shows the zod schemas’ own messages next to the fields and sends nothing', async () => {
    renderApp(core, '#/new')
    await waitFor(() => screen.getByTestId('pick-site-alpha'))
    fireEvent.change(screen.getByTestId('job-description'), { target: { value: 'ab' } })
    fireEvent.change(screen.getByTestId('job-revert'), { target: { value: '5' } })
    fireEvent.click(screen.getByTestId('queue-job'))

    const batchInput = { site_ids: [], description: 'ab', script: '', revert_after_s: 5 }
    expect(screen.getByTestId('error-sites').textContent).toBe(schemaMessage(NewBatchInput, batchInput, 'site_ids'))
    expect(screen.getByTestId('error-sites').textContent).toBe('pick at least one site')
    expect(screen.getByTestId('error-description').textContent).toBe('description must be at least 3 characters')
    expect(screen.getByTestId('error-script').textContent).toBe(schemaMessage(NewJobInput, { script: '' }, 'script'))
    expect(screen.getByTestId('error-revert_after_s').textContent).toBe(
      'revert after must be at least 30 seconds: the router needs time to answer',
    )
    expect(screen.getByTestId('job-description').getAttribute('aria-describedby')).toBe('error-description')
    expect(core.callsTo('jobs:create')).toHaveLength(0)

    // Fixing a field clears its message as the engineer types.
    fireEvent.change(screen.getByTestId('job-description'), { target: { value: 'add vlan 20' } })
    expect(screen.queryByTestId('error-description')).toBeNull()
  })

  it('lints the script as it is typed, and a syntax error queues nothing unless "Queue anyway"', async () => {
    core.lint = lintScript
    renderApp(core, '#/new')
    await waitFor(() => screen.getByTestId('pick-site-alpha'))
    fireEvent.click(screen.getByTestId('pick-site-alpha'))
    fireEvent.change(screen.getByTestId('job-description'), { target: { value: 'open brace' } })
    fireEvent.change(screen.getByTestId('script-editor'), { target: { value: '/ip frobnicate print\n:if (1 = 1) do={\n:put "x"\n' } })
    await waitFor(() => expect(screen.getByTestId('lint-findings').textContent).toContain('line 4:1'))
    expect(screen.getByTestId('lint-findings').querySelector('[data-severity=error]')?.textContent).toContain('is not closed')
    fireEvent.click(screen.getByTestId('queue-job'))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('nothing was queued'))
    expect(core.callsTo('jobs:create')).toHaveLength(0)
    fireEvent.click(screen.getByTestId('ignore-lint'))
    fireEvent.click(screen.getByTestId('queue-job'))
    await waitFor(() => screen.getByTestId('queued'))
    expect(core.callsTo('jobs:create')).toHaveLength(1)
  })

  it('warns about a command the lab does not know without stopping the queueing', async () => {
    core.lint = lintScript
    renderApp(core, '#/new')
    await waitFor(() => screen.getByTestId('pick-site-alpha'))
    fireEvent.click(screen.getByTestId('pick-site-alpha'))
    fireEvent.change(screen.getByTestId('job-description'), { target: { value: 'a container' } })
    fireEvent.change(screen.getByTestId('script-editor'), { target: { value: '/container add remote-image=nginx:latest interface=veth1\n' } })
    await waitFor(() => expect(screen.getByTestId('lint-findings').querySelector('[data-severity=warning]')?.textContent).toContain('bad command name container'))
    fireEvent.click(screen.getByTestId('queue-job'))
    await waitFor(() => screen.getByTestId('queued'))
    // The chosen routers go with the script, as the core lints against the RouterOS each reported.
    const linted = core.callsTo('jobs:lint').map((call) => (call.request as { site_ids?: string[] }).site_ids)
    expect(linted.length).toBeGreaterThan(0)
    for (const siteIds of linted) expect(siteIds).toEqual([alpha])
  })

  it('queues one job on one site with its flags and route', async () => {
    renderApp(core, '#/new')
    await waitFor(() => screen.getByTestId('pick-site-alpha'))
    fireEvent.click(screen.getByTestId('pick-site-alpha'))
    fireEvent.change(screen.getByTestId('job-description'), { target: { value: 'add vlan 20' } })
    fireEvent.change(screen.getByTestId('script-editor'), { target: { value: '/interface vlan\nadd name=v20 vlan-id=20 interface=ether1' } })
    fireEvent.click(screen.getByTestId('flag-backup'))
    fireEvent.click(screen.getByTestId('flag-express'))
    fireEvent.click(screen.getByTestId('route-lan'))
    fireEvent.click(screen.getByTestId('queue-job'))
    await waitFor(() => screen.getByTestId('queued'))
    expect(core.callsTo('jobs:create')[0]?.request).toMatchObject({
      site_id: alpha,
      description: 'add vlan 20',
      should_backup: true,
      express_execute: true,
      needs_acknowledgement: true,
      route: 'lan',
    })
    expect(screen.getByTestId('queued-job').textContent).toBe(core.jobs[0]!.token)
    expect(screen.getByTestId('queued').textContent).not.toContain('sync')
  })

  it('leaves revert after out when empty (the settings default applies) and sends no revert for 0', async () => {
    const queueOne = async (revert: string) => {
      cleanup()
      renderApp(core, '#/new')
      await waitFor(() => screen.getByTestId('pick-site-alpha'))
      fireEvent.click(screen.getByTestId('pick-site-alpha'))
      fireEvent.change(screen.getByTestId('job-description'), { target: { value: 'add vlan 20' } })
      fireEvent.change(screen.getByTestId('script-editor'), { target: { value: '/log info x' } })
      fireEvent.change(screen.getByTestId('job-revert'), { target: { value: revert } })
      fireEvent.click(screen.getByTestId('queue-job'))
      await waitFor(() => screen.getByTestId('queued'))
      return core.callsTo('jobs:create').at(-1)?.request as Record<string, unknown>
    }
    expect(await queueOne('')).not.toHaveProperty('revert_after_s')
    expect(await queueOne('0')).toMatchObject({ revert_after_s: null })
    expect(await queueOne('90')).toMatchObject({ revert_after_s: 90 })
  })

  it('queues a batch on several sites, as a canary when asked', async () => {
    renderApp(core, '#/new')
    await waitFor(() => screen.getByTestId('pick-site-alpha'))
    fireEvent.click(screen.getByTestId('pick-site-alpha'))
    fireEvent.click(screen.getByTestId('pick-site-beta'))
    fireEvent.change(screen.getByTestId('job-description'), { target: { value: 'ntp servers' } })
    fireEvent.change(screen.getByTestId('script-editor'), { target: { value: '/system ntp client set enabled=yes' } })
    fireEvent.click(screen.getByTestId('batch-canary'))
    expect(screen.getByTestId('queue-job').textContent).toBe('Queue 2 jobs')
    fireEvent.click(screen.getByTestId('queue-job'))
    await waitFor(() => expect(screen.getAllByTestId('queued-job')).toHaveLength(2))
    expect(core.callsTo('jobs:create')).toHaveLength(0)
    expect(core.jobs.map((job) => job.site_id)).toEqual([alpha, beta])
    expect(new Set(core.jobs.map((job) => job.batch_id)).size).toBe(1)
    const [batch] = core.callsTo('jobs:createBatch')
    expect(batch?.request).toMatchObject({ site_ids: [alpha, beta], stop_on_first_failure: true })
    expect(screen.getByTestId('queued').textContent).toMatch(/^Batch .* queued: 2 jobs/)
  })

  it('says clearly that a job will sync when routed to the cloud or queued while the cloud is offline', async () => {
    core.status = { ...core.status, cloud_online: false }
    renderApp(core, '#/new')
    await waitFor(() => expect(screen.getByTestId('will-sync').textContent).toContain('The cloud is offline'))
    fireEvent.click(screen.getByTestId('route-lan'))
    expect(screen.queryByTestId('will-sync')).toBeNull()
    fireEvent.click(screen.getByTestId('route-cloud'))
    expect(screen.getByTestId('will-sync').textContent).toContain('will sync when the cloud is back')

    fireEvent.click(screen.getByTestId('pick-site-beta'))
    fireEvent.change(screen.getByTestId('job-description'), { target: { value: 'dns servers' } })
    fireEvent.change(screen.getByTestId('script-editor'), { target: { value: '/ip dns set servers=1.1.1.1' } })
    fireEvent.click(screen.getByTestId('queue-job'))
    await waitFor(() => expect(screen.getByTestId('queued').textContent).toContain('It will sync to the cloud when the cloud is back.'))
    expect(core.jobs[0]?.sync_state).toBe('outbox')
  })

  it('highlights RouterOS in the editor: paths, commands, keys, strings and comments', async () => {
    renderApp(core, '#/new')
    await waitFor(() => screen.getByTestId('script-editor'))
    fireEvent.change(screen.getByTestId('script-editor'), {
      target: { value: '# vlan\n/interface vlan add name="v 20" vlan-id=$id\n:put done' },
    })
    const highlight = document.querySelector('.editor-highlight')!
    expect(highlight.querySelector('.tok-comment')?.textContent).toBe('# vlan')
    expect(highlight.querySelector('.tok-path')?.textContent).toBe('/interface')
    expect([...highlight.querySelectorAll('.tok-key')].map((el) => el.textContent)).toEqual(['name', 'vlan-id'])
    expect(highlight.querySelector('.tok-string')?.textContent).toBe('"v 20"')
    expect(highlight.querySelector('.tok-variable')?.textContent).toBe('$id')
    expect(highlight.querySelector('.tok-command')?.textContent).toBe(':put')
    expect(document.querySelector('.gutter')?.textContent).toBe('123')
  })
})
