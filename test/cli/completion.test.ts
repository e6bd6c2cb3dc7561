// `fieldjobs completion bash|zsh|fish`. The bash script runs in a real bash, the way bash calls it on
// Tab (COMP_WORDS and COMP_CWORD set, the function called, COMPREPLY read), with `fieldjobs` on PATH
// being this checkout's bin, so site names come from a real data folder at completion time.
import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { completionTable, globalFlags } from '../../src-main/cli/completion/completion-table'
import { cli } from '../support/cli-harness'
import { repoRoot } from '../support/repo-root'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
const run = promisify(execFile)
const env = { FIELDJOBS_SECRET_STORE: 'keyfile', LAB_PASSWORD: 'x' }

const installed = (shell: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

let bashScript: string
beforeAll(async () => {
  bashScript = (await cli(['completion', 'bash'])).stdout
})

/** A folder with `fieldjobs` on it: the checkout's bin, as `npm link` or the package's launcher puts it. */
function pathWithFieldjobs(): string {
  const folder = join(tempDir('fieldjobs-completion-bin-'), 'bin')
  mkdirSync(folder)
  writeFileSync(join(folder, 'fieldjobs'), `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'bin/fieldjobs.js')}" "$@"\n`)
  chmodSync(join(folder, 'fieldjobs'), 0o755)
  return folder
}

/** What bash offers for the command line `words` with the cursor on the last word. */
async function complete(words: string[], extraEnv: Record<string, string> = {}): Promise<string[]> {
  const folder = tempDir('fieldjobs-completion-')
  const scriptFile = join(folder, 'fieldjobs.bash')
  writeFileSync(scriptFile, bashScript)
  const quoted = words.map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ')
  const program = `source '${scriptFile}'\nCOMP_WORDS=(${quoted})\nCOMP_CWORD=${words.length - 1}\n_fieldjobs\nprintf '%s\\n' "\${COMPREPLY[@]}"`
  const { stdout } = await run('bash', ['--norc', '--noprofile', '-c', program], {
    env: { ...process.env, ...env, PATH: `${pathWithFieldjobs()}:${process.env.PATH}`, ...extraEnv },
  })
  return stdout.split('\n').filter((line) => line !== '').sort()
}

async function addSite(dataDir: string, name: string) {
  const added = await cli(['site', 'add', '--name', name, '--host', '10.0.0.1', '--user', 'admin', '--password-env', 'LAB_PASSWORD', '--no-check', '--data-dir', dataDir], { env })
  expect(added.code, added.stderr).toBe(0)
}

describe('fieldjobs completion bash', () => {
  it('completes commands, subcommands, flags and their values', async () => {
    expect(await complete(['fieldjobs', 's'])).toEqual(['serve', 'settings', 'site', 'sync'])
    expect(await complete(['fieldjobs', '--json', 'site', 're'])).toEqual(['remove'])
    const createFlags = await complete(['fieldjobs', 'job', 'create', '--'])
    expect(createFlags).toEqual(expect.arrayContaining(['--site', '--description', '--script', '--route', '--backup', '--revert-after', '--data-dir', '--json']))
    expect(createFlags).not.toContain('--purge')
    expect(await complete(['fieldjobs', 'job', 'list', '--status', 'can'])).toEqual(['canceled', 'canceling'])
    expect(await complete(['fieldjobs', 'job', 'create', '--route', ''])).toEqual(['auto', 'cloud', 'lan'])
    expect(await complete(['fieldjobs', 'completion', ''])).toEqual(['bash', 'fish', 'zsh'])
    // A flag's value that is free text offers nothing rather than the flags.
    expect(await complete(['fieldjobs', 'job', 'create', '--description', ''])).toEqual([])
  })

  it('completes site names from the data folder at completion time, honouring a typed --data-dir', async () => {
    const dataDir = tempDir('fieldjobs-completion-data-')
    await addSite(dataDir, 'branch-east')
    await addSite(dataDir, 'branch west')
    await addSite(dataDir, 'core')
    expect(await complete(['fieldjobs', '--data-dir', dataDir, 'job', 'create', '--site', 'br'])).toEqual(['branch-east', 'branch\\ west'])
    expect(await complete(['fieldjobs', 'site', 'remove', ''], { FIELDJOBS_DATA_DIR: dataDir })).toEqual(['branch-east', 'branch\\ west', 'core'])
    // Added a moment ago: completes without a new script.
    await addSite(dataDir, 'depot')
    expect(await complete(['fieldjobs', 'site', 'check', '--data-dir', dataDir, 'd'])).toEqual(['depot'])
    // Only the first positional of `site remove` is a site.
    expect(await complete(['fieldjobs', 'site', 'remove', 'core', ''], { FIELDJOBS_DATA_DIR: dataDir })).toEqual([])
  })

  it('--sites on a folder without a database prints nothing and creates nothing', async () => {
    const dataDir = join(tempDir('fieldjobs-completion-none-'), 'missing')
    const result = await cli(['completion', '--sites', '--data-dir', dataDir])
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' })
    expect(await complete(['fieldjobs', '--data-dir', dataDir, 'site', 'remove', ''])).toEqual([])
  })

  it('refuses an unknown shell, and the usage lists the command', async () => {
    const wrong = await cli(['completion', 'powershell'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('no completion for "powershell": bash, zsh or fish')
    expect((await cli(['--help'])).stdout).toMatch(/^ {2}completion bash\|zsh\|fish\s+print a shell completion script/m)
  })
})

describe('the zsh and fish scripts', () => {
  it.each(['zsh', 'fish'])('%s: printed, naming every command (and parsed by the shell when it is installed)', async (shell) => {
    const result = await cli(['completion', shell])
    expect(result.code).toBe(0)
    for (const command of Object.keys(completionTable)) expect(result.stdout).toContain(command)
    expect(result.stdout).toContain('completion --sites')
    if (installed(shell)) {
      const file = join(tempDir('fieldjobs-completion-'), `fieldjobs.${shell}`)
      writeFileSync(file, result.stdout)
      await run(shell, ['-n', file])
    }
  })
})

describe('the completion table', () => {
  const flagsIn = (text: string) => new Set([...text.matchAll(/--([a-z][a-z0-9-]*)/g)].map((match) => match[1] as string))

  it('offers exactly the flags each command’s --help documents', async () => {
    for (const [command, subcommands] of Object.entries(completionTable)) {
      const documented = new Set<string>()
      const offered = new Set<string>(Object.keys(globalFlags))
      for (const [sub, entry] of Object.entries(subcommands)) {
        const help = await cli([command, ...(sub ? [sub] : []), '--help'])
        expect(help.code, `${command} ${sub} --help`).toBe(0)
        const flags = flagsIn(help.stdout)
        for (const flag of Object.keys(entry.flags)) expect(flags, `${command} ${sub} --${flag}`).toContain(flag)
        for (const flag of flags) documented.add(flag)
        for (const flag of Object.keys(entry.flags)) offered.add(flag)
      }
      // A flag --help documents that no subcommand of the command completes has been forgotten here.
      expect([...documented].filter((flag) => !offered.has(flag)), command).toEqual([])
    }
  })
})
