// The lab models a lockout and the router's own restore: a script that cuts the API really cuts the
// lab's connections (and refuses new ones), and a one-shot scheduler armed before it fires on the
// router's timers, resets the configuration and runs the snapshot, after which clients get back in
// and the export equals the one before. Time is virtual (VirtualTime), so a 60 s window is instant.
import { afterEach, describe, expect, it } from 'vitest'
import { RouterClient } from '../../src-main/core/routeros/router-client'
import { RouterConnectionError } from '../../src-main/core/routeros/router-errors'
import { startLab, type Lab, type LabRouter } from '../../src-main/lab/lab'
import { withoutHeader } from '../../src-main/lab/router'
import { VirtualTime } from '../../src-main/lab/virtual-time'

let lab: Lab | undefined
const clients: RouterClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
  await lab?.close()
  lab = undefined
})

async function login(entry: LabRouter): Promise<RouterClient> {
  const client = new RouterClient({ host: entry.host, port: entry.port, user: entry.user, password: entry.password })
  clients.push(client)
  await client.connect()
  return client
}

const LOCKOUT_SCRIPTS = {
  'disables the api service': '/ip service disable api',
  'disables the api service (set)': '/ip service set api disabled=yes',
  'moves the management address': '/ip address set [find address="192.168.88.1/24"] address=192.168.77.1/24',
  'drops the api port in the firewall': '/ip firewall filter add chain=input protocol=tcp dst-port=8728 action=drop place-before=0',
} as const

describe('lockout and restore in the lab', () => {
  for (const [what, script] of Object.entries(LOCKOUT_SCRIPTS)) {
    it(`a script that ${what} cuts the connection; the armed scheduler restores the export`, async () => {
      const time = new VirtualTime()
      lab = await startLab({ routers: 1, now: time.now, timers: time.timers })
      const [entry] = lab.routers
      const router = entry!.router
      const before = router.exportText()

      const client = await login(entry!)
      await client.command('/export', { file: 'snap' })
      await client.command('/system/scheduler/add', {
        name: 'restore',
        'start-time': '16:01:00',
        interval: '0s',
        'on-event': '/system reset-configuration no-defaults=yes skip-backup=yes keep-users=yes run-after-reset=snap.rsc',
      })
      await client.command('/system/script/add', { name: 'change', source: script })
      // The script's own connection is cut while it runs.
      await expect(client.command('/system/script/run', { number: 'change' })).rejects.toBeInstanceOf(RouterConnectionError)
      await entry!.server.whenListenerSettled()
      await expect(login(entry!)).rejects.toMatchObject({ kind: 'refused' })
      expect(withoutHeader(router.exportText())).not.toBe(withoutHeader(before))

      // Nothing happens before the scheduler's time...
      await time.advance(59_000)
      await expect(login(entry!)).rejects.toMatchObject({ kind: 'refused' })
      // ...then it fires, the reset runs the snapshot, and the router takes connections again.
      await time.advance(1_000)
      await router.whenResetSettled()
      await entry!.server.whenListenerSettled()
      const again = await login(entry!)
      expect(await again.print('/system/scheduler/print')).toEqual([])
      expect(withoutHeader(router.exportText())).toBe(withoutHeader(before))
      // Files survive the reset (the app removes the snapshot once it has looked).
      expect(router.readFile('snap.rsc')).toBeDefined()
    })
  }

  it('removing the scheduler in time keeps the change and nothing restarts', async () => {
    const time = new VirtualTime()
    lab = await startLab({ routers: 1, now: time.now, timers: time.timers })
    const [entry] = lab.routers
    const router = entry!.router
    const rebooted: string[] = []
    router.onReboot(() => rebooted.push('reboot'))
    const client = await login(entry!)
    await client.command('/system/scheduler/add', {
      name: 'restore',
      'start-time': '16:01:00',
      'on-event': '/system reset-configuration no-defaults=yes skip-backup=yes keep-users=yes run-after-reset=snap.rsc',
    })
    await client.command('/system/identity/set', { name: 'kept' })
    await time.advance(30_000)
    await client.command('/system/scheduler/remove', { numbers: 'restore' })
    await time.advance(60_000)
    expect(rebooted).toEqual([])
    expect(router.identity).toBe('kept')
  })

  it('disabling the service a session does not use leaves it connected, as on a router', async () => {
    lab = await startLab({ routers: 1 })
    const [entry] = lab.routers
    // A plain API session: turning api-ssl off (as hardening scripts do) does not touch it.
    const client = await login(entry!)
    await client.command('/ip/service/disable', { numbers: 'api-ssl,telnet' })
    await client.command('/system/identity/set', { name: 'still-here' })
    await expect(login(entry!)).resolves.toBeDefined()
    expect(entry!.router.identity).toBe('still-here')
  })
})
