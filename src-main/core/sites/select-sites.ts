// Which sites a fleet command means: `--sites A,B`, `--tag T` or `--all`, exactly one of them. One
// function, so `backup run` and later fleet commands pick sites the same way.
import type { Site } from '../../contract/site-schema'
import { FieldjobsError } from '../errors'
import type { FieldjobsCore } from '../app/fieldjobs-core'

export interface SiteSelection {
  sites?: string[]
  tag?: string
  all?: boolean
}

export function selectSites(core: FieldjobsCore, selection: SiteSelection): Site[] {
  const given = [selection.sites !== undefined, selection.tag !== undefined, selection.all === true].filter(Boolean).length
  if (given !== 1) throw new FieldjobsError('validation', 'say which sites: exactly one of --sites A,B, --tag T or --all')
  if (selection.all) return core.siteStore.list()
  if (selection.sites) {
    const names = selection.sites.map((name) => name.trim()).filter(Boolean)
    if (names.length === 0) throw new FieldjobsError('validation', '--sites needs at least one site name, like --sites office,depot')
    const missing: string[] = []
    const sites: Site[] = []
    for (const name of names) {
      try {
        sites.push(core.siteStore.find(name))
      } catch {
        missing.push(name)
      }
    }
    if (missing.length) throw new FieldjobsError('not_found', `no site named ${missing.map((name) => `"${name}"`).join(', ')}: see fieldjobs site list`)
    return [...new Map(sites.map((site) => [site.id, site])).values()]
  }
  const tagged = core.siteStore.withTag(selection.tag ?? '')
  if (tagged.length === 0) throw new FieldjobsError('not_found', `no site has the tag "${selection.tag}": see fieldjobs site list --tag`)
  return tagged
}
