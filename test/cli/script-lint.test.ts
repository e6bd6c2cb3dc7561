// The lint before queueing: a script that would not parse is refused with line and column (nothing
// queued) unless --no-lint; an unknown command is a warning; real scripts pass untouched.
import { afterEach, describe, expect, it } from 'vitest'
import { type Lab, startLab } from '../../src-main/lab/lab'
import type { Job } from '../../src-main/contract/job-schema'
import { commandsBefore, lintScript, lintVersionOf } from '../../src-main/lint/script-lint'
import { scriptFailure } from '../../src-main/core/lan/script-failure'
import { cli } from '../support/cli-harness'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()

/** Scripts RouterOS accepts, as engineers write them: the lint must say nothing about them. */
const realistic = [
  '/ip firewall filter\nadd chain=input action=accept connection-state=established,related comment="accept established"\nadd chain=input action=drop in-interface=ether1 comment="drop WAN"\n',
  '/system scheduler add name=nightly interval=1d start-time=03:00:00 on-event="/system script run backup"\n',
  ':foreach i in=[/interface find] do={\n  :put [/interface get $i name]\n}\n',
  ':local name [/system identity get name]\n:if ($name != "core") do={ /system identity set name=("br-" . $name) } else={ :log info "already core" }\n',
  '/ip dns set servers={{var.dns}}\n/system identity set name="{{site.name}}-gw"\n',
  '/log info "nightly change"\n:log warning "check"\n',
  // Array literals in braces, as MikroTik's scripting manual writes them.
  ':local vlans {10;20;"30"}\n:foreach v in=$vlans do={ /interface vlan add name=("vlan" . $v) vlan-id=$v interface=bridge1 }\n',
  // A guest LAN: pool, DHCP server and its network, a static lease, the WAN's DHCP client.
  '/ip pool add name=guest ranges=10.20.0.10-10.20.0.250\n/ip dhcp-server add name=guest interface=bridge1 address-pool=guest lease-time=1h\n' +
    '/ip dhcp-server network add address=10.20.0.0/24 gateway=10.20.0.1 dns-server=10.20.0.1\n' +
    '/ip dhcp-server lease add address=10.20.0.5 mac-address=AA:BB:CC:00:11:22 server=guest\n/ip dhcp-client set [find interface=ether1] use-peer-dns=no\n',
  '/queue simple add name=guest target=10.20.0.0/24 max-limit=20M/50M\n',
  // OSPF on RouterOS 7: an instance, its backbone, and where it runs (a bare `passive`, as RouterOS writes it).
  '/routing ospf instance add name=default-v2 router-id=10.255.0.1\n/routing ospf area add name=backbone-v2 instance=default-v2\n' +
    '/routing ospf interface-template add area=backbone-v2 networks=10.20.0.0/24 interfaces=bridge1 passive\n',
  '/ip firewall mangle add chain=prerouting in-interface=ether1 connection-mark=no-mark action=mark-connection new-connection-mark=wan1_conn\n',
  // A branch on a PPPoE line: the WAN client and NAT on it, logs to the office's syslog, the DDNS name.
  '/interface pppoe-client add interface=ether1 user=branch12@isp password="{{var.pppoe_password}}" add-default-route=yes use-peer-dns=yes disabled=no\n' +
    '/interface list member add list=WAN interface=pppoe-out1\n/ip firewall nat add chain=srcnat action=masquerade out-interface=pppoe-out1\n' +
    '/system logging action add name=syslog target=remote remote=10.0.0.5 remote-port=514\n/system logging add topics=info,!debug action=syslog\n' +
    '/system logging action set [find name=remote] remote=10.0.0.9\n/ip cloud set ddns-enabled=yes update-time=no\n:put [/ip cloud get dns-name]\n',
  // Hardening a new router.
  '/ip service disable telnet,ftp,www\n/ip neighbor discovery-settings set discover-interface-list=LAN\n/tool mac-server set allowed-interface-list=none\n' +
    '/tool mac-server mac-winbox set allowed-interface-list=LAN\n/tool bandwidth-server set enabled=no\n/ip ssh set strong-crypto=yes\n/ip socks set enabled=no\n/ip proxy set enabled=no\n/ip upnp set enabled=no\n',
]

describe('commandsBefore (whether lines before a failure could have changed the router)', () => {
  it('counts commands, not menu lines, comments or blank lines; undefined when the lab cannot tell', () => {
    expect(commandsBefore('# cameras\n/interface vlan\n\nadd name=cams vlan-id=20 interface=ether9\n', 4)).toBe(0)
    expect(commandsBefore('/interface vlan\nadd name=a vlan-id=2 interface=ether2\nadd name=b\n', 3)).toBe(1)
    expect(commandsBefore(':log info "start"\n/ip address\nadd address=1.2.3.4/24 interface=ether2\n', 3)).toBe(1)
    expect(commandsBefore('/system reset-configuration no-defaults=yes\n/interface vlan\nadd\n', 3)).toBe(1)
    // A menu the lab does not model (a package it lacks) before the failure: unknown, never "none".
    expect(commandsBefore('/container add remote-image=x\n/interface vlan\nadd\n', 3)).toBeUndefined()
  })

  it('gives the warning whenever the count is not a known 0', () => {
    const message = 'input does not match any value of interface (line 3 column 1)'
    expect(scriptFailure(message, undefined).message).toContain('lines 1-2 ran before it and may already be in effect')
    expect(scriptFailure(message, 1).message).toContain('lines 1-2 ran before it and may already be in effect')
    expect(scriptFailure(message).message).toContain('lines 1-2 ran before it and may already be in effect')
    expect(scriptFailure(message, 0).message).toBe('the script failed: input does not match any value of interface; the lines before it only choose a menu, so nothing of the script changed the router')
  })
})

describe('lintScript', () => {
  it('passes real scripts, templates included', () => {
    for (const script of realistic) expect(lintScript(script), script).toEqual([])
  })

  it('finds an open brace, a bad quote and an unknown command, with line and column', () => {
    expect(lintScript(':if (1 = 1) do={\n  :put "x"\n')).toEqual([
      expect.objectContaining({ severity: 'error', line: 3, column: 1, message: expect.stringContaining('is not closed') }),
    ])
    expect(lintScript('/ip address add comment="open\n')).toEqual([expect.objectContaining({ severity: 'error', line: 1 })])
    expect(lintScript('/ip address print\n/ip frobnicate print\n')).toEqual([
      expect.objectContaining({ severity: 'warning', line: 2, column: 5, message: expect.stringContaining('bad command name frobnicate') }),
    ])
  })
})

describe('job create lints first', () => {
  it('refuses a script that would not parse (exit 2, nothing queued) unless --no-lint, and warns without refusing', async () => {
    const common = ['--data-dir', tempDir()]
    await cli(['site', 'add', '--name', 'x', '--host', '127.0.0.1', '--user', 'admin', '--password-env', 'PW', '--no-check', ...common], { env: { PW: 'p' } })
    const create = (stdin: string, ...flags: string[]) => cli(['job', 'create', '--site', 'x', '--description', 'lint me', '--script', '-', '--json', ...flags, ...common], { stdin })

    const refused = await create(':if (1 = 1) do={\n  :put "x"\n')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('error: line 3 col 1: syntax error at the end of the script')
    expect(refused.stderr).toContain('nothing was queued')
    expect((await cli(['job', 'list', '--json', ...common])).json<Job[]>()).toEqual([])

    const forced = await create(':if (1 = 1) do={\n  :put "x"\n', '--no-lint')
    expect(forced.code, forced.stderr).toBe(0)

    const warned = await create('/container add remote-image=nginx:latest interface=veth1\n')
    expect(warned.code, warned.stderr).toBe(0)
    expect(warned.stderr).toContain('warning: line 1 col 2: bad command name container')
    expect((await cli(['job', 'list', '--json', ...common])).json<Job[]>()).toHaveLength(2)
  })
})

describe('the lint, per router', () => {
  it('reads the version a router reports, as /system/resource prints it; anything else is unknown', () => {
    expect(['6.49.10 (long-term)', '7.18.2 (stable)', '7.16rc2 (testing)', '7.19beta4', '7.1'].map(lintVersionOf)).toEqual(['6.49.10', '7.18.2', '7.16rc2', '7.19beta4', '7.1'])
    expect([null, undefined, '', 'unknown', '7'].map(lintVersionOf)).toEqual([undefined, undefined, undefined, undefined, undefined])
  })

  const labs: Lab[] = []
  afterEach(async () => {
    for (const lab of labs.splice(0)) await lab.close()
  })

  it('lints against the RouterOS each site last reported, so a RouterOS 6 command is not warned about for a RouterOS 6 router', async () => {
    const common = ['--data-dir', tempDir()]
    for (const [name, version] of [['v6', '6.49.10'], ['v7', '7.18.2']] as const) {
      const lab = await startLab({ routers: 1, version })
      labs.push(lab)
      const router = lab.routers[0]!
      // `site add` logs in first: the router's version is recorded then.
      const added = await cli(['site', 'add', '--name', name, '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'PW', '--tag', 'ospf', ...common], {
        env: { PW: router.password, FIELDJOBS_SECRET_STORE: 'keyfile' },
      })
      expect(added.code, added.stderr).toBe(0)
    }
    await cli(['site', 'add', '--name', 'never-reached', '--host', '127.0.0.1', '--port', '9', '--user', 'admin', '--password-env', 'PW', '--no-check', ...common], {
      env: { PW: 'p', FIELDJOBS_SECRET_STORE: 'keyfile' },
    })
    // RouterOS 6's OSPF: a network under the default instance's backbone. RouterOS 7 has no `network`.
    const ospf6 = '/routing ospf network add network=10.20.0.0/24 area=backbone\n'
    const create = (site: string) => cli(['job', 'create', '--site', site, '--description', 'ospf', '--script', '-', ...common], { stdin: ospf6, env: { FIELDJOBS_SECRET_STORE: 'keyfile' } })
    const v6 = await create('v6')
    expect(v6.code, v6.stderr).toBe(0)
    expect(v6.stderr).toBe('')
    const v7 = await create('v7')
    expect(v7.stderr).toBe("warning: line 1 col 15: bad command name network (the lab's RouterOS 7.18.2 does not know it; check it is right for this router)\n")
    // A site never reached is linted against the default lab router, and says so less precisely.
    expect((await create('never-reached')).stderr).toBe('warning: line 1 col 15: bad command name network (the lab does not know it; check it is right for this router)\n')
    // A batch lints once per version among its sites, and says each finding once.
    const batch = await cli(['batch', 'create', '--tag', 'ospf', '--description', 'ospf', '--script', '-', ...common], { stdin: ospf6, env: { FIELDJOBS_SECRET_STORE: 'keyfile' } })
    expect(batch.code, batch.stderr).toBe(0)
    expect(batch.stderr).toBe("warning: line 1 col 15: bad command name network (the lab's RouterOS 7.18.2 does not know it; check it is right for this router)\n")
  })
})
