import { describe, expect, it } from 'vitest'
import { parseLabArgs, parseLatency } from '../../src-main/cli/commands/lab'
import { CliUsageError } from '../../src-main/cli/io'

describe('fieldjobs lab flags', () => {
  it('has defaults', () => {
    expect(parseLabArgs([])).toEqual({ routers: 1, basePort: undefined, latencyMs: undefined, version: undefined, tls: false, json: false })
  })

  it('reads every flag', () => {
    expect(parseLabArgs(['--routers', '3', '--base-port', '18728', '--latency-ms', '5-50', '--version', '7.17', '--tls', '--json'])).toEqual({
      routers: 3,
      basePort: 18728,
      latencyMs: [5, 50],
      version: '7.17',
      tls: true,
      json: true,
    })
    expect(parseLabArgs(['--help'])).toBe('help')
  })

  it('takes a fixed latency or a range', () => {
    expect(parseLatency('20')).toBe(20)
    expect(parseLatency('5-50')).toEqual([5, 50])
    expect(parseLatency('0-0')).toEqual([0, 0])
  })

  it.each([
    [['--routers', 'many'], /--routers must be a whole number/],
    [['--routers', '0'], /between 1 and/],
    [['--base-port', '65535', '--routers', '2'], /ports end at 65535/],
    [['--latency-ms', '50-5'], /minimum is above the maximum/],
    [['--latency-ms', 'fast'], /like 20 or a range like 5-50/],
    [['--latency-ms', '-5'], /latency-ms/],
    [['--version', 'latest'], /--version must look like/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /Unexpected argument 'extra'/],
    [['--tls=yes'], /--tls/],
  ])('rejects %j', (args, message) => {
    let thrown: unknown
    try {
      parseLabArgs(args)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(CliUsageError)
    expect((thrown as Error).message).toMatch(message)
  })
})
