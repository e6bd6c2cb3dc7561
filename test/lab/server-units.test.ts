import { describe, expect, it } from 'vitest'
import { matchesCommand, pickLatency } from '../../src-main/lab/faults'
import { challengeResponse, effectiveLoginStyle } from '../../src-main/lab/login'
import { answersEmptyPrint, compareRouterOsVersions } from '../../src-main/lab/routeros-version'

describe('RouterOS versions', () => {
  it.each([
    ['7.18', '7.17', 1],
    ['7.18', '7.18.0', 0],
    ['7.18.2', '7.18', 1],
    ['7.9', '7.18', -1],
    ['6.49.10', '7.1', -1],
    ['7.18beta4', '7.18', -1],
    ['7.18rc1', '7.18beta4', 1],
    ['7.11.2 (stable)', '7.11.2', 0],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareRouterOsVersions(a, b))).toBe(sign)
  })

  it('answers an empty print with !empty from 7.18 on', () => {
    expect(answersEmptyPrint('7.18')).toBe(true)
    expect(answersEmptyPrint('7.19.1')).toBe(true)
    expect(answersEmptyPrint('7.17.2')).toBe(false)
    expect(answersEmptyPrint('6.49.10')).toBe(false)
  })

  it('rejects text that is no version', () => {
    expect(() => compareRouterOsVersions('stable', '7.18')).toThrow(RangeError)
  })
})

describe('login', () => {
  it('computes the manual vector', () => {
    expect(challengeResponse('', Buffer.from('93b438ec9b80057c06dd9fe67d56aa9a', 'hex'))).toBe('00e134102a9d330dd7b1849fedfea3cb57')
  })

  it('picks the login style from the version when auto', () => {
    expect(effectiveLoginStyle('auto', '6.42.12')).toBe('challenge')
    expect(effectiveLoginStyle('auto', '6.43')).toBe('both')
    expect(effectiveLoginStyle('auto', '6.45')).toBe('both')
    expect(effectiveLoginStyle('auto', '6.45.1')).toBe('plain')
    expect(effectiveLoginStyle('auto', '7.18')).toBe('plain')
    expect(effectiveLoginStyle('challenge', '7.18')).toBe('challenge')
  })
})

describe('fault knobs', () => {
  it('matches commands exactly or by RegExp', () => {
    expect(matchesCommand('/system/identity/print', '/system/identity/print')).toBe(true)
    expect(matchesCommand('/system/identity', '/system/identity/print')).toBe(false)
    expect(matchesCommand(/identity/, '/system/identity/print')).toBe(true)
    const global = /print$/g
    expect(matchesCommand(global, '/a/print')).toBe(true)
    expect(matchesCommand(global, '/a/print')).toBe(true)
    expect(matchesCommand(undefined, '/a/print')).toBe(false)
  })

  it('picks a latency inside the range, bounds included', () => {
    expect(pickLatency(25)).toBe(25)
    expect(pickLatency([5, 50], () => 0)).toBe(5)
    expect(pickLatency([5, 50], () => 0.999999)).toBe(50)
    expect(pickLatency([50, 5], () => 0)).toBe(5)
    expect(pickLatency(-3)).toBe(0)
  })
})
