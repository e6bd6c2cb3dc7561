// The crash harness: runs the real `fieldjobs run` (bin/fieldjobs.js) as a child process on one data
// folder, kills it with SIGKILL at random points (while it starts, right after a claim, while a lab
// router handles one of its commands, while the cloud fake holds a create it committed but has not
// answered, at a random time), restarts it, round after round, and creates and cancels jobs between
// and during the rounds (from this process's core and through `fieldjobs job create`). Then it lets
// `fieldjobs run --once` run until nothing is left to do and judges the result at the peers, which
// outlive every crash here: the lab routers count each job's change, the cloud fake counts creates.
//
// Replaying a seed replays the plan (the jobs, the triggers, the order of everything); the exact
// moment a kill lands also depends on the machine's timing.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { EventEmitter, once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { FieldjobsError } from '../../src-main/core/errors'
import { CLOUD_TOKEN_REF } from '../../src-main/core/settings/settings-store'
import { OPEN_STATUSES } from '../../src-main/core/store/job-status-indexes'
import { startLab } from '../../src-main/lab/lab'
import { seededRandom } from '../../src-main/lab/router/random'
import { CloudFake } from '../cloud-fake/cloud-fake'
import { repoRoot } from '../support/repo-root'
import { type CrashProblem, type CrashVerdict, judgeCrashRun, type StoredJob } from './crash-checks'
import {
  type CrashSite,
  type CrashSites,
  type CreatedJob,
  commentOf,
  createdFrom,
  jobCreateArgs,
  newJobInput,
  numberOf,
  type PlannedJob,
  planJob,
  pickWeighted,
  scriptOf,
} from './crash-jobs'

const FIELDJOBS_BIN = join(repoRoot, 'bin/fieldjobs.js')

export interface CrashHarnessOptions {
  rounds: number
  /** Default: drawn from the clock (and printed in the report, so a failure can be replayed). */
  seed?: number
  /** Jobs queued before the first round. */
  initialJobs?: number
  /**
   * A child that no trigger caught is killed this long after it shows life (its first router
   * command, cloud request or output line); default 1500 ms. Counted from then, not from the spawn,
   * because a loaded machine may take seconds to start Node and tsx.
   */
  maxLifeMs?: number
  log?: (line: string) => void
  /** Keep the data folder when problems were found (default true), to look at it afterwards. */
  keepDataDirOnProblems?: boolean
}

/** The verdict on the jobs (lost, duplicates, re-runs, states; see crash-checks.ts), and how the run went. */
export interface CrashReport extends CrashVerdict {
  seed: number
  rounds: number
  kills: number
  seconds: number
  /** How the kills were triggered (a trigger that never fired falls back to the timer). */
  triggers: Record<string, number>
  /** Jobs a kill caught in progress (each must end unknown). */
  interrupted: number
  /** Kills that caught at least one job in progress. */
  kills_mid_job: number
  /** Children that ended by themselves (`run --once` done before its kill). */
  clean_exits: number
  /** Passes of `run --once` it took to finish everything after the last kill. */
  final_passes: number
  /** Kept only when there are problems. */
  data_dir?: string
}

type Trigger =
  /** At this fraction of the spawn-to-kill span (startup included). */
  | { kind: 'timer'; fraction: number }
  /** The k-th job the child claims (its `job.changed` to in_progress on stdout). */
  | { kind: 'claim'; k: number }
  /** The k-th command any lab router receives from the child. */
  | { kind: 'router-command'; k: number }
  /** The k-th script run (`/system/script/run`, `/execute`) a lab router receives. */
  | { kind: 'router-script'; k: number }
  /** The k-th create the cloud commits: its answer is held back, so the child dies not knowing. */
  | { kind: 'cloud-create'; k: number }
  /** The k-th request of any kind the cloud receives. */
  | { kind: 'cloud-request'; k: number }
  /** Not a crash: once this job has finished, the child is asked to stop (SIGTERM). */
  | { kind: 'finished'; id: string }

type CrashTrigger = Exclude<Trigger['kind'], 'finished'>

const TRIGGER_WEIGHTS: Array<[CrashTrigger, number]> = [
  ['timer', 28],
  ['claim', 20],
  ['router-command', 18],
  ['router-script', 16],
  ['cloud-create', 10],
  ['cloud-request', 8],
]

function pickTrigger(random: () => number): Trigger {
  const kind = pickWeighted(TRIGGER_WEIGHTS, random)
  // Early kills too: timers count from the spawn, so some land while the child still starts.
  if (kind === 'timer') return { kind, fraction: random() }
  const k = 1 + Math.floor(random() * (kind === 'router-command' ? 30 : 3))
  return { kind, k }
}

const describeTrigger = (trigger: Trigger) =>
  trigger.kind === 'timer'
    ? `timer at ${Math.round(trigger.fraction * 100)}%`
    : trigger.kind === 'finished'
      ? `stop once job ${trigger.id} finished`
      : `${trigger.kind} #${trigger.k}`

/**
 * A run that ended by itself as it should: exit 0, or exit 1 from `run --once` because jobs of its
 * round failed (its summary says how many), which the harness's faults provoke on purpose.
 */
const ranCleanly = (result: ChildResult) =>
  result.code === 0 || (result.code === 1 && /^\d+ completed, [1-9]\d* failed/m.test(result.stderr))

interface ChildResult {
  killed: boolean
  /** ms from the spawn to its first sign of life, if it showed any. */
  aliveMs: number | undefined
  /** What killed it: the trigger's kind, or `fallback` when the trigger never fired in time. */
  cause: string
  code: number | null
  stderr: string
  lifeMs: number
}

export async function runCrashHarness(options: CrashHarnessOptions): Promise<CrashReport> {
  const seed = options.seed ?? Math.floor(Date.now() % 2_147_483_647)
  const random = seededRandom(seed)
  const log = options.log ?? (() => {})
  const maxLifeMs = options.maxLifeMs ?? 1_500
  // How long a child takes to show life, learnt round by round (a loaded machine is slower).
  let startupMs = 700
  const startedAt = performance.now()

  const dataDir = mkdtempSync(join(tmpdir(), 'fieldjobs-crash-'))
  const closers: Array<() => Promise<void>> = []
  let keep = false
  // Children still running if the harness itself fails; none may outlive it.
  const liveChildren = new Set<ChildProcess>()
  const killLiveChildren = () => {
    for (const child of liveChildren) child.kill('SIGKILL')
  }
  process.once('exit', killLiveChildren)

  try {
    // Latency on every reply, so kills land while a router still works on a command.
    const lab = await startLab({ routers: 5, latencyMs: [1, 8], seed })
    closers.push(() => lab.close())
    const fake = await CloudFake.start({ device: { startAfterMs: 20, finishAfterMs: 20 } })
    closers.push(() => fake.close())
    const core = FieldjobsCore.open({ dataDir })
    closers.push(() => core.close())

    // The router of the last site refuses connections: route-auto jobs there go to the cloud.
    await (lab.routers[4] as (typeof lab.routers)[number]).server.setAcceptingConnections(false)

    // Every command a router receives, seen from here (the routers outlive the children).
    const routerCommands = new EventEmitter()
    lab.routers.forEach((labRouter, index) => {
      const run = labRouter.router.run.bind(labRouter.router)
      labRouter.router.run = (command, context) => {
        routerCommands.emit('command', { router: index, command: command.command })
        return run(command, context)
      }
    })

    // Set up as a user would: the cloud URL in the settings, the token and passwords in the
    // data folder's secret store, which the child reads.
    core.settings.update({ cloud_api_url: fake.url })
    core.secrets.set(CLOUD_TOKEN_REF, fake.token)
    const siteList: CrashSite[] = lab.routers.map((labRouter, index) => {
      const site = core.addSite({
        name: `crash-site-${index + 1}`,
        host: labRouter.host,
        api_port: labRouter.port,
        username: labRouter.user,
        password: labRouter.password,
        cloud_site_id: index === 0 || index === 4 ? randomUUID() : null,
      })
      return { id: site.id, name: site.name, router: index }
    })
    const sites: CrashSites = { lan: siteList.slice(0, 4), offline: siteList[4] as CrashSite }

    const childEnv = { ...process.env }
    for (const name of ['FIELDJOBS_API_URL', 'FIELDJOBS_API_TOKEN', 'FIELDJOBS_DATA_DIR']) delete childEnv[name]

    const created: CreatedJob[] = []
    const interrupted = new Set<string>()
    const problems: CrashProblem[] = []
    const triggers: Record<string, number> = {}
    let nextNumber = 1
    let kills = 0
    let killsMidJob = 0
    let cleanExits = 0
    const plan = () => planJob(nextNumber++, sites, random)

    const createViaCore = (job: PlannedJob, round: number) => {
      const { job: stored } = core.jobs.create(newJobInput(job))
      created.push(createdFrom(job, stored, 'core', round))
    }

    const createViaCli = async (job: PlannedJob, round: number) => {
      const child = spawn(process.execPath, [FIELDJOBS_BIN, ...jobCreateArgs(job, dataDir)], {
        cwd: repoRoot,
        env: childEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let out = ''
      let err = ''
      child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text))
      child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text))
      child.stdin.end(scriptOf(job))
      const [code] = (await once(child, 'exit')) as [number | null]
      if (code !== 0) throw new Error(`fieldjobs job create exited with ${code}: ${err}`)
      const stored = JSON.parse(out) as { id: string; idempotency_key: string }
      created.push(createdFrom(job, stored, 'cli', round))
    }

    const runChild = async (args: string[], trigger: Trigger | undefined, lifeMs: number): Promise<ChildResult> => {
      const spawnedAt = performance.now()
      const child: ChildProcess = spawn(process.execPath, [FIELDJOBS_BIN, ...args, '--json', '--data-dir', dataDir], {
        cwd: repoRoot,
        env: childEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
      let stderr = ''
      child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text))
      let cause: string | undefined
      const kill = (why: string, signal: NodeJS.Signals = 'SIGKILL') => {
        if (cause !== undefined || child.exitCode !== null) return
        cause = why
        child.kill(signal)
      }
      liveChildren.add(child)
      // The fallback counts from the first sign of life; a child that never shows any is killed
      // after a generous cap.
      let aliveMs: number | undefined
      let fallback = setTimeout(() => kill('fallback'), 30_000)
      const alive = () => {
        if (aliveMs !== undefined) return
        aliveMs = performance.now() - spawnedAt
        clearTimeout(fallback)
        fallback = setTimeout(() => kill('fallback'), lifeMs)
      }

      const disarm: Array<() => void> = []
      const on = (emitter: EventEmitter, event: string, listener: Parameters<EventEmitter['on']>[1]) => {
        emitter.on(event, listener)
        disarm.push(() => emitter.off(event, listener))
      }
      let seen = 0
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
      lines.on('line', (line) => {
        alive()
        if (trigger?.kind !== 'claim' && trigger?.kind !== 'finished') return
        let event: { type?: string; from?: string; job?: { id?: string; status?: string } }
        try {
          event = JSON.parse(line)
        } catch {
          return
        }
        if (event.type !== 'job.changed') return
        if (trigger.kind === 'finished') {
          if (event.job?.id === trigger.id && ['completed', 'failed', 'unknown'].includes(event.job.status ?? '')) kill('finished', 'SIGTERM')
        } else if (event.from === 'pending' && event.job?.status === 'in_progress' && ++seen === trigger.k) kill('claim')
      })
      if (trigger?.kind === 'router-command' || trigger?.kind === 'router-script') {
        on(routerCommands, 'command', (seenCommand: { command: string }) => {
          if (trigger.kind === 'router-script' && !['/system/script/run', '/execute'].includes(seenCommand.command)) return
          if (++seen === trigger.k) kill(trigger.kind)
        })
      }
      if (trigger?.kind === 'cloud-create') {
        on(fake, 'created', () => {
          if (++seen !== trigger.k) return
          // Committed on the cloud; the answer waits until the child is dead.
          fake.pauseAnswers()
          kill('cloud-create')
        })
      }
      if (trigger?.kind === 'cloud-request') on(fake, 'request', () => ++seen === trigger.k && kill('cloud-request'))
      // Registered after the triggers, so the event that fires a trigger is judged before it counts as life.
      on(routerCommands, 'command', alive)
      on(fake, 'request', alive)
      const timer =
        trigger?.kind === 'timer' ? setTimeout(() => kill('timer'), trigger.fraction * (startupMs + lifeMs)) : undefined

      const [code] = await exited
      clearTimeout(timer)
      clearTimeout(fallback)
      liveChildren.delete(child)
      for (const off of disarm) off()
      lines.close()
      fake.resumeAnswers()
      return {
        killed: cause !== undefined,
        aliveMs: aliveMs === undefined ? undefined : Math.round(aliveMs),
        cause: cause ?? 'exit',
        code,
        stderr,
        lifeMs: Math.round(performance.now() - spawnedAt),
      }
    }

    const inFlight = () =>
      core.db
        .prepare(`SELECT id FROM jobs WHERE status IN ('in_progress', 'canceling') AND lease_owner IS NOT NULL`)
        .all() as Array<{ id: string }>

    for (let i = 0; i < (options.initialJobs ?? 24); i++) createViaCore(plan(), 0)

    for (let round = 1; round <= options.rounds; round++) {
      // Between rounds: new work, and now and then a cancel, as an engineer at the keyboard would.
      const fresh = 1 + Math.floor(random() * 4)
      for (let i = 0; i < fresh; i++) createViaCore(plan(), round)
      if (random() < 0.2) {
        const pending = created.filter((job) => core.jobStore.get(job.id)?.status === 'pending')
        const victim = pending[Math.floor(random() * pending.length)]
        if (victim) {
          try {
            core.jobs.cancel(victim.id)
          } catch (error) {
            if (!(error instanceof FieldjobsError)) throw error
          }
        }
      }
      const args = random() < 0.2 ? ['run', '--once'] : ['run']
      const trigger = pickTrigger(random)
      // During the round: a job written by this process while the child runs (SQLite WAL lets two
      // processes write), and every fifth round one through the CLI.
      const whileRunning = random() < 0.3 ? { job: plan(), afterMs: Math.floor(random() * 800) } : undefined
      const viaCli = round % 5 === 3 ? plan() : undefined

      const running = runChild(args, trigger, maxLifeMs)
      const sideWork: Array<Promise<void>> = []
      if (whileRunning) {
        sideWork.push(new Promise((done) => setTimeout(done, whileRunning.afterMs)).then(() => createViaCore(whileRunning.job, round)))
      }
      if (viaCli) sideWork.push(createViaCli(viaCli, round))
      const result = await running
      await Promise.all(sideWork)

      // The probe's first commands at start are a fair sign of startup time; follow it smoothly.
      if (result.aliveMs !== undefined) startupMs = Math.round(0.7 * startupMs + 0.3 * result.aliveMs)
      // Jobs this child held when it died (an earlier child's orphans, not yet reconciled, are not new).
      const caught = inFlight().filter(({ id }) => !interrupted.has(id))
      for (const { id } of caught) interrupted.add(id)
      if (result.killed) {
        kills++
        if (caught.length > 0) killsMidJob++
        triggers[result.cause] = (triggers[result.cause] ?? 0) + 1
      } else {
        cleanExits++
        // `run --once` ends by itself; `run` must run until it is stopped.
        if (!ranCleanly(result) || !args.includes('--once')) {
          const what = args.includes('--once') ? 'failed' : 'ended by itself, though it runs until interrupted'
          problems.push({
            n: 0,
            id: '-',
            kind: 'child',
            status: `exit ${result.code}`,
            problem: `round ${round}: fieldjobs ${args.join(' ')} ${what} (exit ${result.code}): ${result.stderr.trim()}`,
          })
        }
      }
      log(
        `round ${round}/${options.rounds}: ${args.join(' ')}, ${describeTrigger(trigger)} -> ` +
          `${result.killed ? `killed (${result.cause})` : `exited ${result.code}`} after ${result.lifeMs} ms ` +
          `(alive at ${result.aliveMs ?? '-'} ms), ${caught.length} in flight`,
      )
    }

    // The quiet end: `run --once` until nothing is unfinished (the cloud's device needs a pass or
    // two to finish what the last pass created).
    let finalPasses = 0
    const unfinished = () => core.jobStore.count({ statuses: [...OPEN_STATUSES] })
    while (finalPasses < 12) {
      finalPasses++
      const result = await runChild(['run', '--once'], undefined, 60_000)
      if (result.killed || !ranCleanly(result)) {
        problems.push({ n: 0, id: '-', kind: 'child', status: `exit ${result.code}`, problem: `final run --once ${finalPasses}: ${result.stderr.trim()}` })
        break
      }
      const left = unfinished()
      log(`final pass ${finalPasses}: ${left} unfinished`)
      if (left === 0) break
      // The fake's device finishes a job 40 ms after its create; give it that before polling again.
      await new Promise((done) => setTimeout(done, 60))
    }

    // The live hand-off: with everything drained, a job queued through `fieldjobs job create` while
    // `fieldjobs run` runs (two terminals) must run without a restart. The child is then stopped
    // with SIGTERM, which it must survive cleanly. The deadline only bounds a failure.
    const handoffDeadlineMs = 20_000
    const handoffTrigger: Extract<Trigger, { kind: 'finished' }> = { kind: 'finished', id: '' }
    const live = runChild(['run'], handoffTrigger, handoffDeadlineMs)
    // The probe's first command: the child is up and has nothing else to do (or it already died).
    await Promise.race([once(routerCommands, 'command'), live])
    const handoffJob: PlannedJob = { n: nextNumber++, kind: 'lan', site: sites.lan[1] as CrashSite, backup: false }
    await createViaCli(handoffJob, options.rounds + 1)
    handoffTrigger.id = (created[created.length - 1] as CreatedJob).id
    const handoff = await live
    log(`live hand-off: ${handoff.cause} after ${handoff.lifeMs} ms, exit ${handoff.code}`)
    if (handoff.cause !== 'finished' || handoff.code !== 0) {
      problems.push({
        n: handoffJob.n,
        id: handoffTrigger.id,
        kind: handoffJob.kind,
        status: core.jobStore.get(handoffTrigger.id)?.status ?? 'missing',
        problem:
          handoff.cause === 'finished'
            ? `fieldjobs run did not stop cleanly on SIGTERM (exit ${handoff.code}): ${handoff.stderr.trim()}`
            : `queued with fieldjobs job create while fieldjobs run ran, it did not run within ${handoffDeadlineMs / 1000} s (it waits for a restart)`,
      })
    }
    if (handoff.cause !== 'finished') {
      // Let a last pass run it, so the verdict below judges the rest as usual.
      await runChild(['run', '--once'], undefined, 60_000)
    }

    const stored = new Map(

      (core.db.prepare('SELECT id, status, sync_state, cloud_job_id, error_message FROM jobs').all() as StoredJob[]).map((row) => [row.id, row]),
    )
    const routerCounts = lab.routers.map((labRouter) => {
      const counts = new Map<string, number>()
      for (const item of labRouter.router.menu('/ip/firewall/filter').items()) {
        const comment = String(item.values.comment ?? '')
        if (comment.startsWith('crash-')) counts.set(comment, (counts.get(comment) ?? 0) + 1)
      }
      return counts
    })
    const cloudJobsByNumber = new Map<number, number>()
    for (const job of fake.jobs()) {
      const n = numberOf(job.description)
      if (n !== undefined) cloudJobsByNumber.set(n, (cloudJobsByNumber.get(n) ?? 0) + 1)
    }
    const verdict = judgeCrashRun({
      created,
      stored,
      effects: (n) => routerCounts.map((counts) => counts.get(commentOf(n)) ?? 0),
      numbersOnRouters: routerCounts.flatMap((counts) => [...counts.keys()].map((comment) => Number(comment.slice('crash-'.length)))),
      cloudCreatesByKey: fake.counters.createdByKey,
      cloudJobsByNumber,
      cloudJobByKey: (key) => fake.jobByKey(key),
      interrupted,
    })
    const allProblems = [...problems, ...verdict.problems]
    keep = allProblems.length > 0 && options.keepDataDirOnProblems !== false
    const { problems: _judged, ...counts } = verdict
    return {
      seed,
      rounds: options.rounds,
      kills,
      ...counts,
      seconds: Math.round((performance.now() - startedAt) / 100) / 10,
      triggers,
      interrupted: interrupted.size,
      kills_mid_job: killsMidJob,
      clean_exits: cleanExits,
      final_passes: finalPasses,
      problems: allProblems,
      ...(keep ? { data_dir: dataDir } : {}),
    }
  } finally {
    killLiveChildren()
    process.off('exit', killLiveChildren)
    for (const close of closers.reverse()) await close()
    if (!keep) rmSync(dataDir, { recursive: true, force: true })
  }
}
