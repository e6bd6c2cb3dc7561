// `fieldjobs completion bash|zsh|fish` prints a completion script; the hidden
// `fieldjobs completion --sites` prints the site names, one a line, for those scripts to offer.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DATABASE_FILE, resolveDataDir } from '../../core/app/data-dir'
import { bashScript, fishScript, zshScript } from '../completion/completion-scripts'
import { CliUsageError, type CliCommand } from '../io'
import { parseCommand } from '../options'

const usage = 'fieldjobs completion bash|zsh|fish'

const help =
  `usage: ${usage}\n\n` +
  'Prints a completion script: commands, subcommands, flags and their values, and site names (read\n' +
  'from the data folder each time you press Tab, honouring a --data-dir already typed).\n\n' +
  '  bash   eval "$(fieldjobs completion bash)"                 (in ~/.bashrc)\n' +
  '  zsh    eval "$(fieldjobs completion zsh)"                  (in ~/.zshrc, after compinit)\n' +
  '  fish   fieldjobs completion fish > ~/.config/fish/completions/fieldjobs.fish\n'

const scripts: Record<string, () => string> = { bash: bashScript, zsh: zshScript, fish: fishScript }

export const completionCommand: CliCommand = async (args, io) => {
  const { values, positionals } = parseCommand(args, { sites: { type: 'boolean', default: false } }, usage, true, help)
  if (values.sites) {
    // At completion time: never create a data folder, never print an error into the user's prompt.
    const dataDir = resolveDataDir(values['data-dir'], io.env)
    if (!existsSync(join(dataDir, DATABASE_FILE))) return 0
    const { withStores } = await import('../open-core')
    const names = await withStores(values['data-dir'], io, (stores) => stores.siteStore.list().map((site) => site.name))
    io.out(names.map((name) => `${name}\n`).join(''))
    return 0
  }
  const shell = positionals[0]
  if (positionals.length !== 1 || shell === undefined || !Object.hasOwn(scripts, shell)) {
    throw new CliUsageError(`${shell === undefined ? 'name a shell' : `no completion for "${positionals.join(' ')}"`}: bash, zsh or fish\nusage: ${usage}`)
  }
  io.out((scripts[shell] as () => string)())
  return 0
}
