// Debian's Chromium, driven by playwright-core (no browser download). A persistent context in a
// fresh temporary profile: Chromium refuses a --user-data-dir argument from playwright.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

export interface Chromium {
  context: BrowserContext
  close(): Promise<void>
}

export interface LaunchOptions {
  viewport?: { width: number; height: number }
  /** For measuring only: lets in-page timing code given as text run under the page's strict CSP. */
  bypassCSP?: boolean
}

export async function launchChromium({ viewport = { width: 1360, height: 820 }, bypassCSP = false }: LaunchOptions = {}): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium; .ci/run does it)`)
  }
  const profile = mkdtempSync(join(tmpdir(), 'fieldjobs-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    bypassCSP,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
