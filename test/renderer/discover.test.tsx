// @vitest-environment happy-dom
// The Discover screen on the fake api: Scan shows progress, then one row per router with its
// announced fields; a router that is a site already is marked, the others have an Add button that
// opens the Sites add form filled from the announcement.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { FakeCore, renderApp } from './render-app'

let core: FakeCore
afterEach(cleanup)
beforeEach(() => {
  core = new FakeCore()
})

const router = (mac: string, identity: string, api_port: number | null) => ({
  mac,
  identity,
  version: '7.18 (stable)',
  platform: 'MikroTik',
  uptime: 93_780,
  software_id: 'ABCD-1234',
  board: 'hAP ax3',
  interface_name: 'ether1',
  ipv4: '127.0.0.1',
  ipv6: 'fe80:0:0:0:0:0:0:7',
  unknown_tlvs: [],
  api_port,
})

it('scans, lists each router with its fields, marks known sites, and Add opens the prefilled add form', async () => {
  core.discovered = [router('D4:01:C3:00:00:01', 'branch-a', 18001), router('D4:01:C3:00:00:02', 'branch-b', 18002)]
  core.addSite({ name: 'already-here', host: '127.0.0.1', api_port: 18002 })
  renderApp(core, '#/discover')
  fireEvent.click(await waitFor(() => screen.getByTestId('nav-discover')))
  fireEvent.change(screen.getByTestId('discover-port'), { target: { value: '19000' } })
  fireEvent.change(screen.getByTestId('discover-timeout'), { target: { value: '2' } })
  fireEvent.click(screen.getByTestId('discover-scan'))
  expect(screen.getByTestId('discover-progress').textContent).toMatch(/listening for announcements, 0 of 2 s/)

  const rows = await waitFor(() => screen.getAllByTestId('discovered-router'))
  expect(core.callsTo('discovery:scan')[0]?.request).toEqual({ timeout_s: 2, port: 19000 })
  expect(screen.queryByTestId('discover-progress')).toBeNull()
  expect(screen.getByTestId('discover-count').textContent).toBe('2 routers')
  expect(rows).toHaveLength(2)
  const first = rows[0]!.textContent!
  for (const text of ['branch-a', 'D4:01:C3:00:00:01', '127.0.0.1:18001', 'fe80:0:0:0:0:0:0:7', '7.18 (stable)', 'hAP ax3', 'MikroTik', '1d2h3m', 'ABCD-1234', 'ether1']) {
    expect(first).toContain(text)
  }
  expect(within(rows[1]!).getByTestId('known-site').textContent).toContain('already-here')
  expect(within(rows[1]!).queryByTestId('discover-add')).toBeNull()

  fireEvent.click(within(rows[0]!).getByTestId('discover-add'))
  await waitFor(() => screen.getByTestId('site-form'))
  expect((screen.getByTestId('site-name') as HTMLInputElement).value).toBe('branch-a')
  expect((screen.getByTestId('site-host') as HTMLInputElement).value).toBe('127.0.0.1')
  expect((screen.getByTestId('site-api_port') as HTMLInputElement).value).toBe('18001')
})

it('says when no router answered, and refuses a port outside 1..65534 before scanning', async () => {
  renderApp(core, '#/discover')
  fireEvent.change(await waitFor(() => screen.getByTestId('discover-port')), { target: { value: '70000' } })
  expect(screen.getByText('The port is 1 to 65534, or empty for UDP 5678.')).toBeTruthy()
  expect((screen.getByTestId('discover-scan') as HTMLButtonElement).disabled).toBe(true)
  fireEvent.change(screen.getByTestId('discover-port'), { target: { value: '' } })
  fireEvent.click(screen.getByTestId('discover-scan'))
  await waitFor(() => screen.getByText(/No router answered/))
  expect(core.callsTo('discovery:scan')[0]?.request).toEqual({ timeout_s: 3 })
})
