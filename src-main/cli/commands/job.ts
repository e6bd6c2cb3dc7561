// `fieldjobs job create|list|show|cancel`
import { JobRoute, JobStatus } from '../../contract/job-schema'
import { CliUsageError, type CliCommand } from '../io'
import { jobDetail, jobLine, statusExplanation } from '../format'
import { withCore } from '../open-core'
import { dispatchSubcommand, integerOption, parseCommand, printJson, readScript, withFlagTerms } from '../options'

const usage =
  'fieldjobs job create --site NAME --description TEXT --script FILE|- [--route auto|lan|cloud] [--backup] ' +
  '[--no-ack] [--express] [--idempotency-key UUID] [--revert-after S|0] [--data-dir DIR] [--json]\n' +
  '       fieldjobs job list [--site NAME] [--status S[,S]] [--route R] [--search TEXT] [--limit N] [--json]\n' +
  '       fieldjobs job show ID|TOKEN [--json]\n' +
  '       fieldjobs job cancel ID|TOKEN [--json]'

/** The flag that sets each field of a new job, for messages that say what to change. */
const createFlags = {
  description: '--description',
  script: '--script',
  route: '--route',
  idempotency_key: '--idempotency-key',
  revert_after_s: '--revert-after',
}


/** Absent: the settings' default_revert_after_s applies; `0`: no revert for this job. */
function revertAfter(value: string | undefined): number | null | undefined {
  const seconds = integerOption(value, 'revert-after')
  return seconds === 0 ? null : seconds
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
      },
      usage,
    )
    const siteName = values.site
    if (!siteName) throw new CliUsageError(`give --site NAME\nusage: ${usage}`)
    const script = await readScript(values.script, io)
    return withCore(values['data-dir'], io, (core) => {
      const site = core.siteStore.find(siteName)
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
      },
      usage,
    )
    const statuses = values.status?.split(',').map((status) => {
      const parsed = JobStatus.safeParse(status.trim())
      if (!parsed.success) throw new CliUsageError(`--status: "${status}" is not one of ${JobStatus.options.join(', ')}`)
      return parsed.data
    })
    const route = values.route === undefined ? undefined : JobRoute.safeParse(values.route)
    if (route && !route.success) throw new CliUsageError(`--route must be one of ${JobRoute.options.join(', ')}`)
    return withCore(values['data-dir'], io, (core) => {
      const site = values.site ? core.siteStore.find(values.site) : undefined
      const jobs = core.jobStore.list({
        site_id: site?.id,
        statuses,
        route: route?.data,
        search: values.search,
        limit: integerOption(values.limit, 'limit') ?? 50,
      })
      if (values.json) printJson(io, jobs)
      else {
        const names = new Map(core.siteStore.list().map((s) => [s.id, s.name]))
        if (jobs.length === 0) io.out('no jobs\n')
        for (const job of jobs) io.out(jobLine(job, names.get(job.site_id)))
      }
      return 0
    })
  },

  async show(args, io) {
    const { values, positionals } = parseCommand(args, {}, usage, true)
    if (positionals.length !== 1) throw new CliUsageError(`give the job's id or token\nusage: ${usage}`)
    return withCore(values['data-dir'], io, (core) => {
      const job = core.jobStore.find(positionals[0] as string)
      const backups = core.backups.forJob(job.id)
      if (values.json) printJson(io, { ...job, note: statusExplanation(job) ?? null, backups })
      else {
        io.out(jobDetail(job, core.siteStore.get(job.site_id).name))
        for (const [index, backup] of backups.entries()) {
          io.out(`${(index === 0 ? 'backups' : '').padEnd(12)}${backup.id}  ${index === 0 ? 'before' : 'after'}${backup.changed === false ? ' (unchanged)' : ''}  ${backup.path}\n`)
        }
        if (backups.length >= 2) io.out(`${'changed'.padEnd(12)}fieldjobs backup diff ${backups[0]!.id} ${backups[backups.length - 1]!.id}\n`)
      }
      return 0
    })
  },

  async cancel(args, io) {
    const { values, positionals } = parseCommand(args, {}, usage, true)
    if (positionals.length !== 1) throw new CliUsageError(`give the job's id or token\nusage: ${usage}`)
    return withCore(values['data-dir'], io, (core) => {
      const result = core.jobs.cancel(positionals[0] as string)
      if (values.json) printJson(io, result)
      else {
        const said = {
          canceled: 'canceled',
          canceling: 'canceling: the running job was told to stop',
          already_canceled: 'was already canceled',
        }[result.outcome]
        io.out(`job ${result.job.token} ${said}\n`)
      }
      return 0
    })
  },
}
