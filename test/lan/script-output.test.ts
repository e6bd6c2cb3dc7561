// exec --output's reading of what the router answered, for the answers the lab does not give:
// RouterOS 7 says a script's failure as output text (the lab does, test/lan/cli-flow.test.ts), but
// should a router say one as a `!trap`, a located one is still the script's failure, and an
// unlocated one (a refused command) is not read as lines that ran.
import { describe, expect, it } from 'vitest'
import { runForOutput } from '../../src-main/core/lan/script-output'
import type { RouterClient } from '../../src-main/core/routeros/router-client'
import { RouterTrapError } from '../../src-main/core/routeros/router-errors'

const trapping = (message: string) =>
  ({
    command: async () => {
      throw new RouterTrapError(message, null, '/execute')
    },
  }) as unknown as RouterClient

describe('runForOutput', () => {
  it('a trap with a line is the script failing there', async () => {
    const result = await runForOutput(trapping('no such item (line 2 column 1)'), { script: ':put a\n/ip route remove *ff\n', timeoutMs: 1_000 })
    expect(result).toMatchObject({ kind: 'failed', output: '', error: { category: 'script', line: 2, column: 1 } })
  })

  it('a trap without one is the router refusing the command: nothing is said to have run', async () => {
    const result = await runForOutput(trapping('failure: script too long'), { script: ':put a\n', timeoutMs: 1_000 })
    expect(result).toMatchObject({ kind: 'failed', error: { category: 'router', message: 'the router did not run the script: failure: script too long' } })
  })

  it('RouterOS 6, which knows no as-string, is told apart', async () => {
    const result = await runForOutput(trapping('unknown parameter'), { script: ':put a\n', timeoutMs: 1_000 })
    expect(result).toMatchObject({ kind: 'failed', error: { message: expect.stringMatching(/^--output needs RouterOS 7/) } })
  })
})
