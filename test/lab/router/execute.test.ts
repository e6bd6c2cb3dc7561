import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, labRouter } from './api'

afterEach(() => {
  vi.useRealTimers()
})

describe('/execute (conformance 10)', () => {
  it('v7 as-string returns output with CRLF; errors come back as text', async () => {
    const router = labRouter({ version: '7.18.2' })
    expect((await api(router, '/execute', { script: ':put hello', 'as-string': '' })).done).toEqual({ ret: 'hello\r\n' })
    expect((await api(router, '/execute', { script: ':put a;:put b', 'as-string': '' })).done).toEqual({ ret: 'a\r\nb\r\n' })
    expect((await api(router, '/execute', { script: ':put "oops', 'as-string': '' })).done).toEqual({ ret: 'syntax error (line 1 column 6)' })
    const exported = (await api(router, '/execute', { script: '/export', 'as-string': '' })).done.ret ?? ''
    expect(exported).toMatch(/^# \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} by RouterOS 7\.18\.2\r\n/)
    expect(exported).toContain('/system identity\r\nset name=lab-router-1\r\n')
  })

  it('v6 answers as-string with unknown parameter', async () => {
    const router = labRouter({ version: '6.49.10' })
    await expect(api(router, '/execute', { script: ':put hello', 'as-string': '' })).rejects.toMatchObject({ message: 'unknown parameter' })
  })

  it('without as-string it starts a background job and returns its id', async () => {
    vi.useFakeTimers()
    const router = labRouter()
    const started = await api(router, '/execute', { script: ':delay 5s\n/system identity set name=later' })
    expect(started.done.ret).toMatch(/^\*[0-9A-F]+$/)
    expect((await api(router, '/system/script/job/print')).items).toEqual([expect.objectContaining({ '.id': started.done.ret, type: 'command' })])
    await vi.advanceTimersByTimeAsync(5_000)
    expect(router.identity).toBe('later')
    expect((await api(router, '/system/script/job/print')).items).toEqual([])
  })

  it('refuses scripts over 64 KB', async () => {
    const router = labRouter()
    await expect(api(router, '/execute', { script: `:put "${'x'.repeat(70_000)}"`, 'as-string': '' })).rejects.toMatchObject({
      message: 'failure: script too long',
    })
  })
})

describe('/system/script (conformance 11)', () => {
  it('add returns an id, run applies the script, remove deletes it', async () => {
    const router = labRouter()
    const added = await api(router, '/system/script/add', { name: 'setup', source: '/ip address add address=10.5.0.1/24 interface=ether1\n:put done' })
    expect(added.done.ret).toBe('*1')
    expect(await api(router, '/system/script/run', { number: 'setup' })).toEqual({ items: [], done: {} })
    expect((await api(router, '/ip/address/print', {}, ['address=10.5.0.1/24'])).items).toHaveLength(1)
    expect((await api(router, '/system/script/print')).items[0]).toMatchObject({ name: 'setup', 'run-count': '1', owner: 'admin' })
    await api(router, '/system/script/remove', { numbers: 'setup' })
    expect((await api(router, '/system/script/print')).items).toEqual([])
  })

  it('a bad line fails run with the CLI message, line and column', async () => {
    const router = labRouter()
    await api(router, '/system/script/add', { name: 'broken', source: ':put one\n:put two\n foo' })
    await expect(api(router, '/system/script/run', { number: 'broken' })).rejects.toMatchObject({
      message: 'bad command name foo (line 3 column 2)',
    })
    await api(router, '/system/script/add', { name: 'half', source: '/system identity set name=half\n/ip address add address=1.1.1.1/24 interface=zz' })
    await expect(api(router, '/system/script/run', { '.id': '*2' })).rejects.toMatchObject({
      message: 'input does not match any value of interface (line 2 column 1)',
    })
    expect(router.identity).toBe('half')
  })

  it('a running script is a job; removing the job stops it', async () => {
    vi.useFakeTimers()
    const router = labRouter()
    await api(router, '/system/script/add', { name: 'slow', source: ':delay 1m\n/system identity set name=too-late' })
    const running = api(router, '/system/script/run', { number: 'slow' })
    const jobs = (await api(router, '/system/script/job/print')).items
    expect(jobs).toEqual([expect.objectContaining({ script: 'slow', owner: 'admin', type: 'script' })])
    await api(router, '/system/script/job/remove', { '.id': jobs[0]['.id'] })
    await expect(running).rejects.toMatchObject({ message: 'interrupted', category: 2 })
    await vi.advanceTimersByTimeAsync(120_000)
    expect(router.identity).toBe('lab-router-1')
    expect((await api(router, '/system/script/job/print')).items).toEqual([])
  })

  it('/cancel (the signal) interrupts a running script too', async () => {
    vi.useFakeTimers()
    const router = labRouter()
    await api(router, '/system/script/add', { name: 'slow', source: ':delay 1m' })
    const controller = new AbortController()
    const running = api(router, '/system/script/run', { number: 'slow' }, [], { signal: controller.signal })
    controller.abort()
    await expect(running).rejects.toMatchObject({ message: 'interrupted', category: 2 })
  })
})
