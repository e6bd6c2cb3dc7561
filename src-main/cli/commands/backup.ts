// `fieldjobs backup run|list|diff`: the configuration history of the routers. `run` exports each
// chosen router now; an export equal to the site's previous one (volatile header ignored) is
// recorded as unchanged and points at the earlier file.
import type { Backup } from '../../contract/ipc-contract'
import { CliUsageError, type CliCommand } from '../io'
import { withCore, withStores } from '../open-core'
import { dispatchSubcommand, integerOption, parseCommand, printJson } from '../options'

const usage =
  'fieldjobs backup run (--sites A,B | --tag T | --all) [--concurrency C] [--data-dir DIR] [--json]\n' +
  '       fieldjobs backup list [--site S] [--changed] [--data-dir DIR] [--json]\n' +
  '       fieldjobs backup diff A [B] [--data-dir DIR]'

const help =
  `usage: ${usage}\n\n` +
  '  backup run     exports each chosen router now; a configuration equal to the site\'s previous backup\n' +
  '                 (the export\'s date line and runtime status comments ignored) is recorded as unchanged\n' +
  '                 and not stored again. Exit 1 if any router failed.\n' +
  '  backup list    newest first: number, site, time, changed/unchanged, job token, path (--changed: changes only)\n' +
  '  backup diff    a unified diff from backup A to backup B (their numbers from backup list, or paths);\n' +
  '                 with A alone, from the site\'s backup before A to A: what changed by then\n'

const mark = (backup: Backup) => (backup.changed === null ? '-' : backup.changed ? 'changed' : 'unchanged')

const run: CliCommand = async (args, io) => {
  const { values } = parseCommand(
    args,
    { sites: { type: 'string' }, tag: { type: 'string' }, all: { type: 'boolean' }, concurrency: { type: 'string' } },
    usage,
    false,
    help,
  )
  const concurrency = integerOption(values.concurrency, 'concurrency')
  if (concurrency !== undefined && (concurrency < 1 || concurrency > 256)) throw new CliUsageError('--concurrency must be 1 to 256')
  // Loaded per action, not at the top: `backup list` need not load the RouterOS client or the diff library.
  const [{ takeBackups }, { selectSites }] = await Promise.all([import('../../core/backups/take-backups'), import('../../core/sites/select-sites')])
  return withCore(values['data-dir'], io, async (core) => {
    const sites = selectSites(core, { sites: values.sites?.split(','), tag: values.tag, all: values.all })
    const results = await takeBackups(core, sites, { concurrency })
    if (values.json) printJson(io, results.map(({ site, backup, error }) => ({ site: site.name, backup: backup ?? null, error: error ?? null })))
    else
      for (const { site, backup, error } of results) {
        if (error !== undefined) io.out(`${site.name}\tfailed\t${error}\n`)
        else io.out(`${site.name}\t${mark(backup)}\t${backup.id}\t${backup.path}${backup.stored_in ? `\tsame as ${backup.stored_in}` : ''}\n`)
      }
    const failed = results.filter((result) => result.error !== undefined).length
    if (failed > 0 && !values.json) io.err(`${failed} of ${results.length} routers could not be backed up\n`)
    return failed > 0 ? 1 : 0
  })
}

const list: CliCommand = async (args, io) => {
  const { values } = parseCommand(args, { site: { type: 'string' }, changed: { type: 'boolean', default: false } }, usage, false, help)
  return withStores(values['data-dir'], io, (stores) => {
    const site = values.site === undefined ? undefined : stores.siteStore.find(values.site)
    const backups = stores.backups.list(site?.id, { changedOnly: values.changed })
    if (values.json) {
      printJson(io, backups)
      return 0
    }
    const names = new Map(stores.siteStore.list().map((known) => [known.id, known.name]))
    // A job is named by its token, as in `job list` and `job show`; one lookup per job, not per backup.
    const tokens = new Map<string, string>()
    const tokenOf = (jobId: string) => {
      if (!tokens.has(jobId)) tokens.set(jobId, stores.jobStore.get(jobId)?.token ?? jobId)
      return tokens.get(jobId)
    }
    io.out('ID\tSITE\tCREATED\tCHANGE\tJOB\tPATH\n')
    for (const backup of backups) {
      const job = backup.job_id ? tokenOf(backup.job_id) : '-'
      io.out(`${backup.id ?? '-'}\t${names.get(backup.site_id) ?? backup.site_id}\t${backup.created_at}\t${mark(backup)}\t${job}\t${backup.path}\n`)
    }
    return 0
  })
}

const diff: CliCommand = async (args, io) => {
  const { values, positionals } = parseCommand(args, {}, usage, true, help)
  if (positionals.length !== 1 && positionals.length !== 2) {
    throw new CliUsageError(`backup diff takes one backup (against the one before it) or two, A and B (numbers from backup list)\nusage: ${usage}`)
  }
  const { diffBackups } = await import('../../core/backups/backup-diff')
  return withStores(values['data-dir'], io, (stores) => {
    const refs = positionals.length === 2 ? positionals : [stores.backups.before(positionals[0] as string).path, positionals[0] as string]
    const [from, to] = refs.map((ref) => stores.backups.read(ref))
    const result = diffBackups(from, to)
    if (values.json) printJson(io, result)
    else io.out(result.unified)
    return 0
  })
}

export const backupCommand: CliCommand = (args, io) => dispatchSubcommand({ run, list, diff }, args, io, 'backup', help)
