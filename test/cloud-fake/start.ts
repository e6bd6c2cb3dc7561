// `npx tsx test/cloud-fake/start.ts --port P [--rate N/WINDOW_MS] [--start-after MS|never] [--finish-after MS]
//  [--token T]`: starts the SDX Jobs API fake on 127.0.0.1 and prints its URL and token (with --json,
// one JSON line), for manual runs of `fieldjobs sync` and for the benchmark's child process.
import { parseArgs } from 'node:util'
import { CloudFake } from './cloud-fake'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    token: { type: 'string' },
    rate: { type: 'string' },
    'start-after': { type: 'string' },
    'finish-after': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  strict: true,
})

function rateLimit(text: string | undefined) {
  if (!text) return null
  const match = /^(\d+)\/(\d+)$/.exec(text)
  if (!match) throw new Error(`--rate must be REQUESTS/WINDOW_MS, like 60/60000, not "${text}"`)
  return { requests: Number(match[1]), windowMs: Number(match[2]) }
}

const fake = await CloudFake.start({
  port: Number(values.port),
  token: values.token,
  rateLimit: rateLimit(values.rate),
  device: {
    // `never`: the device never picks jobs up (the benchmark measures syncing, not running).
    startAfterMs: values['start-after'] === 'never' ? null : values['start-after'] === undefined ? 2_000 : Number(values['start-after']),
    finishAfterMs: values['finish-after'] === undefined ? 3_000 : Number(values['finish-after']),
  },
})
if (values.json) {
  process.stdout.write(`${JSON.stringify({ url: fake.url, token: fake.token })}\n`)
} else {
  process.stdout.write(`SDX Jobs API fake listening on ${fake.url}\n`)
  process.stdout.write(`FIELDJOBS_API_URL=${fake.url}\nFIELDJOBS_API_TOKEN=${fake.token}\n`)
}
const stop = () => void fake.close().then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
