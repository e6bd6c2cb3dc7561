// The real window on the in-memory FakeCore, with a field engineer's day of data: for screenshots
// of every screen in real Chromium, independent of the server side.
import { createRoot } from 'react-dom/client'
import { App } from '../../../src-renderer/src/app/App'
import '../../../src-renderer/src/styles.css'
import { FakeCore } from '../../renderer/fake-api'

const start = Date.parse('2025-03-01T08:00:00Z')
let tick = 0
const core = new FakeCore({ now: () => new Date(start + tick++ * 47_000) })
const sites = ['hq-core', 'branch-lisbon', 'branch-porto', 'warehouse-ap', 'clinic-north'].map((name, i) =>
  core.addSite({ name, host: `10.${i}.0.1`, cloud_site_id: i % 2 ? null : `0b1e7c2a-5d1e-4a7b-9c1d-00000000000${i}` }),
)
const scripts = [
  '/interface vlan\nadd name=cams vlan-id=20 interface=bridge\n/ip address\nadd address=10.20.0.1/24 interface=cams',
  '# rotate the admin password\n/user set admin password="$newPassword"',
  '/ip firewall filter\nadd chain=input action=drop src-address-list=blocked comment="drop blocked"',
  '/system ntp client set enabled=yes servers=pool.ntp.org',
  ':foreach i in=[/interface find] do={ :put [/interface get $i name] }',
]
const descriptions = ['add camera VLAN 20', 'rotate admin password', 'drop blocked addresses', 'enable NTP client', 'list interfaces']
const statuses = ['completed', 'completed', 'failed', 'completed', 'canceled', 'unknown', 'completed', 'pending'] as const
for (let i = 0; i < 240; i++) {
  const status = statuses[i % statuses.length]!
  core.addJob({
    site_id: sites[i % sites.length]!.id,
    description: descriptions[i % descriptions.length]!,
    script: scripts[i % scripts.length]!,
    status,
    route: i % 7 === 0 ? 'cloud' : i % 3 === 0 ? 'lan' : 'auto',
    ran_route: status === 'pending' ? null : i % 7 === 0 ? 'cloud' : 'lan',
    needs_acknowledgement: i % 11 !== 0,
    should_backup: i % 4 === 0,
    started_at: status === 'pending' ? null : new Date(start + i * 60_000 + 2_000).toISOString(),
    completed_at: status === 'completed' ? new Date(start + i * 60_000 + 5_000).toISOString() : null,
    failed_at: status === 'failed' ? new Date(start + i * 60_000 + 5_000).toISOString() : null,
    canceled_at: status === 'canceled' ? new Date(start + i * 60_000 + 3_000).toISOString() : null,
    output: status === 'completed' ? 'ok' : null,
    error:
      status === 'failed'
        ? { message: 'input does not match any value of interface', category: 'script', line: 4, column: 32 }
        : null,
  })
}
core.addJob({ site_id: sites[0]!.id, description: 'move uplink to sfp1', script: '/interface bridge port\nset [find interface=ether1] interface=sfp1', status: 'in_progress', started_at: new Date(start).toISOString(), ran_route: 'lan' })
core.addJob({ site_id: sites[1]!.id, description: 'update DNS servers (queued offline)', script: '/ip dns set servers=1.1.1.1,9.9.9.9', route: 'cloud', sync_state: 'outbox' })
// Backups carry a line as long as RouterOS's own export writes them (it continues lines at about 80
// columns), so the side-by-side diff is seen at a real width.
// The rest of a default configuration, so each export is about as long (over 1 KB) as a real one.
const defaults = [
  '/ip firewall filter',
  'add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked',
  'add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid',
  'add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp',
  'add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN',
  'add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related hw-offload=yes',
  '/ip firewall nat',
  'add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN',
].join('\n')
const header = (time: string) => `# ${time} by RouterOS 7.16.2\n# software id = ABCD-1234\n#\n# model = RB5009UG+S+`
core.addBackup(sites[0]!.id, `${header('mar/01/2025 09:00:00')}\n/ip address\nadd address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0\n/interface bridge\nadd name=bridge\n/interface vlan\nadd interface=bridge name=mgmt vlan-id=10\n/ip dns\nset servers=8.8.8.8\n/system identity\nset name=hq-core\n${defaults}`, 1740819600)
// The next export finds nothing new: a backup marked the same as the one before it.
core.addBackup(sites[0]!.id, `${header('mar/01/2025 09:30:00')}\n/ip address\nadd address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0\n/interface bridge\nadd name=bridge\n/interface vlan\nadd interface=bridge name=mgmt vlan-id=10\n/ip dns\nset servers=8.8.8.8\n/system identity\nset name=hq-core\n${defaults}`, 1740821400)
core.addBackup(sites[0]!.id, `${header('mar/01/2025 10:00:00')}\n/ip address\nadd address=192.168.88.1/24 comment="defconf: LAN" interface=bridge network=192.168.88.0\n/interface bridge\nadd name=bridge\n/interface vlan\nadd interface=bridge name=mgmt vlan-id=10\nadd interface=bridge name=cams vlan-id=20\n/ip address\nadd address=10.20.0.1/24 interface=cams\n/ip dns\nset servers=1.1.1.1\n/system identity\nset name=hq-core\n${defaults}`, 1740823200)
for (let i = 0; i < 24; i++) {
  core.health.push({
    site_id: sites[0]!.id,
    at: new Date(start + i * 300_000).toISOString(),
    online: true,
    identity: 'hq-core',
    version: '7.16.2',
    board: 'RB5009UG+S+',
    cpu_load: Math.round(8 + 30 * Math.abs(Math.sin(i / 3))),
    free_memory: 600_000_000 - i * 4_000_000,
    total_memory: 1_073_741_824,
    uptime: '12d4h',
    error: null,
  })
}
core.status = { cloud_online: false, cloud_configured: true, waiting_to_sync: 1, running: 1, pending: 31, last_sync_error: 'connect ECONNREFUSED 127.0.0.1:9443' }
core.settings = { ...core.settings, cloud_token_set: true, cloud_token_hint: 'x9Qe' }
core.emit({ type: 'batch.progress', batch_id: 'b7d1c2a0-0000-4000-8000-000000000001', done: 3, total: 5, failed: 1 })

const api = core.api()
;(window as unknown as { fakeCore: FakeCore }).fakeCore = core
createRoot(document.getElementById('root')!).render(<App api={api} />)
// A batch in flight, announced once the status bar listens.
setTimeout(() => core.emit({ type: 'batch.progress', batch_id: 'b7d1c2a0-0000-4000-8000-000000000001', done: 3, total: 5, failed: 1 }), 50)
