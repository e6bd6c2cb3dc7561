// The template renderer alone: what is a placeholder, what is RouterOS and left alone, what is missing.
import { describe, expect, it } from 'vitest'
import { FieldjobsError } from '../../src-main/core/errors'
import { isTemplate, missingValuesError, renderScript } from '../../src-main/core/templates/script-template'

const site = { name: 'depot', host: '10.0.0.7', identity: 'depot-gw', vars: { dns: '1.1.1.1', vlan_id: '20' } }

describe('script templates', () => {
  it('fills site fields and variables, and records each value used', () => {
    const { rendered, missing } = renderScript('/system identity set name={{site.name}}-gw\n/ip dns set servers={{ var.dns }}\n:put "{{site.host}} {{site.identity}}"\n', site)
    expect(missing).toEqual([])
    expect(rendered.script).toBe('/system identity set name=depot-gw\n/ip dns set servers=1.1.1.1\n:put "10.0.0.7 depot-gw"\n')
    expect(rendered.values).toEqual({ 'site.name': 'depot', 'var.dns': '1.1.1.1', 'site.host': '10.0.0.7', 'site.identity': 'depot-gw' })
  })

  it("never touches RouterOS's own $var, [...] and nested blocks; \\{{ is a literal {{", () => {
    const script = ':local n [/system identity get name]\n:if ($n != "x") do={{:put $n}}\n:put "\\{{site.name}}"\n'
    const { rendered } = renderScript(script, site)
    expect(rendered.script).toBe(':local n [/system identity get name]\n:if ($n != "x") do={{:put $n}}\n:put "{{site.name}}"\n')
    expect(isTemplate(':local n [/system identity get name]\n:if ($n != "x") do={{:put $n}}\n')).toBe(false)
  })

  it('lists every missing value with how to set it, and refuses an unknown placeholder at once', () => {
    const { missing } = renderScript('{{var.ntp}} {{var.dns}} {{site.identity}}', { ...site, identity: null })
    expect(missing).toEqual([
      { site: 'depot', key: 'var.ntp', fix: 'fieldjobs site var set depot ntp VALUE' },
      { site: 'depot', key: 'site.identity', fix: 'its identity is not known yet: run fieldjobs site check depot' },
    ])
    expect(missingValuesError(missing).message).toContain('site "depot" has no value for {{var.ntp}}')
    expect(() => renderScript('{{sites.name}}', site)).toThrow(FieldjobsError)
    expect(() => renderScript('{{sites.name}}', site)).toThrow(/not a placeholder Fieldjobs knows/)
  })
})
