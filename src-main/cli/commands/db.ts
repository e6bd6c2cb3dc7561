// `fieldjobs db copy FILE`: a consistent copy of the database while the app or `run` keeps using it
// (SQLite's online backup reads one snapshot, so jobs written meanwhile are either wholly in the
// copy or not at all). For a support bundle, or a safety copy before an upgrade.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DATABASE_FILE, resolveDataDir } from '../../core/app/data-dir'
import { FieldjobsError } from '../../core/errors'
import { copyDatabase, openDatabase, Sqlite } from '../../core/store/database'
import { CliUsageError, type CliCommand } from '../io'
import { dispatchSubcommand, parseCommand, printJson } from '../options'

const usage = 'fieldjobs db copy FILE [--data-dir DIR] [--json]'

export const dbCommand: CliCommand = async (args, io) => {
  return dispatchSubcommand({ copy }, args, io, 'db', `usage: ${usage}\n`)
}

const copy: CliCommand = async (args, io) => {
  const { values, positionals } = parseCommand(args, {}, usage, true)
  if (positionals.length !== 1) throw new CliUsageError(`name the file to copy to\nusage: ${usage}`)
  const destination = resolve(positionals[0] as string)
  if (existsSync(destination)) {
    throw new FieldjobsError('conflict', `${destination} already exists: copy to a new file, so nothing is overwritten`)
  }
  const source = join(resolveDataDir(values['data-dir'], io.env), DATABASE_FILE)
  if (!existsSync(source)) throw new FieldjobsError('not_found', `there is no database at ${source}: check --data-dir`)
  // Opening migrates and checks the schema, so a copy is only taken of a database this version reads.
  const db = openDatabase(source)
  try {
    await copyDatabase(db, destination)
  } finally {
    db.close()
  }
  // Checked by reading the copy itself, not the live database.
  const copy = new Sqlite(destination, { readonly: true })
  try {
    const check = copy.pragma('quick_check', { simple: true }) as string
    if (check !== 'ok') throw new FieldjobsError('database', `the copy at ${destination} failed its check (${check}): take it again`)
    const jobs = (copy.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n
    if (values.json) printJson(io, { copied_to: destination, from: source, jobs, check })
    else io.out(`copied ${source} to ${destination}: a consistent snapshot with ${jobs} jobs, check ok\n`)
    return 0
  } finally {
    copy.close()
  }
}
