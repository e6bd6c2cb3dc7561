// The keyboard map, as data: the sidebar, the help overlay and the handler read the same table.
import type { Screen } from '../app/route'

export interface NavShortcut {
  screen: Screen
  label: string
  /** `g` then a letter, or one key; Alt+<position> goes there too. */
  key: string
}

/** The screens in sidebar order: the first is Alt+1. */
export const navShortcuts: readonly NavShortcut[] = [
  { screen: 'jobs', label: 'Jobs', key: 'g j' },
  { screen: 'new', label: 'New job', key: 'n' },
  { screen: 'sites', label: 'Sites', key: 'g s' },
  { screen: 'backups', label: 'Backups', key: 'g b' },
  { screen: 'discover', label: 'Discover', key: 'g d' },
  { screen: 'settings', label: 'Settings', key: 'g ,' },
]

/** The screen at Alt+<digit>, by KeyboardEvent.code (`Digit1` is the first screen). */
export function navByAltDigit(code: string): Screen | undefined {
  return /^Digit\d$/.test(code) ? navShortcuts[Number(code.slice(5)) - 1]?.screen : undefined
}

/** After `g`, the last key of any screen's shortcut goes there (`g j`, and `g n` as well as `n`). */
export const navAfterG: ReadonlyMap<string, Screen> = new Map(navShortcuts.map((nav) => [nav.key.slice(-1), nav.screen]))

/** The screens a single key goes to (`n`). */
export const navByKey: ReadonlyMap<string, Screen> = new Map(
  navShortcuts.filter((nav) => !nav.key.includes(' ')).map((nav) => [nav.key, nav.screen]),
)

export interface Shortcut {
  keys: string
  action: string
}

export const shortcutTable: Shortcut[] = [
  ...navShortcuts.map((nav, index) => ({ keys: `${nav.key}  /  Alt+${index + 1}`, action: nav.label })),
  { keys: '/', action: 'Search jobs' },
  { keys: '↑ ↓  /  j k', action: 'Move the selection in the job list' },
  { keys: 'Enter', action: 'Open the selected job' },
  { keys: 'c', action: 'Cancel the selected job' },
  { keys: 'Esc', action: 'Close the job, the dialog or this help' },
  { keys: '?', action: 'Show these shortcuts' },
]

/** True while the engineer types into a field: single-letter shortcuts must not fire then. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  const tag = target.tagName
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable
}
