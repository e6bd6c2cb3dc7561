// Templated scripts: one script for a fleet, with per-router values. `{{site.name}}`,
// `{{site.host}}`, `{{site.identity}}` (as last seen by a probe) and `{{var.KEY}}` (the site's
// variables) are filled in when the job is created, so the job stores, syncs and runs plain RouterOS.
//
// Only `{{ name }}` with a dotted name is a placeholder. RouterOS never writes that: its variables are
// `$name`, its commands in `[...]`, and a nested block `{{:put 1}}` has no name inside, so it is left
// as it is. `\{{` is a literal `{{` for the rare script that needs one.
import { FieldjobsError } from '../errors'

const PLACEHOLDER = /\\\{\{|\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g
const SITE_FIELDS = ['name', 'host', 'identity'] as const

/** What a site offers a template: its fields and its variables. */
export interface TemplateSite {
  name: string
  host: string
  /** The router's identity as last seen (a probe or discovery); null when never seen. */
  identity: string | null
  vars: Readonly<Record<string, string>>
}

export interface RenderedScript {
  script: string
  /** Each placeholder used and what it became, for the job's record. */
  values: Record<string, string>
}

/** A placeholder a site cannot fill, said so the user knows what to set. */
export interface MissingValue {
  site: string
  key: string
  fix: string
}

/**
 * The script with each placeholder turned into as many `x` as it is long, so a lint of the
 * template reads plain RouterOS at the same lines and columns.
 */
export function maskPlaceholders(script: string): string {
  return script.replace(PLACEHOLDER, (whole, name: string | undefined) => (name === undefined ? whole : 'x'.repeat(whole.length)))
}

/** True when the script has placeholders (or an escaped `{{`) to render. */
export function isTemplate(script: string): boolean {
  PLACEHOLDER.lastIndex = 0
  return PLACEHOLDER.test(script)
}

/**
 * Fills a template for one site. Returns the missing values instead of throwing, so a batch can
 * name every site and key at once. An unknown placeholder (`{{sites.name}}`) is refused at once:
 * it is a typo, not a missing value.
 */
export function renderScript(template: string, site: TemplateSite): { rendered: RenderedScript; missing: MissingValue[] } {
  const values: Record<string, string> = {}
  const missing: MissingValue[] = []
  const script = template.replace(PLACEHOLDER, (whole, name: string | undefined) => {
    if (name === undefined) return '{{' // the escape `\{{`
    const value = lookup(name, site, missing)
    if (value !== undefined) values[name] = value
    return value ?? whole
  })
  return { rendered: { script, values }, missing }
}

function lookup(name: string, site: TemplateSite, missing: MissingValue[]): string | undefined {
  const [scope, key, ...rest] = name.split('.')
  if (scope === 'site' && rest.length === 0 && (SITE_FIELDS as readonly string[]).includes(key ?? '')) {
    if (key === 'name') return site.name
    if (key === 'host') return site.host
    if (site.identity !== null) return site.identity
    missing.push({ site: site.name, key: name, fix: `its identity is not known yet: run fieldjobs site check ${site.name}` })
    return undefined
  }
  if (scope === 'var' && key && rest.length === 0) {
    if (Object.hasOwn(site.vars, key)) return site.vars[key]
    missing.push({ site: site.name, key: name, fix: `fieldjobs site var set ${site.name} ${key} VALUE` })
    return undefined
  }
  throw new FieldjobsError(
    'validation',
    `script: {{${name}}} is not a placeholder Fieldjobs knows: use {{site.name}}, {{site.host}}, {{site.identity}} or {{var.KEY}}; ` +
      'write \\{{ for a literal {{',
  )
}

/** The refusal for missing values: every site and key, so one round of `site var set` fixes them all. */
export function missingValuesError(missing: readonly MissingValue[]): FieldjobsError {
  const lines = missing.map((entry) => `site "${entry.site}" has no value for {{${entry.key}}} (${entry.fix})`)
  // One message, no per-field issues: the sentence that nothing was created must reach the user whole.
  return new FieldjobsError('validation', `the template cannot be filled in, so no job was created: ${lines.join('; ')}`)
}
