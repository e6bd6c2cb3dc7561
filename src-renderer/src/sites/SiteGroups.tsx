// A site's tags (the groups a batch or a backup run selects by) and variables (what a templated
// script's {{var.KEY}} becomes on this router), edited in place. Each change is one sites:update.
import { type FormEvent, useState } from 'react'
import type { Site } from '../../../src-main/contract/site-schema'
import { useApi } from '../api/api-context'
import { errorMessage } from '../api/error-message'

export function SiteGroups({ site }: { site: Site }) {
  const api = useApi()
  const [tag, setTag] = useState('')
  const [key, setKey] = useState('')
  const [value, setValue] = useState('')
  const [error, setError] = useState<string | null>(null)

  // The updated site arrives as site.changed and re-renders this with it.
  const save = async (change: { tags?: string[]; vars?: Record<string, string> }) => {
    setError(null)
    try {
      await api['sites:update']({ id: site.id, ...change })
      return true
    } catch (failure) {
      setError(errorMessage(failure))
      return false
    }
  }
  const addTag = async (event: FormEvent) => {
    event.preventDefault()
    if (tag.trim() && (await save({ tags: [...site.tags, tag.trim()] }))) setTag('')
  }
  const setVariable = async (event: FormEvent) => {
    event.preventDefault()
    if (key.trim() && (await save({ vars: { ...site.vars, [key.trim()]: value } }))) {
      setKey('')
      setValue('')
    }
  }
  const withoutVar = (name: string) => Object.fromEntries(Object.entries(site.vars).filter(([candidate]) => candidate !== name))

  return (
    <section className="site-groups" aria-label="Tags and variables" data-testid="site-groups">
      <h3>Tags</h3>
      <ul className="tags" data-testid="site-tags">
        {site.tags.map((name) => (
          <li key={name} className="tag" data-tag={name}>
            {name}{' '}
            <button type="button" className="link" aria-label={`remove tag ${name}`} onClick={() => void save({ tags: site.tags.filter((other) => other !== name) })}>
              ×
            </button>
          </li>
        ))}
        {site.tags.length === 0 && <li className="dim">none: batches and backup runs can pick this site by a tag</li>}
      </ul>
      <form onSubmit={addTag} className="inline-form">
        <input aria-label="new tag" value={tag} onChange={(event) => setTag(event.target.value)} placeholder="branch-north" data-testid="new-tag" />
        <button type="submit" data-testid="add-tag">
          Add tag
        </button>
      </form>

      <h3>Variables</h3>
      <table className="mini-table" data-testid="site-vars">
        <tbody>
          {Object.entries(site.vars)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, current]) => (
              <tr key={name} data-var={name}>
                <td className="mono">{`{{var.${name}}}`}</td>
                <td className="mono">{current}</td>
                <td>
                  <button type="button" className="link" aria-label={`remove variable ${name}`} onClick={() => void save({ vars: withoutVar(name) })}>
                    remove
                  </button>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      <form onSubmit={setVariable} className="inline-form">
        <input aria-label="variable name" value={key} onChange={(event) => setKey(event.target.value)} placeholder="dns" data-testid="new-var-key" />
        <input aria-label="variable value" value={value} onChange={(event) => setValue(event.target.value)} placeholder="1.1.1.1" data-testid="new-var-value" />
        <button type="submit" data-testid="set-var">
          Set
        </button>
      </form>
      {error && (
        <p className="notice error" role="alert" data-testid="site-groups-error">
          {error}
        </p>
      )}
    </section>
  )
}
