// `fieldjobs job create|list|show|cancel`
import type { Job, JobStatus } from '../../contract/job-schema'
import { statusLabels } from '../../contract/job-wording'
import { jobRoutes, jobStatuses } from '../../contract/job-values'
import { CliUsageError, type CliCommand } from '../io'
import { JOB_LINE_HEADER, jobDetail, jobLine, statusExplanation } from '../format'
import { JobProgressStore } from '../../core/store/job-progress-store'
import type { JobListFilter, JobStore } from '../../core/store/job-store'
import { withCore, withStores } from '../open-core'
import { parseNotBefore } from '../not-before'
import { dispatchSubcommand, integerOption, parseCommand, printJson, readScript, subcommandHelp, withFlagTerms } from '../options'

const usage =
  'fieldjobs job create --site NAME --description TEXT --script FILE|- [--route auto|lan|cloud] [--backup] ' +
  '[--no-ack] [--express] [--idempotency-key UUID] [--revert-after S|0] [--not-before TIME] [--no-lint] [--data-dir DIR] [--json]\n' +
  '       fieldjobs job list [--site NAME] [--status S[,S]] [--route R] [--search TEXT] [--limit N] [--no-header] [--format csv|json] [--json]\n' +
  '       fieldjobs job show ID|TOKEN [--json]\n' +
  '       fieldjobs job cancel ID|TOKEN [--json]'

const createHelp = subcommandHelp(
  'fieldjobs job create --site NAME --description TEXT --script FILE|- [options]',
  'Queues a RouterOS script as a job for one site. `fieldjobs run` runs it over the LAN, or\n`fieldjobs sync` hands it to the SDX cloud.\n' +
    'The script may be a template: {{site.name}}, {{site.host}}, {{site.identity}} and {{var.KEY}} (see\n' +
    '`fieldjobs site var`) are filled in for the site when the job is queued; \\{{ is a literal {{.',
  [
    ['--site NAME', 'the site (router) to run it on: see `fieldjobs site list`'],
    ['--description TEXT', 'what the job does, as the history shows it (3 characters or more)'],
    ['--script FILE|-', 'the RouterOS script, from a file or from standard input (-)'],
    ['--route auto|lan|cloud', 'lan: straight to the router; cloud: through SDX; auto (default): LAN, then the cloud if the router is silent'],
    ['--backup', 'export the router\'s configuration before the script runs (kept under backups/)'],
    ['--no-ack', 'deliver only: do not wait for the router\'s answer ("completed" then means delivered)'],
    ['--express', 'ask the SDX cloud for express execution (cloud route)'],
    ['--idempotency-key UUID', 'the same key creates the job once, however often the command is repeated'],
    ['--revert-after S|0', 'auto-revert after S seconds (30..3600) unless Fieldjobs confirms the change; 0: none for this job'],
    ['--not-before TIME', 'a maintenance window: the job waits, pending, until TIME (HH:MM = the next such local time, or ISO 8601)'],
    ['--no-lint', 'queue a script even if the lint says it would not parse (warnings never stop it)'],
  ],
)

const listHelp = subcommandHelp('fieldjobs job list [options]', 'Lists jobs, newest first, tab-separated under a header.', [
  ['--site NAME', 'only this site\'s jobs'],
  ['--status S[,S]', 'only these states (pending, in_progress, canceling, completed, failed, canceled, unknown, reverted; the list\'s running and outcome-unknown too)'],
  ['--route R', 'only this route (auto, lan, cloud)'],
  ['--search TEXT', 'only jobs whose description or script contains TEXT'],
  ['--limit N', 'at most N jobs (default 50; with --format, the whole history)'],
  ['--no-header', 'leave out the header line'],
  ['--format csv|json', 'export every field of every matching job (a spreadsheet opens the CSV)'],
])

const showHelp = subcommandHelp('fieldjobs job show ID|TOKEN', 'Shows one job: its state and what it means, its error with line and column, its output and backups.', [])
const cancelHelp = subcommandHelp(
  'fieldjobs job cancel ID|TOKEN',
  'Cancels a job. A pending one is canceled at once; a running one is told to stop (canceling, then canceled);\none the cloud already started cannot be stopped, and the refusal says so.',
  [],
)

/** The flag that sets each field of a new job, for messages that say what to change. */
const createFlags = {
  description: '--description',
  script: '--script',
  route: '--route',
  idempotency_key: '--idempotency-key',
  revert_after_s: '--revert-after',
  not_before: '--not-before',
}


/** Absent: the settings' default_revert_after_s applies; `0`: no revert for this job. */
function revertAfter(value: string | undefined): number | null | undefined {
  const seconds = integerOption(value, 'revert-after')
  return seconds === 0 ? null : seconds
}

/**
 * A state as `--status` names it: the stored name, or the word the list shows for it (`running`,
 * `outcome unknown`), since that is the one an engineer reads and types back.
 */
function statusNamed(word: string): JobStatus {
  if (isOneOf(jobStatuses, word)) return word
  const shown = (Object.entries(statusLabels) as Array<[JobStatus, string]>).find(([, label]) => label === word || label.replace(' ', '-') === word)
  if (shown) return shown[0]
  if (word === 'delivered') {
    throw new CliUsageError('--status: "delivered" is a completed job that did not ask for acknowledgement; filter with --status completed')
  }
  throw new CliUsageError(`--status: "${word}" is not one of ${jobStatuses.join(', ')} (or running, outcome-unknown, as the list says them)`)
}

export const jobCommand: CliCommand = async (args, io) => {
  return dispatchSubcommand(jobSubcommands, args, io, 'job', `usage: ${usage}\n`)
}

const jobSubcommands: Record<string, CliCommand> = {
  async create(args, io) {
    const { values } = parseCommand(
      args,
      {
        site: { type: 'string' },
        description: { type: 'string' },
        script: { type: 'string' },
        route: { type: 'string', default: 'auto' },
        backup: { type: 'boolean', default: false },
        'no-ack': { type: 'boolean', default: false },
        express: { type: 'boolean', default: false },
        'idempotency-key': { type: 'string' },
        'revert-after': { type: 'string' },
        'not-before': { type: 'string' },
        'no-lint': { type: 'boolean', default: false },
      },
      usage,
      false,
      createHelp,
    )
    const siteName = values.site
    if (!siteName) throw new CliUsageError(`give --site NAME\nusage: ${usage}`)
    const script = await readScript(values.script, io)
    // Here, not at the top: the lint gate's script rule is a zod schema, which `job list` need not load.
    const { lintBeforeQueueing } = await import('../script-lint-gate')
    const { HealthStore } = await import('../../core/health/health-store')
    return withCore(values['data-dir'], io, async (core) => {
      const site = core.siteStore.find(siteName)
      // Against the RouterOS the router last reported: 6 and 7 differ in whole menus.
      await lintBeforeQueueing(script, io, values['no-lint'], new HealthStore(core.db).lastVersions([site.id]))
      const { job, created } = withFlagTerms(createFlags, () => core.jobs.create({
        site_id: site.id,
        description: values.description,
        script,
        route: values.route,
        should_backup: values.backup,
        needs_acknowledgement: !values['no-ack'],
        express_execute: values.express,
        idempotency_key: values['idempotency-key'],
        revert_after_s: revertAfter(values['revert-after']),
        not_before: parseNotBefore(values['not-before'], core.clock.now()),
      }))
      if (values.json) printJson(io, { ...job, created })
      else {
        io.out(`${created ? 'queued' : 'already queued (same idempotency key)'} job ${job.token} for ${site.name}\n`)
        const note = statusExplanation(job)
        if (note) io.out(`${note}\n`)
      }
      return 0
    })
  },

  async list(args, io) {
    const { values } = parseCommand(
      args,
      {
        site: { type: 'string' },
        status: { type: 'string' },
        route: { type: 'string' },
        search: { type: 'string' },
        limit: { type: 'string' },
        format: { type: 'string' },
        'no-header': { type: 'boolean', default: false },
      },
      usage,
      false,
      listHelp,
    )
    const format = values.format
    if (format !== undefined && format !== 'csv' && format !== 'json') throw new CliUsageError('--format must be csv or json')
    const statuses = values.status?.split(',').map((status) => statusNamed(status.trim()))
    const route = values.route
    if (route !== undefined && !isOneOf(jobRoutes, route)) throw new CliUsageError(`--route must be one of ${jobRoutes.join(', ')}`)
    // The export needs the Job schema's field list: only then is it (and zod) loaded.
    const exporter = format === undefined ? undefined : await import('../job-export')
    return withStores(values['data-dir'], io, (stores) => {
      const site = values.site ? stores.siteStore.find(values.site) : undefined
      const filter = { site_id: site?.id, statuses, route, search: values.search }
      const limit = integerOption(values.limit, 'limit')
      if (exporter) {
        // An export is the whole history (or --limit of it), newest first, every field.
        const names = new Map(stores.siteStore.list().map((s) => [s.id, s.name]))
        const rows = allJobs(stores.jobStore, filter, limit).map((job) => exporter.exportedJob(job, names.get(job.site_id) ?? job.site_id))
        if (format === 'csv') io.out(exporter.jobsCsv(rows))
        else printJson(io, rows)
        return 0
      }
      const jobs = stores.jobStore.list({ ...filter, limit: limit ?? 50 })
      if (values.json) printJson(io, jobs)
      else {
        const names = new Map(stores.siteStore.list().map((s) => [s.id, s.name]))
        if (jobs.length === 0) io.out('no jobs\n')
        else if (!values['no-header']) io.out(JOB_LINE_HEADER)
        for (const job of jobs) io.out(jobLine(job, names.get(job.site_id)))
      }
      return 0
    })
  },

  async show(args, io) {
    const { values, positionals } = parseCommand(args, {}, usage, true, showHelp)
    if (positionals.length !== 1) throw new CliUsageError(`give the job's id or token\nusage: ${usage}`)
    return withStores(values['data-dir'], io, (stores) => {
      const job = stores.jobStore.find(positionals[0] as string)
      const backups = stores.backups.forJob(job.id)
      // What it said while it ran, whichever process ran it, as the window's detail shows.
      const progress = new JobProgressStore(stores.db).list(job.id)
      if (values.json) printJson(io, { ...job, note: statusExplanation(job) ?? null, backups, progress })
      else io.out(jobDetail(job, stores.siteStore.get(job.site_id).name, backups, progress))
      return 0
    })
  },

  async cancel(args, io) {
    const { values, positionals } = parseCommand(args, {}, usage, true, cancelHelp)
    if (positionals.length !== 1) throw new CliUsageError(`give the job's id or token\nusage: ${usage}`)
    return withCore(values['data-dir'], io, (core) => {
      const result = core.jobs.cancel(positionals[0] as string)
      if (values.json) printJson(io, result)
      else {
        // A job the cloud holds stops only when the cloud says so, at the next sync round.
        const canceling =
          result.job.sync_state === 'cancel_pending'
            ? 'canceling: the cloud is asked to cancel it at the next sync (`fieldjobs sync` or `fieldjobs run`)'
            : 'canceling: the running job was told to stop'
        const said = { canceled: 'canceled', canceling, already_canceled: 'was already canceled' }[result.outcome]
        io.out(`job ${result.job.token} ${said}\n`)
      }
      return 0
    })
  },
}

/** Whether `value` is one of `names`, narrowing it to that union. */
const isOneOf = <T extends string>(names: readonly T[], value: string): value is T => (names as readonly string[]).includes(value)

/** Every job the filter matches (up to `limit`), newest first, read a page at a time. */
function allJobs(store: JobStore, filter: Omit<JobListFilter, 'limit' | 'before_seq'>, limit = Number.POSITIVE_INFINITY): Job[] {
  const jobs: Job[] = []
  let before: number | undefined
  while (jobs.length < limit) {
    const page = store.list({ ...filter, limit: Math.min(1000, limit - jobs.length), ...(before === undefined ? {} : { before_seq: before }) })
    jobs.push(...page)
    if (page.length === 0) break
    before = (page.at(-1) as Job).seq
  }
  return jobs
}
