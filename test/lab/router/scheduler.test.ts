import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, labRouter } from './api'

afterEach(() => {
  vi.useRealTimers()
})

const START = Date.UTC(2026, 10, 22, 16, 0, 0)

describe('/system/scheduler', () => {
  it('a one-shot fires at its time, runs on-event, stays listed and does not fire again', async () => {
    vi.useFakeTimers({ now: START })
    const router = labRouter()
    await api(router, '/system/scheduler/add', {
      name: 'revert',
      'start-date': '2026-11-22',
      'start-time': '16:05:00',
      interval: '0',
      'on-event': '/system identity set name=reverted\n:log info "reverted"',
    })
    const before = (await api(router, '/system/scheduler/print')).items[0]
    expect(before).toMatchObject({ 'start-date': '2026-11-22', 'start-time': '16:05:00', interval: '0s', 'next-run': '2026-11-22 16:05:00', 'run-count': '0' })
    await vi.advanceTimersByTimeAsync(4 * 60_000)
    expect(router.identity).toBe('lab-router-1')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(router.identity).toBe('reverted')
    const after = (await api(router, '/system/scheduler/print')).items[0]
    expect(after['run-count']).toBe('1')
    expect(after['next-run']).toBeUndefined()
    await api(router, '/system/identity/set', { name: 'changed' })
    await vi.advanceTimersByTimeAsync(24 * 3_600_000)
    expect(router.identity).toBe('changed')
  })

  it('removing the scheduler before its time prevents the firing (commit-confirmed)', async () => {
    vi.useFakeTimers({ now: START })
    const router = labRouter()
    await api(router, '/system/scheduler/add', { name: 'revert', 'start-time': '16:01:00', 'on-event': '/system identity set name=reverted' })
    await api(router, '/system/scheduler/remove', { numbers: 'revert' })
    await vi.advanceTimersByTimeAsync(120_000)
    expect(router.identity).toBe('lab-router-1')
  })

  it('an interval entry fires repeatedly; on-event may name a script', async () => {
    vi.useFakeTimers({ now: START })
    const router = labRouter()
    await api(router, '/system/script/add', { name: 'tick', source: ':log info tick' })
    await api(router, '/system/scheduler/add', { name: 'ticker', 'start-time': '16:00:30', interval: '1m', 'on-event': 'tick' })
    await vi.advanceTimersByTimeAsync(3 * 60_000)
    expect((await api(router, '/log/print', {}, ['message=tick'])).items).toHaveLength(3)
    expect((await api(router, '/system/script/print')).items[0]['run-count']).toBe('3')
  })

  it('v6 prints old-style dates and accepts them', async () => {
    vi.useFakeTimers({ now: START })
    const router = labRouter({ version: '6.49.10' })
    await api(router, '/system/scheduler/add', { name: 's', 'start-date': 'nov/22/2026', 'start-time': '17:00:00' })
    expect((await api(router, '/system/scheduler/print')).items[0]).toMatchObject({ 'start-date': 'nov/22/2026', 'next-run': 'nov/22/2026 17:00:00' })
  })
})
