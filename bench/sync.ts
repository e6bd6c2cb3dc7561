// `npm run bench -- sync`: the cloud outbox against the SDX fake on loopback (the fake runs in its
// own process, as the cloud would).
//  - sync_10k_s, requests_per_job: 10,000 queued jobs created on the fake, no rate limit, several
//    requests in flight over keep-alive connections. Goals: <= 5 s, <= 1.05.
//  - duplicates, lost: the same with faults (10% of creates dropped after commit, 5% 500s). Goal 0, 0.
//  - rate_limit_utilisation, self_caused_429: the fake limits to 60 requests per 2 s (SDX's 60 a
//    minute, scaled down in time) and the client paces at that limit. Utilisation is the sustained
//    rate, requests / (last - first + window), over the allowed rate (a perfect pacer scores 1.0; the
//    first window's burst is not counted twice). Goals: >= 0.9 and 0.
// Medians of several runs.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import type { FieldjobsCore } from '../src-main/core/app/fieldjobs-core'
import { CloudClient } from '../src-main/core/cloud/cloud-client'
import { SyncEngine } from '../src-main/core/cloud/sync-engine'
import { repoRoot } from '../test/support/repo-root'
import { openTempCore, tempDataDir } from '../test/support/temp-core'
import { median, round } from './stats'

const JOBS = 10_000
const RUNS = 3
const CONCURRENCY = 32
const RATE = { requests: 60, windowMs: 2_000 }
const RATE_JOBS = 240

interface FakeProcess {
  url: string
  token: string
  child: ChildProcess
  counters(): Promise<{ requests: number; rateLimited: number; jobsCreated: number; duplicates: string[]; createdByKey: Record<string, number> }>
  configure(config: unknown): Promise<void>
}

async function startFake(): Promise<FakeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/cloud-fake/start.ts', '--port', '0', '--json', '--start-after', 'never'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const line = await new Promise<string>((done, failed) => {
    let text = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8')
      if (text.includes('\n')) done(text.split('\n')[0] as string)
    })
    child.once('exit', (code) => failed(new Error(`the fake exited with ${code}`)))
  })
  const { url, token } = JSON.parse(line) as { url: string; token: string }
  return {
    url,
    token,
    child,
    counters: async () => (await fetch(`${url}/__fake/counters`)).json() as never,
    configure: async (config) => {
      await fetch(`${url}/__fake/config`, { method: 'POST', body: JSON.stringify(config) })
    },
  }
}

/** A fresh data folder with `count` cloud jobs in the outbox (not timed). */
function queue(count: number) {
  const { core, cleanup } = openTempCore({ dataDir: tempDataDir('fieldjobs-bench-sync-') })
  const site = core.addSite({ name: 'bench', host: '127.0.0.1', username: 'admin', cloud_site_id: randomUUID() })
  core.db.transaction(() => {
    for (let i = 0; i < count; i++) {
      core.jobs.create({ site_id: site.id, description: `bench job ${i}`, script: `/system identity set name=bench-${i}`, route: 'cloud' })
    }
  })()
  // No queue engine runs on this core, so cleanup's short grace changes nothing.
  return { core, close: cleanup }
}

function engineFor(core: FieldjobsCore, client: CloudClient, concurrency = CONCURRENCY) {
  return new SyncEngine({ core, client, concurrency, pollIntervalMs: 3_600_000, offlineBackoff: { baseMs: 10, capMs: 100 } })
}

async function cleanRun(fake: FakeProcess) {
  const { core, close } = queue(JOBS)
  const client = new CloudClient({ baseUrl: fake.url, token: fake.token, rateLimit: null, maxSockets: CONCURRENCY })
  await fake.configure({ faults: {}, rateLimit: null, resetCounters: true })
  const started = performance.now()
  const summary = await engineFor(core, client).runOnce()
  const seconds = (performance.now() - started) / 1000
  const counters = await fake.counters()
  client.close()
  await close()
  if (summary.created !== JOBS || summary.waiting !== 0) throw new Error(`clean run left work: ${JSON.stringify(summary)}`)
  return { seconds, requestsPerJob: counters.requests / JOBS }
}

async function faultyRun(fake: FakeProcess, seed: number) {
  const { core, close } = queue(JOBS)
  const client = new CloudClient({
    baseUrl: fake.url,
    token: fake.token,
    rateLimit: null,
    maxSockets: CONCURRENCY,
    retry: { baseMs: 5, capMs: 50, maxAttempts: 6 },
  })
  await fake.configure({ faults: { dropAfterCommitRate: 0.1, serverErrorRate: 0.05, seed }, rateLimit: null, resetCounters: true })
  const started = performance.now()
  const engine = engineFor(core, client)
  for (let round = 0; round < 20; round++) if ((await engine.runOnce()).waiting === 0) break
  const seconds = (performance.now() - started) / 1000
  const counters = await fake.counters()
  const rows = core.db.prepare('SELECT idempotency_key, cloud_job_id FROM jobs').all() as Array<{ idempotency_key: string; cloud_job_id: string | null }>
  const lost = rows.filter((row) => row.cloud_job_id === null || counters.createdByKey[row.idempotency_key] === undefined).length
  client.close()
  await close()
  return { seconds, duplicates: counters.duplicates.length, lost, requestsPerJob: counters.requests / JOBS }
}

async function rateLimitedRun(fake: FakeProcess) {
  const { core, close } = queue(RATE_JOBS)
  const sent: number[] = []
  const client = new CloudClient({
    baseUrl: fake.url,
    token: fake.token,
    rateLimit: RATE,
    maxSockets: 8,
    onAnswer: () => sent.push(performance.now()),
  })
  await fake.configure({ faults: {}, rateLimit: RATE, resetCounters: true })
  const summary = await engineFor(core, client, 8).runOnce()
  const counters = await fake.counters()
  client.close()
  await close()
  if (summary.waiting !== 0) throw new Error(`rate-limited run left work: ${JSON.stringify(summary)}`)
  const spanMs = (sent.at(-1) as number) - (sent[0] as number) + RATE.windowMs
  const achieved = counters.requests / (spanMs / 1000)
  const allowed = RATE.requests / (RATE.windowMs / 1000)
  return { utilisation: achieved / allowed, selfCaused429: counters.rateLimited }
}

export async function run(): Promise<Record<string, unknown>> {
  const fake = await startFake()
  try {
    const clean = []
    for (let i = 0; i < RUNS; i++) clean.push(await cleanRun(fake))
    const faulty = []
    for (let i = 0; i < RUNS; i++) faulty.push(await faultyRun(fake, i + 1))
    const limited = []
    for (let i = 0; i < 2; i++) limited.push(await rateLimitedRun(fake))
    return {
      jobs: JOBS,
      runs: RUNS,
      concurrency: CONCURRENCY,
      sync_10k_s: round(median(clean.map((r) => r.seconds))),
      sync_10k_s_runs: clean.map((r) => round(r.seconds)),
      requests_per_job: round(median(clean.map((r) => r.requestsPerJob)), 3),
      faults: '10% of creates dropped after commit, 5% 500s',
      faulty_sync_10k_s: round(median(faulty.map((r) => r.seconds))),
      faulty_requests_per_job: round(median(faulty.map((r) => r.requestsPerJob)), 3),
      duplicates: Math.max(...faulty.map((r) => r.duplicates)),
      lost: Math.max(...faulty.map((r) => r.lost)),
      rate_limit: `${RATE.requests} per ${RATE.windowMs} ms, ${RATE_JOBS} jobs`,
      rate_limit_utilisation: round(median(limited.map((r) => r.utilisation)), 3),
      self_caused_429: Math.max(...limited.map((r) => r.selfCaused429)),
    }
  } finally {
    fake.child.kill('SIGTERM')
  }
}
