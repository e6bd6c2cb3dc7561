// The completion scripts `fieldjobs completion bash|zsh|fish` prints, generated from the table so the
// three shells offer the same words. Site names are not in the script: at completion time it runs
// `fieldjobs completion --sites` (with the --data-dir already typed), so a site added a minute ago
// completes too.
import { type CompletionEntry, completionTable, flagsWithValues, globalFlags, type ValueKind } from './completion-table'

const commands = Object.keys(completionTable)
const subcommandsOf = (command: string) => Object.keys(completionTable[command] ?? {}).filter((sub) => sub !== '')
const entryOf = (command: string, sub: string): CompletionEntry | undefined => completionTable[command]?.[sub]
const flagList = (entry: CompletionEntry | undefined) =>
  [...Object.keys(entry?.flags ?? {}), ...Object.keys(globalFlags)].map((flag) => `--${flag}`).join(' ')

/** The shell words for a value kind: a function call or a word list, per shell. */
interface ShellWords {
  site: string
  sites: string
  file: string
  directory: string
  words(words: readonly string[]): string
}

function valueWords(kind: ValueKind | null | undefined, shell: ShellWords): string | undefined {
  if (!kind) return undefined
  switch (kind.kind) {
    case 'site':
      return shell.site
    case 'sites':
      return shell.sites
    case 'file':
      return shell.file
    case 'directory':
      return shell.directory
    case 'words':
      return shell.words(kind.words)
    case 'any':
      return undefined
  }
}

/** `case` arms over `command/sub` for a value of each flag, and for each positional. */
function bashCases(shell: ShellWords): { flagValues: string; positionals: string; flags: string } {
  const flagValues: string[] = []
  const positionals: string[] = []
  const flags: string[] = []
  for (const command of commands) {
    for (const sub of Object.keys(completionTable[command] ?? {})) {
      const entry = entryOf(command, sub)!
      const key = `${command}/${sub}`
      flags.push(`    ${key}) words="${flagList(entry)}" ;;`)
      for (const [flag, kind] of Object.entries(entry.flags)) {
        const action = valueWords(kind, shell)
        if (action) flagValues.push(`    ${key}:--${flag}) ${action} ;;`)
      }
      ;(entry.positionals ?? []).forEach((kind, index) => {
        const action = valueWords(kind, shell)
        if (action) positionals.push(`    ${key}:${index}) ${action} ;;`)
      })
    }
  }
  return { flagValues: flagValues.join('\n'), positionals: positionals.join('\n'), flags: flags.join('\n') }
}

export function bashScript(): string {
  const cases = bashCases({
    site: '_fieldjobs_sites',
    sites: '_fieldjobs_sites',
    file: 'COMPREPLY=($(compgen -f -- "$cur"))',
    directory: 'COMPREPLY=($(compgen -d -- "$cur"))',
    words: (words) => `COMPREPLY=($(compgen -W "${words.join(' ')}" -- "$cur"))`,
  })
  const withSubcommands = commands.filter((command) => subcommandsOf(command).length > 0)
  return `# bash completion for fieldjobs: eval "$(fieldjobs completion bash)", e.g. in ~/.bashrc
_fieldjobs_sites() {
  local name data_dir_args=()
  [ -n "$data_dir" ] && data_dir_args=(--data-dir "$data_dir")
  COMPREPLY=()
  while IFS= read -r name; do
    [[ "$name" == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$name")")
  done < <("\${COMP_WORDS[0]}" completion --sites "\${data_dir_args[@]}" 2>/dev/null)
}
_fieldjobs() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" data_dir="" command="" sub="" word i words=""
  local -a positionals=()
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  COMPREPLY=()
  for (( i = 1; i < COMP_CWORD; i++ )); do
    word="\${COMP_WORDS[i]}"
    case "$word" in
      --data-dir) data_dir="\${COMP_WORDS[i+1]}"; (( i++ )) ;;
      --data-dir=*) data_dir="\${word#--data-dir=}" ;;
      ${flagsWithValues().map((flag) => `--${flag}`).join('|')}) (( i++ )) ;;
      -*) ;;
      *)
        if [ -z "$command" ]; then command="$word"
        elif [ -z "$sub" ] && [[ " ${withSubcommands.join(' ')} " == *" $command "* ]]; then sub="$word"
        else positionals+=("$word")
        fi ;;
    esac
  done
  if [ -z "$command" ]; then
    if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "--data-dir --json --help --version" -- "$cur"))
    elif [ "$prev" = "--data-dir" ]; then COMPREPLY=($(compgen -d -- "$cur"))
    else COMPREPLY=($(compgen -W "${commands.join(' ')}" -- "$cur"))
    fi
    return 0
  fi
  if [ -z "$sub" ]; then
    case "$command" in
${withSubcommands.map((command) => `      ${command}) COMPREPLY=($(compgen -W "${subcommandsOf(command).join(' ')}" -- "$cur")); return 0 ;;`).join('\n')}
    esac
  fi
  case "$command/$sub:$prev" in
${cases.flagValues}
    */*:--data-dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
  esac
  [ \${#COMPREPLY[@]} -gt 0 ] && return 0
  case " ${flagsWithValues().map((flag) => `--${flag}`).join(' ')} " in *" $prev "*) [[ "$prev" == --* ]] && return 0 ;; esac
  if [[ "$cur" == -* ]]; then
    case "$command/$sub" in
${cases.flags}
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    return 0
  fi
  case "$command/$sub:\${#positionals[@]}" in
${cases.positionals}
  esac
  return 0
}
complete -F _fieldjobs fieldjobs
`
}

export function zshScript(): string {
  const words = (list: readonly string[]) => `compadd -- ${list.join(' ')}`
  const shell: ShellWords = { site: '_fieldjobs_sites', sites: '_fieldjobs_sites', file: '_files', directory: '_files -/', words }
  const cases = bashCases(shell)
  const withSubcommands = commands.filter((command) => subcommandsOf(command).length > 0)
  return `#compdef fieldjobs
# zsh completion for fieldjobs: eval "$(fieldjobs completion zsh)" after compinit, e.g. in ~/.zshrc
_fieldjobs_sites() {
  local -a names
  names=("\${(@f)$("\${words[1]}" completion --sites \${data_dir:+--data-dir "$data_dir"} 2>/dev/null)}")
  compadd -- "\${names[@]}"
}
_fieldjobs() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}" data_dir="" command="" sub="" word i flagwords=""
  local -a positionals
  for (( i = 2; i < CURRENT; i++ )); do
    word="\${words[i]}"
    case "$word" in
      --data-dir) data_dir="\${words[i+1]}"; (( i++ )) ;;
      --data-dir=*) data_dir="\${word#--data-dir=}" ;;
      ${flagsWithValues().map((flag) => `--${flag}`).join('|')}) (( i++ )) ;;
      -*) ;;
      *)
        if [[ -z "$command" ]]; then command="$word"
        elif [[ -z "$sub" && " ${withSubcommands.join(' ')} " == *" $command "* ]]; then sub="$word"
        else positionals+=("$word")
        fi ;;
    esac
  done
  if [[ -z "$command" ]]; then
    if [[ "$cur" == -* ]]; then compadd -- --data-dir --json --help --version
    elif [[ "$prev" == --data-dir ]]; then _files -/
    else compadd -- ${commands.join(' ')}
    fi
    return
  fi
  if [[ -z "$sub" ]]; then
    case "$command" in
${withSubcommands.map((command) => `      ${command}) compadd -- ${subcommandsOf(command).join(' ')}; return ;;`).join('\n')}
    esac
  fi
  case "$command/$sub:$prev" in
${cases.flagValues.replaceAll(' ;;', '; return ;;')}
    */*:--data-dir) _files -/; return ;;
  esac
  case " ${flagsWithValues().map((flag) => `--${flag}`).join(' ')} " in *" $prev "*) [[ "$prev" == --* ]] && return ;; esac
  if [[ "$cur" == -* ]]; then
    case "$command/$sub" in
${cases.flags.replaceAll('words=', 'flagwords=')}
    esac
    compadd -- \${=flagwords}
    return
  fi
  case "$command/$sub:\${#positionals[@]}" in
${cases.positionals}
  esac
}
compdef _fieldjobs fieldjobs
`
}

export function fishScript(): string {
  const lines = [
    '# fish completion for fieldjobs: fieldjobs completion fish > ~/.config/fish/completions/fieldjobs.fish',
    'function __fieldjobs_sites',
    '    set -l tokens (commandline -opc)',
    '    set -l args',
    '    set -l index (contains -i -- --data-dir $tokens)',
    '    and set args --data-dir $tokens[(math $index + 1)]',
    '    $tokens[1] completion --sites $args 2>/dev/null',
    'end',
    'complete -c fieldjobs -f',
    `complete -c fieldjobs -n __fish_use_subcommand -a '${commands.join(' ')}'`,
    'complete -c fieldjobs -l data-dir -r -F -d "the data folder"',
    'complete -c fieldjobs -l json -d "print JSON"',
    'complete -c fieldjobs -l help -d "help"',
    'complete -c fieldjobs -n __fish_use_subcommand -l version -d "print the version"',
  ]
  const fishValue = (kind: ValueKind | null): string => {
    const words = valueWords(kind, { site: "-a '(__fieldjobs_sites)'", sites: "-a '(__fieldjobs_sites)'", file: '-F', directory: '-F', words: (list) => `-a '${list.join(' ')}'` })
    return kind ? ` -r${words ? ` ${words}` : ''}` : ''
  }
  for (const command of commands) {
    const subs = subcommandsOf(command)
    if (subs.length > 0) {
      lines.push(`complete -c fieldjobs -n '__fish_seen_subcommand_from ${command}; and not __fish_seen_subcommand_from ${subs.join(' ')}' -a '${subs.join(' ')}'`)
    }
    for (const sub of Object.keys(completionTable[command] ?? {})) {
      const entry = entryOf(command, sub)!
      const condition = sub === '' ? `__fish_seen_subcommand_from ${command}` : `__fish_seen_subcommand_from ${command}; and __fish_seen_subcommand_from ${sub}`
      for (const [flag, kind] of Object.entries(entry.flags)) lines.push(`complete -c fieldjobs -n '${condition}' -l ${flag}${fishValue(kind)}`)
      const first = entry.positionals?.[0]
      const words = first && valueWords(first, { site: "'(__fieldjobs_sites)'", sites: "'(__fieldjobs_sites)'", file: '', directory: '', words: (list) => `'${list.join(' ')}'` })
      if (words) lines.push(`complete -c fieldjobs -n '${condition}' -a ${words}`)
      else if (first?.kind === 'file') lines.push(`complete -c fieldjobs -n '${condition}' -F`)
    }
  }
  return `${lines.join('\n')}\n`
}
