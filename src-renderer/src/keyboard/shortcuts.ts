// The keyboard map, as data: the help overlay and the handler read the same table.
export interface Shortcut {
  keys: string
  action: string
}

export const shortcutTable: Shortcut[] = [
  { keys: 'g j  /  Alt+1', action: 'Jobs' },
  { keys: 'n  /  Alt+2', action: 'New job' },
  { keys: 'g s  /  Alt+3', action: 'Sites' },
  { keys: 'g b  /  Alt+4', action: 'Backups' },
  { keys: 'g ,  /  Alt+5', action: 'Settings' },
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
