// A child process for the crash test: syncs the data folder's outbox to the cloud (FIELDJOBS_*
// variables) round after round until nothing waits, then prints its last summary. The test kills
// it with SIGKILL in the middle.
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { startCloudSync } from '../../src-main/core/cloud/start-cloud-sync'

const dataDir = process.env.FIELDJOBS_DATA_DIR
if (!dataDir) throw new Error('set FIELDJOBS_DATA_DIR')
const core = FieldjobsCore.open({ dataDir })
const sync = startCloudSync(core, {
  env: process.env,
  start: false,
  concurrency: 4,
  rateLimit: null,
  client: { retry: { baseMs: 2, capMs: 20, maxAttempts: 6 } },
})
if (!sync.engine) throw new Error('no cloud token in FIELDJOBS_API_TOKEN')
process.stdout.write('ready\n')
for (;;) {
  const summary = await sync.engine.runOnce()
  if (summary.waiting === 0) {
    process.stdout.write(`${JSON.stringify(summary)}\n`)
    break
  }
}
await sync.stop()
await core.close()
