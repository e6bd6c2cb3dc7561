// Ansible's community.routeros (Debian's `ansible`) against a lab router: api_info, api (add, query,
// update, remove, a refused value) and api_modify (DNS, a DHCP server, ssh; changed once, then
// idempotent), each checked on the router itself. `.ci/run` installs ansible; without it this fails, never skips.
import { execFile, execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '../../src-main/lab/lab'

const run = promisify(execFile)
const PLAY = join(__dirname, 'ansible', 'lab-play.yml')
let lab: Lab

beforeAll(async () => {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'pipe' })
  } catch {
    throw new Error('ansible is missing: install it with `apt-get install ansible` (.ci/run does); it carries community.routeros')
  }
  lab = await startLab({ routers: 1 })
})
afterAll(() => lab?.close())

interface TaskResult {
  failed?: boolean
  changed?: boolean
  msg?: unknown
}

describe('community.routeros against the lab', () => {
  it('api_info reads, api adds/queries/updates/removes and reports a trap, api_modify is idempotent', async () => {
    const router = lab.routers[0]!
    const { stdout } = await run(
      'ansible-playbook',
      ['-i', 'localhost,', PLAY, '-e', JSON.stringify({ lab_host: router.host, lab_port: router.port, lab_user: router.user, lab_password: router.password })],
      {
        timeout: 120_000,
        env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false', ANSIBLE_NOCOLOR: '1' },
      },
    )
    const play = JSON.parse(stdout) as { plays: Array<{ tasks: Array<{ task: { name: string }; hosts: { localhost: TaskResult } }> }> }
    const task = (name: string) => play.plays[0]!.tasks.find((entry) => entry.task.name.startsWith(name))!.hosts.localhost
    expect(task('read the identity').failed).toBeFalsy()
    expect((task('read the identity') as { result?: Array<{ name: string }> }).result).toEqual([{ name: 'lab-router-1' }])
    expect(task('add an address')).toMatchObject({ changed: true })
    expect(task('find it with a query').msg).toEqual([{ '.id': expect.stringMatching(/^\*/), address: '10.88.0.1/24', comment: 'ansible' }])
    expect(task('change its comment')).toMatchObject({ changed: true })
    expect(task('make the DNS servers')).toMatchObject({ changed: true })
    expect(task('the same again')).toMatchObject({ changed: false })
    expect(task('set the LAN')).toMatchObject({ changed: true })
    // What api_modify read back, in its own schema's types: the lab's defaults as the module knows them.
    expect((task('set the LAN') as { old_data?: unknown }).old_data).toEqual([
      expect.objectContaining({ name: 'defconf', interface: 'bridge1', 'address-pool': 'default-dhcp', authoritative: true, 'use-radius': false, disabled: false }),
    ])
    expect(task('the DHCP server again')).toMatchObject({ changed: false })
    expect(task('harden ssh')).toMatchObject({ changed: true })
    expect(task('a bad value is refused')).toMatchObject({ failed: true, msg: ['input does not match any value of interface'] })
    expect(task('remove the address')).toMatchObject({ changed: true })
    // On the router: the DNS server is set, the address came and went.
    const config = router.router.exportText()
    expect(config).toContain('servers=9.9.9.9')
    expect(config).toContain('add address-pool=default-dhcp interface=bridge1 lease-time=1h name=defconf')
    expect(config).toContain('/ip ssh\nset strong-crypto=yes\n')
    expect(config).not.toContain('10.88.0.1')
  }, 150_000)
})
