// `node --import ./record-loads.mjs ...`: appends the URL of every module the process loads to the
// file named by RECORD_LOADS_TO, one per line, so a test can see what a command really loaded.
import { register } from 'node:module'

const hooks = `
import { appendFileSync } from 'node:fs'
export async function load(url, context, nextLoad) {
  if (!url.startsWith('node:')) appendFileSync(${JSON.stringify(process.env.RECORD_LOADS_TO ?? '')}, url + '\\n')
  return nextLoad(url, context)
}`
if (process.env.RECORD_LOADS_TO) register(`data:text/javascript,${encodeURIComponent(hooks)}`)
