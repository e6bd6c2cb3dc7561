// `fieldjobs batch create|list|show|cancel`: one script to many sites, as one job per site.
import { JobRoute } from '../../contract/job-schema'
import { jobStateLabel } from '../../contract/job-wording'
import { BatchService } from '../../core/batch/batch-service'
import { selectSites } from '../../core/sites/select-sites'
import { CliUsageError, type CliCommand } from '../io'
import { parseNotBefore } from '../not-before'
import { HealthStore } from '../../core/health/health-store'
import { lintBeforeQueueing } from '../script-lint-gate'
import { withCore } from '../open-core'
import { dispatchSubcommand, integerOption, parseCommand, printJson, readScript, subcommandHelp, withFlagTerms } from '../options'
import { counted } from '../../contract/counted'

const usage =
  'fieldjobs batch create --script FILE|- --description D (--sites A,B,... | --tag T | --all) [--route auto|lan|cloud] ' +
  '[--backup] [--revert-after S] [--canary N] [--stop-on-failure] [--concurrency C] [--not-before TIME] [--idempotency-key UUID] [--no-lint] [--json]\n' +
  '       fieldjobs batch list [--json]\n' +
  '       fieldjobs batch show ID [--json]\n' +
  '       fieldjobs batch cancel ID [--json]'

const createHelp = subcommandHelp(
  'fieldjobs batch create --script FILE|- --description D (--sites A,B,... | --tag T | --all) [options]',
  'Queues one script for many sites, one job per site; `fieldjobs run` (or the app) runs them. The script may\n' +
    'be a template ({{site.name}}, {{site.host}}, {{site.identity}}, {{var.KEY}}): it is filled in per site, and\n' +
    'a value missing on any site refuses the whole batch, naming each site and key, before any job exists.',
  [
    ['--script FILE|-', 'the RouterOS script (or template), from a file or standard input (-)'],
    ['--description D', 'what the batch does, as the history shows it'],
    ['--sites A,B,...', 'these sites'],
    ['--tag T', 'every site tagged T (see `site add|update --tag`)'],
    ['--all', 'every site'],
    ['--route auto|lan|cloud', 'as for `job create` (default auto)'],
    ['--backup', 'export each router\'s configuration before its script runs'],
    ['--revert-after S', 'auto-revert after S seconds unless Fieldjobs confirms the change (0: none)'],
    ['--canary N', 'run the first N sites first; the rest start only if all N succeed, else they are canceled'],
    ['--stop-on-failure', 'the first failed job cancels every job of the batch that has not started'],
    ['--concurrency C', 'at most C of the batch\'s jobs at once (the queue\'s own limit still applies)'],
    ['--not-before TIME', 'a maintenance window: nothing starts before TIME (HH:MM = next such local time, or ISO 8601)'],
    ['--idempotency-key UUID', 'the same key creates the batch once, however often the command is repeated'],
    ['--no-lint', 'queue a script even if the lint says it would not parse (warnings never stop it)'],
  ],
)

const batchFlags = {
  description: '--description',
  script: '--script',
  route: '--route',
  revert_after_s: '--revert-after',
  canary: '--canary',
  concurrency: '--concurrency',
  not_before: '--not-before',
  idempotency_key: '--idempotency-key',
}

export const batchCommand: CliCommand = async (args, io) => dispatchSubcommand(batchSubcommands, args, io, 'batch', `usage: ${usage}\n`)

const batchSubcommands: Record<string, CliCommand> = {
  async create(args, io) {
    const { values } = parseCommand(
      args,
      {
        script: { type: 'string' },
        description: { type: 'string' },
        sites: { type: 'string' },
        tag: { type: 'string' },
        all: { type: 'boolean', default: false },
        route: { type: 'string', default: 'auto' },
        backup: { type: 'boolean', default: false },
        'revert-after': { type: 'string' },
        canary: { type: 'string' },
        'stop-on-failure': { type: 'boolean', default: false },
        concurrency: { type: 'string' },
        'not-before': { type: 'string' },
        'idempotency-key': { type: 'string' },
        'no-lint': { type: 'boolean', default: false },
      },
      usage,
      false,
      createHelp,
    )
    if (!JobRoute.safeParse(values.route).success) throw new CliUsageError(`--route must be one of ${JobRoute.options.join(', ')}`)
    const script = await readScript(values.script, io)
    return withCore(values['data-dir'], io, async (core) => {
      const sites = selectSites(core, {
        ...(values.sites === undefined ? {} : { sites: values.sites.split(',') }),
        ...(values.tag === undefined ? {} : { tag: values.tag }),
        all: values.all,
      })
      // Against each RouterOS the routers last reported: 6 and 7 differ in whole menus.
      await lintBeforeQueueing(script, io, values['no-lint'], new HealthStore(core.db).lastVersions(sites.map((site) => site.id)))
      const revert = integerOption(values['revert-after'], 'revert-after')
      const batch = withFlagTerms(batchFlags, () =>
        new BatchService(core).create({
          site_ids: sites.map((site) => site.id),
          description: values.description,
          script,
          route: values.route,
          should_backup: values.backup,
          ...(revert === undefined ? {} : { revert_after_s: revert === 0 ? null : revert }),
          canary: integerOption(values.canary, 'canary') ?? 0,
          stop_on_first_failure: values['stop-on-failure'],
          concurrency: integerOption(values.concurrency, 'concurrency') ?? null,
          not_before: parseNotBefore(values['not-before'], core.clock.now()),
          idempotency_key: values['idempotency-key'],
        }),
      )
      if (values.json) printJson(io, batch)
      else {
        const names = new Map(sites.map((site) => [site.id, site.name]))
        io.out(`queued batch ${batch.batch_id}: ${counted(batch.jobs.length, 'job')}\n`)
        for (const job of batch.jobs) io.out(`${names.get(job.site_id)}\t${job.token}\t${job.waiting_for_canary ? 'after canary' : jobStateLabel(job)}\n`)
        io.out('`fieldjobs run` (or the app) runs them; `fieldjobs batch show ID` follows them\n')
      }
      return 0
    })
  },

  async list(args, io) {
    const { values } = parseCommand(args, {}, usage, false, subcommandHelp('fieldjobs batch list', 'Lists the batches, newest first.', []))
    return withCore(values['data-dir'], io, (core) => {
      const batches = new BatchService(core).list()
      if (values.json) printJson(io, batches)
      else if (batches.length === 0) io.out('no batches yet: queue one with `fieldjobs batch create`\n')
      else {
        io.out('BATCH\tCREATED\tDONE\tFAILED\tTOTAL\tDESCRIPTION\n')
        for (const batch of batches) {
          io.out(`${batch.batch_id}\t${batch.created_at}\t${batch.done}\t${batch.failed}\t${batch.total}\t${batch.description.replace(/[\t\n]/g, ' ')}\n`)
        }
      }
      return 0
    })
  },

  async show(args, io) {
    const { values, positionals } = parseCommand(
      args,
      {},
      usage,
      true,
      subcommandHelp('fieldjobs batch show ID', "Shows a batch's per-site results: site, job, state and error. ID may be the start of the batch's id, as `run` prints it (at least 4 characters, naming one batch).", []),
    )
    if (positionals.length !== 1) throw new CliUsageError(`give the batch id\nusage: ${usage}`)
    return withCore(values['data-dir'], io, (core) => {
      const batch = new BatchService(core).get(positionals[0] as string)
      const names = new Map(core.siteStore.list().map((site) => [site.id, site.name]))
      if (values.json) {
        printJson(io, { ...batch, jobs: batch.jobs.map((job) => ({ ...job, site_name: names.get(job.site_id) ?? null })) })
        return 0
      }
      io.out(`batch ${batch.batch_id}: ${batch.description}\n`)
      io.out(`${batch.done} of ${batch.total} done, ${batch.failed} failed${batch.stopped_at ? `, stopped at ${batch.stopped_at}` : ''}\n`)
      io.out('SITE\tTOKEN\tSTATE\tERROR\n')
      for (const job of batch.jobs) {
        const state = job.status === 'pending' && job.waiting_for_canary ? 'after canary' : jobStateLabel(job)
        io.out(`${names.get(job.site_id) ?? job.site_id}\t${job.token}\t${state}\t${job.error?.message.replace(/[\t\n]/g, ' ') ?? ''}\n`)
      }
      return 0
    })
  },

  async cancel(args, io) {
    const { values, positionals } = parseCommand(
      args,
      {},
      usage,
      true,
      subcommandHelp('fieldjobs batch cancel ID', 'Cancels what has not started; running jobs are told to stop, as `job cancel` does. ID may be the start of the batch\'s id, as for `batch show`.', []),
    )
    if (positionals.length !== 1) throw new CliUsageError(`give the batch id\nusage: ${usage}`)
    return withCore(values['data-dir'], io, (core) => {
      const results = new BatchService(core).cancel(positionals[0] as string)
      if (values.json) printJson(io, results)
      else {
        for (const { job, outcome } of results) io.out(`job ${job.token} ${outcome}\n`)
        io.out(`${counted(results.length, 'job')} of batch ${positionals[0]} canceled or told to stop; finished ones keep their outcome\n`)
      }
      return 0
    })
  },
}
