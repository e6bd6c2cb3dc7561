// @vitest-environment happy-dom
// The Backups screen's configuration history: it opens on a site that has backups, marks each backup
// changed or unchanged, and the side-by-side diff highlights the words that changed inside a line.
import { cleanup, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeCore, renderApp } from './render-app'

let core: FakeCore
afterEach(cleanup)
beforeEach(() => {
  core = new FakeCore()
})

describe('backup history', () => {
  it('opens on a site with backups, not the empty first one, and marks changed and unchanged', async () => {
    core.addSite({ name: 'alpha' })
    const beta = core.addSite({ name: 'beta' }).id
    core.addBackup(beta, '# h\n/ip dns\nset servers=8.8.8.8', 1740819600)
    core.addBackup(beta, '# h\n/ip dns\nset servers=8.8.8.8', 1740823200)
    for (const backup of core.backups) backup.changed = backup.path.endsWith('1740819600.rsc')
    renderApp(core, '#/backups')
    await waitFor(() => expect(screen.getAllByTestId('backup-row')).toHaveLength(2))
    expect((screen.getByTestId('backup-site') as HTMLSelectElement).value).toBe(beta)
    expect(screen.getAllByTestId('backup-change').map((cell) => cell.textContent)).toEqual(['○ same', '● changed'])
  })

  it('highlights the changed words of a changed line on each side', async () => {
    const site = core.addSite({ name: 'alpha' }).id
    core.addBackup(site, '# a\n/ip address\nadd address=10.10.10.1/24 interface=ether2', 1740819600)
    core.addBackup(site, '# b\n/ip address\nadd address=10.10.20.1/24 interface=ether2', 1740823200)
    core.handlers['backups:diff'] = ({ from, to }) => ({
      from,
      to,
      unified: '',
      rows: [
        { kind: 'same', left: '/ip address', right: '/ip address', left_line: 2, right_line: 2 },
        { kind: 'changed', left: 'add address=10.10.10.1/24 interface=ether2', right: 'add address=10.10.20.1/24 interface=ether2', left_line: 3, right_line: 3 },
      ],
    })
    renderApp(core, `#/backups?site=${site}&path=${encodeURIComponent(`${site}/1740823200.rsc`)}&diff=previous`)
    await waitFor(() => screen.getByTestId('diff-side'))
    const changed = screen.getByTestId('diff-side').querySelector('tr[data-kind="changed"]')!
    expect([...changed.querySelectorAll('.left mark')].map((mark) => mark.textContent)).toEqual(['10'])
    expect([...changed.querySelectorAll('.right mark')].map((mark) => mark.textContent)).toEqual(['20'])
    // The whole line is still there on each side, unbroken.
    expect(changed.querySelector('.right')!.textContent).toBe('add address=10.10.20.1/24 interface=ether2')
    expect(screen.getByTestId('diff-side').querySelectorAll('col.diff-gutter')).toHaveLength(2)
  })
})
