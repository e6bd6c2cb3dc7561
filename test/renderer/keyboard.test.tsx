// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeCore, renderApp } from './render-app'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  const site = core.addSite({ name: 'alpha' }).id
  core.addJob({ site_id: site, description: 'older', status: 'completed' })
  core.addJob({ site_id: site, description: 'newest', status: 'pending' })
})
afterEach(cleanup)

const key = async (k: string, init: KeyboardEventInit = {}) => {
  await act(async () => {
    fireEvent.keyDown(document.activeElement ?? document.body, { key: k, ...init })
  })
}

describe('keyboard', () => {
  it('moves between screens with g-prefixes, Alt+digits and n', async () => {
    renderApp(core)
    await waitFor(() => screen.getByTestId('screen-jobs'))
    await key('g')
    await key('s')
    await waitFor(() => screen.getByTestId('screen-sites'))
    await key('g')
    await key(',')
    await waitFor(() => screen.getByTestId('screen-settings'))
    await key('4', { altKey: true, code: 'Digit4' })
    await waitFor(() => screen.getByTestId('screen-backups'))
    await key('n')
    await waitFor(() => screen.getByTestId('screen-new'))
    await key('g')
    await key('j')
    await waitFor(() => screen.getByTestId('screen-jobs'))
  })

  it('selects with arrows, opens with Enter, cancels with c, closes with Esc, focuses search with /', async () => {
    renderApp(core)
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(2))
    await key('ArrowDown')
    expect(screen.getAllByTestId('job-row')[0]!.getAttribute('aria-selected')).toBe('true')
    await key('Enter')
    await waitFor(() => expect(screen.getByTestId('detail-description').textContent).toBe('newest'))
    document.body.focus()
    await key('c')
    await waitFor(() => expect(screen.getByTestId('list-notice').textContent).toContain('canceled'))
    expect(core.jobs[1]!.status).toBe('canceled')
    document.body.focus()
    await key('Escape')
    await waitFor(() => expect(screen.queryByTestId('job-detail')).toBeNull())
    await key('/')
    expect(document.activeElement).toBe(screen.getByTestId('job-search'))
    // Letters typed into the search are text, not shortcuts.
    await key('n')
    expect(screen.getByTestId('screen-jobs')).toBeTruthy()
  })

  it('shows the shortcuts with ? and closes them with Esc', async () => {
    renderApp(core)
    await waitFor(() => screen.getByTestId('screen-jobs'))
    await key('?')
    expect(screen.getByTestId('shortcuts-help').textContent).toContain('Cancel the selected job')
    await key('Escape')
    expect(screen.queryByTestId('shortcuts-help')).toBeNull()
  })
})
