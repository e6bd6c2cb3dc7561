// The numbered migrations, in order. Add a file and a line; never edit or reorder a shipped one.
import { sql as initial } from './0001-initial'

export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

export const migrations: readonly Migration[] = [{ version: 1, name: '0001-initial', sql: initial }]
