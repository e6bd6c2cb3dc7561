// A lint for RouterOS scripts before they are queued, from the lab's own parser: RouterOS compiles a
// whole script before running any of it, so what fails to parse here (an open `{`, a bad quote)
// would run nothing on the router. Those are errors. A command or argument the lab does not know is
// only a warning: the lab models the common menus, not every package a router may have, so a
// real router may accept what the lab does not (see the README's list).
import { CommandTree } from '../lab/router/commands/tree'
import { createSimulatedRouter } from '../lab/router/index'
import { ScriptError } from '../lab/router/script/errors'
import { parseScript } from '../lab/router/script/parser'
import { resolveScript } from '../lab/router/script/resolve'
import { DEFAULT_LAB_VERSION } from '../lab/routeros-version'
import { maskPlaceholders } from '../core/templates/script-template'

export interface LintFinding {
  severity: 'error' | 'warning'
  line: number
  column: number
  message: string
}

const commandTrees = new Map<string, CommandTree>()

/** The command tree of a lab router running `version`, built once per version (a few milliseconds). */
function commandTree(version = DEFAULT_LAB_VERSION): CommandTree {
  let commands = commandTrees.get(version)
  if (!commands) {
    commands = createSimulatedRouter({ identity: 'lint', version }).commands
    commandTrees.set(version, commands)
  }
  return commands
}

/**
 * The version to lint against for what a router reported (`6.49.10 (long-term)`, as
 * /system/resource prints it), or undefined for the default: unknown, or not a version.
 */
export function lintVersionOf(reported: string | null | undefined): string | undefined {
  return /^\s*(\d+\.\d+(?:\.\d+)?(?:(?:beta|rc)\d*)?)(?:\s|$)/i.exec(reported ?? '')?.[1]
}

/**
 * Lints a script or a template (its placeholders read as plain words), against the lab's model of
 * RouterOS `version` when the router's own is known (RouterOS 6 and 7 differ in whole menus), else
 * the default lab router's.
 */
export function lintScript(script: string, version?: string): LintFinding[] {
  const source = maskPlaceholders(script)
  let statements
  try {
    statements = parseScript(source)
  } catch (error) {
    if (!(error instanceof ScriptError)) throw error
    const lines = source.replace(/\s+$/, '').split('\n')
    const pastTheEnd = error.at.line > lines.length || (error.at.line === lines.length && error.at.column > (lines.at(-1)?.length ?? 0))
    const reason = pastTheEnd ? `${error.reason} at the end of the script: a {, [, ( or " is not closed` : error.reason
    return [{ severity: 'error', line: error.at.line, column: error.at.column, message: `${reason}; the router would run none of the script` }]
  }
  try {
    resolveScript(statements, commandTree(version))
    return []
  } catch (error) {
    if (!(error instanceof ScriptError)) throw error
    const lab = version === undefined ? 'the lab' : `the lab's RouterOS ${version}`
    return [{ severity: 'warning', line: error.at.line, column: error.at.column, message: `${error.reason} (${lab} does not know it; check it is right for this router)` }]
  }
}

/**
 * Lints against each RouterOS the target routers last reported (`reported`, null where unknown),
 * or the default lab router's when none is known; a finding several versions share is said once.
 */
export function lintForRouters(script: string, reported: ReadonlyArray<string | null>): LintFinding[] {
  const versions = [...new Set(reported.map(lintVersionOf))]
  const said = new Set<string>()
  return (versions.length > 0 ? versions : [undefined])
    .flatMap((version) => lintScript(script, version))
    .filter((finding) => !said.has(lintLine(finding)) && said.add(lintLine(finding)))
}

/** `line 3 col 7: message`, as the CLI prints a finding. */
export const lintLine = (finding: LintFinding) => `${finding.severity}: line ${finding.line} col ${finding.column}: ${finding.message}`

/**
 * How many commands of `script` start before `line`, as the lab's parser and command tree resolve
 * it: a line that only chooses a menu (`/interface vlan`), a comment or a blank line is none.
 * undefined when the lab cannot resolve the script (a command it does not model), so a caller
 * never takes "no command before it" from a guess.
 */
export function commandsBefore(script: string, line: number): number | undefined {
  try {
    return resolveScript(parseScript(script), commandTree()).filter((node) => node.at.line < line).length
  } catch (error) {
    if (error instanceof ScriptError) return undefined
    throw error
  }
}
