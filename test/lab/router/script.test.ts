import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, labRouter } from './api'

afterEach(() => {
  vi.useRealTimers()
})

describe('script interpreter', () => {
  it('reads {1;2;3} as an array, as RouterOS does, and a braced block of code as code', async () => {
    const router = labRouter()
    const run = await router.runScript(
      [
        ':local ports {1;2;"three"}',
        ':put [:len $ports]',
        ':foreach p in=$ports do={ :put "port $p" }',
        ':foreach n in={10;20} do={ :put ($n + 1) }',
        ':put [:pick {"a";"b";"c"} 1]',
        ':local x 5',
        ':foreach v in={$x;7} do={ :put $v }',
        ':if (true) do={ :put code }',
      ].join('\n'),
    )
    expect(run.error).toBeUndefined()
    expect(run.output).toBe(['3', 'port 1', 'port 2', 'port three', '11', '21', 'b', '5', '7', 'code', ''].join('\n'))
  })

  it('runs context lines, slash form and full paths', async () => {
    const router = labRouter()
    const run = await router.runScript(
      [
        '/ip address',
        'add address=10.0.0.1/24 interface=ether1 comment="first one"',
        '/ip/address/add address=10.0.1.1/24 interface=ether2',
        '/interface vlan add name=vlan20 vlan-id=20 interface=bridge1',
        '/interface set [find default-name=ether5] comment=spare',
      ].join('\n'),
    )
    expect(run.error).toBeUndefined()
    const addresses = (await api(router, '/ip/address/print')).items.map((item) => [item.address, item.comment])
    expect(addresses).toEqual([
      ['192.168.88.1/24', 'defconf'],
      ['10.0.0.1/24', 'first one'],
      ['10.0.1.1/24', undefined],
    ])
    expect((await api(router, '/interface/print', {}, ['name=ether5'])).items[0].comment).toBe('spare')
    expect((await api(router, '/interface/vlan/print')).items[0]).toMatchObject({ name: 'vlan20', 'vlan-id': '20' })
  })

  it('quotes, escapes, variables, substitution, :len and continuation', async () => {
    const router = labRouter()
    const run = await router.runScript(
      [
        '# a comment line',
        ':local who "world"',
        ':global site "north"',
        ':put "hello $who"',
        ':put "quote \\" backslash \\\\ dollar \\$who"',
        ':put [/system identity get name]',
        ':put [:len "abcd"]',
        ':put ("a" . $who . 1)',
        ':put \\',
        '    continued',
        '{ :local inner 5; :put $inner }',
        ':put $site',
        ':if (3 > 2) do={ :put yes } else={ :put no }',
        ':foreach i in=[/interface find type=ether] do={ :put $i }',
      ].join('\n'),
    )
    expect(run.error).toBeUndefined()
    expect(run.output).toBe(
      ['hello world', 'quote " backslash \\ dollar $who', 'lab-router-1', '4', 'aworld1', 'continued', '5', 'north', 'yes', '*1', '*2', '*3', '*4', '*5', ''].join('\n'),
    )
    expect(router.globals.get('site')).toBe('north')
  })

  it(':log writes /log with script topics', async () => {
    const router = labRouter()
    await router.runScript(':log info "job started"\n:log warning "careful"')
    const log = (await api(router, '/log/print')).items.map((item) => [item.topics, item.message])
    expect(log).toEqual([
      ['script,info', 'job started'],
      ['script,warning', 'careful'],
    ])
  })

  it(':error fails the script; :do on-error catches it', async () => {
    const router = labRouter()
    const failed = await router.runScript(':put one\n:error "boom"\n:put two')
    expect(failed.output).toBe('one\n')
    expect(failed.error).toMatchObject({ message: 'boom', line: 2 })
    const caught = await router.runScript(':do { :error "inner" } on-error={ :put "caught" }\n:put after')
    expect(caught).toEqual({ output: 'caught\nafter\n' })
  })

  it('a runtime error stops at its line; earlier lines stay applied', async () => {
    const router = labRouter()
    const run = await router.runScript(
      '/ip address add address=10.9.0.1/24 interface=ether1\n/ip address add address=10.9.1.1/24 interface=nope\n/system identity set name=never',
    )
    expect(run.error).toEqual({ message: 'input does not match any value of interface', line: 2, column: 1, syntax: false })
    expect((await api(router, '/ip/address/print', {}, ['address=10.9.0.1/24'])).items).toHaveLength(1)
    expect(router.identity).toBe('lab-router-1')
  })

  it('bad command names, unknown arguments and syntax errors name line and column; nothing runs', async () => {
    const router = labRouter()
    const bad = await router.runScript('/system identity set name=first\n:put ok\n foo bar')
    expect(bad.error).toEqual({ message: 'bad command name foo', line: 3, column: 2, syntax: true })
    expect(router.identity).toBe('lab-router-1')
    expect((await router.runScript(':put a\n/ip address add colour=red')).error).toMatchObject({ message: 'expected end of command', line: 2, column: 17 })
    expect((await router.runScript(':put "open')).error).toMatchObject({ message: 'syntax error', line: 1, column: 6 })
    expect((await router.runScript(':frob 1')).error).toMatchObject({ message: 'bad command name frob', line: 1, column: 2 })
    expect((await router.runScript('/ip adress print')).error).toMatchObject({ message: 'bad command name adress', line: 1, column: 5 })
    expect((await router.runScript('{ :put a')).error).toMatchObject({ message: 'syntax error' })
  })

  it('hex escapes keep raw bytes', async () => {
    const router = labRouter()
    await router.runScript('/system identity set name="\\D0\\9F\\D1\\80"')
    expect(router.identity).toBe('\xD0\x9F\xD1\x80')
  })

  it(':delay waits on the timers and stops when the signal aborts', async () => {
    vi.useFakeTimers()
    const router = labRouter()
    const controller = new AbortController()
    const running = router.runScript(':put start\n:delay 2s\n:put middle\n:delay 500ms\n:delay 10m\n:put never', { signal: controller.signal })
    await vi.advanceTimersByTimeAsync(2_000)
    await vi.advanceTimersByTimeAsync(500)
    controller.abort()
    const run = await running
    expect(run.output).toBe('start\nmiddle\n')
    expect(run.error).toMatchObject({ message: 'interrupted', line: 5 })
  })
})

describe('field-engineer staples', () => {
  it('find where, nat, routes and dns', async () => {
    const router = labRouter()
    const run = await router.runScript(
      [
        '/ip route add dst-address=10.20.0.0/16 gateway=192.168.88.254 comment=branch',
        '/ip dns set servers=1.1.1.1,8.8.8.8',
        '/ip firewall nat add chain=dstnat action=dst-nat protocol=tcp dst-port=8080 to-addresses=192.168.88.10 to-ports=80',
        '/interface set [find where type=ether and name=ether4] comment=camera',
        ':put [:len [/ip firewall nat find]]',
      ].join('\n'),
    )
    expect(run).toEqual({ output: '2\n' })
    expect((await api(router, '/interface/print', {}, ['name=ether4'])).items[0].comment).toBe('camera')
    expect((await api(router, '/ip/dns/print')).items[0]).toMatchObject({ servers: '1.1.1.1,8.8.8.8', 'allow-remote-requests': 'true' })
    const exported = router.exportText()
    expect(exported).toContain('/ip dns\nset allow-remote-requests=yes servers=1.1.1.1,8.8.8.8\n')
    expect(exported).toContain('/ip route\nadd comment=branch dst-address=10.20.0.0/16 gateway=192.168.88.254\n')
  })
})

describe('unexpected failures stay inside the script', () => {
  it('a bad regular expression fails the script at its line', async () => {
    const router = labRouter()
    const run = await router.runScript(':put ok\n:put ("a" ~ "(")')
    expect(run.output).toBe('ok\n')
    expect(run.error).toMatchObject({ line: 2, syntax: false })
  })
})
