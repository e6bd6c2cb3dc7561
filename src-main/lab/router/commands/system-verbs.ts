// Commands that are not plain menu operations: export/import, /execute, script run, configuration
// reset, backup. They need the whole router, so they talk to it through SystemHost.
import { RouterTrap, TrapCategory } from '../contract'
import { type ExportOptions, exportPaths } from '../export'
import { type Menu, noSuchItem } from '../menus/menu'
import type { Item } from '../menus/table'
import { describeFailure, type ScriptRun } from '../script'
import { interrupted } from '../time'
import type { VersionTraits } from '../version'
import { selected } from './menu-verbs'
import type { CommandTree, VerbContext } from './tree'

/** RouterOS refuses larger scripts in /execute (the note's "limited to 64 KB"). */
export const EXECUTE_LIMIT = 65_535

export interface StartedScript {
  readonly jobId: string
  readonly done: Promise<ScriptRun>
}

export interface SystemHost {
  readonly traits: VersionTraits
  menu(path: string): Menu
  hasMenu(path: string): boolean
  /** Counts a run of a `/system/script` item (`run-count`, `last-started`). */
  markScriptStarted(script: Item): void
  exportText(options?: Partial<ExportOptions>): string
  writeFile(name: string, contents: string): void
  readFile(name: string): string | undefined
  /** Runs a script as a `/system/script/job`. */
  startScript(source: string, info: { owner: string; script?: string; type: string }, signal?: AbortSignal): StartedScript
  /** Runs a script inside the caller's job (import). */
  runInline(source: string, ctx: VerbContext): Promise<ScriptRun>
  resetConfiguration(options: { noDefaults: boolean; runAfterReset?: string }): void
  reboot(): void
  /** Writes a line to /log. */
  log(topics: string, message: string): void
}

const lines = (text: string) => text.split('\n').filter((line, index, all) => index < all.length - 1 || line !== '')

export function registerSystemVerbs(tree: CommandTree, host: SystemHost): void {
  const { traits } = host
  const exportArgs = ['file', 'terse', 'verbose', 'compact', traits.showSensitive ? 'show-sensitive' : 'hide-sensitive']

  for (const under of ['', ...exportPaths((path) => host.hasMenu(path))]) {
    tree.verb(under || '/', 'export', {
      args: new Set(exportArgs),
      flags: new Set(exportArgs.filter((name) => name !== 'file')),
      run: ({ args }, ctx) => {
        const text = host.exportText({ under: under || undefined, showSensitive: args.has('show-sensitive') })
        const file = args.get('file')
        if (file !== undefined) {
          host.writeFile(file.endsWith('.rsc') ? file : `${file}.rsc`, text)
          return {}
        }
        // Over the API an export returns no text at all (only `!done`); scripts print it.
        if (ctx.origin === 'script') for (const line of lines(text)) ctx.output(line)
        return {}
      },
    })
  }

  // `/log info "text"` (and warning, error, debug): what scripts use to leave a trace, as `:log` does.
  for (const level of ['info', 'warning', 'error', 'debug']) {
    tree.verb('/log', level, {
      args: new Set(['message']),
      positional: ['message'],
      run: ({ args }) => {
        host.log(`script,${level}`, args.get('message') ?? '')
        return {}
      },
    })
  }

  tree.verb('/', 'import', {
    args: new Set(['file-name', 'verbose', 'dry-run']),
    positional: ['file-name'],
    flags: new Set(['verbose', 'dry-run']),
    mutates: true,
    run: async ({ args }, ctx) => {
      const name = args.get('file-name') ?? ''
      const source = host.readFile(name) ?? host.readFile(`${name}.rsc`)
      if (source === undefined) throw new RouterTrap('no such file', TrapCategory.argumentValueFailure)
      const run = await host.runInline(source, ctx)
      if (run.error) {
        if (run.error.message === 'interrupted') throw interrupted()
        throw new RouterTrap(describeFailure(run.error))
      }
      if (ctx.origin === 'script') ctx.output('Script file loaded and executed successfully')
      return {}
    },
  })

  tree.verb('/', 'execute', {
    // v6 has /execute but not `as-string`: asking for it is `unknown parameter`.
    args: new Set(['script', 'file', ...(traits.executeAsString ? ['as-string'] : [])]),
    positional: ['script'],
    flags: new Set(traits.executeAsString ? ['as-string'] : []),
    mutates: true,
    run: async ({ args }, ctx) => {
      const source = args.get('script') ?? ''
      // UNCONFIRMED: the exact trap for an over-long script.
      if (source.length > EXECUTE_LIMIT)
        throw new RouterTrap('failure: script too long', TrapCategory.argumentValueFailure)
      const started = host.startScript(source, { owner: ctx.user, type: 'command' }, args.has('as-string') ? ctx.signal : undefined)
      if (!args.has('as-string')) return { ret: started.jobId }
      const run = await started.done
      if (run.error?.message === 'interrupted' && ctx.signal.aborted)
        throw interrupted()
      // v7 returns the output with CRLF line ends; a failure is output text, not a trap.
      // UNCONFIRMED: whether the failure line itself ends in CRLF (we leave it bare).
      const output = run.output.replace(/\n/g, '\r\n')
      return { ret: run.error ? output + describeFailure(run.error) : output }
    },
  })

  tree.verb('/system/script', 'run', {
    args: new Set(['number', 'numbers']),
    positional: ['number'],
    mutates: true,
    run: async ({ args }, ctx) => {
      const scripts = host.menu('/system/script')
      const [item] = selected(scripts, args)
      if (!item) throw noSuchItem()
      host.markScriptStarted(item)
      const started = host.startScript(item.values.source ?? '', { owner: ctx.user, script: item.values.name, type: 'script' }, ctx.signal)
      const run = await started.done
      if (run.error?.message === 'interrupted') throw interrupted()
      // UNCONFIRMED: a failing script run answers `!trap` with the CLI's located message.
      if (run.error) throw new RouterTrap(describeFailure(run.error))
      return {}
    },
  })

  tree.verb('/system', 'reset-configuration', {
    args: new Set(['no-defaults', 'skip-backup', 'keep-users', 'run-after-reset']),
    flags: new Set(['no-defaults', 'skip-backup', 'keep-users']),
    mutates: true,
    run: ({ args }) => {
      const yes = (name: string) => ['yes', 'true'].includes(args.get(name) ?? 'no')
      host.resetConfiguration({ noDefaults: yes('no-defaults'), runAfterReset: args.get('run-after-reset') })
      return {}
    },
  })

  tree.verb('/system', 'reboot', { args: new Set(), mutates: true, run: () => (host.reboot(), {}) })

  tree.verb('/system/backup', 'save', {
    args: new Set(['name', 'password', 'dont-encrypt', 'encryption']),
    mutates: true,
    run: ({ args }) => {
      const name = args.get('name') ?? 'backup'
      // Binary and opaque on a real router; the lab keeps the export inside a marker header.
      host.writeFile(name.endsWith('.backup') ? name : `${name}.backup`, `\x88\xAC\xA1\xB1${host.exportText({ header: false, showSensitive: true })}`)
      return {}
    },
  })
}
