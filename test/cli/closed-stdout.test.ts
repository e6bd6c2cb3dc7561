// `fieldjobs site list | head -1`: the reader closes the pipe before the CLI is done writing. git and
// ls die of SIGPIPE there without a word; Node gets EPIPE instead, which unhandled printed a stack
// trace on stderr. The real bin in a real process, since only a real pipe can be closed under it.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_READER_GONE } from '../../src-main/cli/process-io'
import { cli } from '../support/cli-harness'
import { repoRoot } from '../support/repo-root'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()

/** Runs the bin with its stdout a pipe this side closes at once; resolves with its exit code and stderr. */
function withReaderGone(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/fieldjobs.js'), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // Closed before the CLI has even started: its first write finds no reader.
  child.stdout.destroy()
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

describe('a closed standard output', () => {
  it('ends the command quietly with 141, as git does under pipefail, instead of an EPIPE stack trace', async () => {
    const dataDir = tempDir('fieldjobs-closed-stdout-')
    const env = { FIELDJOBS_SECRET_STORE: 'keyfile', LAB_PASSWORD: 'x' }
    for (const name of ['north', 'south']) {
      const added = await cli(['site', 'add', '--name', name, '--host', '10.0.0.1', '--user', 'admin', '--password-env', 'LAB_PASSWORD', '--no-check', '--data-dir', dataDir], { env })
      expect(added.code, added.stderr).toBe(0)
    }

    const { code, stderr } = await withReaderGone(['site', 'list', '--data-dir', dataDir], env)

    // A checkout whose build is older than its sources says so in one line; nothing else may be said.
    const said = stderr.split('\n').filter((line) => line !== '' && !line.includes('running the TypeScript through tsx'))
    expect(said).toEqual([])
    expect(code).toBe(EXIT_READER_GONE)
  }, 30_000)
})
