// Mounts the whole window on a FakeCore, at a hash, in happy-dom.
import { act, render } from '@testing-library/react'
import { App } from '../../src-renderer/src/app/App'
import { FakeCore } from './fake-api'

// happy-dom lays nothing out: give the job list's scroller a viewport, so the virtualizer renders
// the rows a real window would (560 px = 20 rows), and nothing else pretends to have a size.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return this.classList.contains('job-scroll') ? 560 : 0
  },
})
Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
  configurable: true,
  get(this: HTMLElement) {
    return this.classList.contains('job-scroll') ? 900 : 0
  },
})

export function renderApp(core: FakeCore, hash = '#/jobs') {
  window.location.hash = hash
  return render(<App api={core.api()} />)
}

export async function go(hash: string) {
  await act(async () => {
    window.location.hash = hash
    window.dispatchEvent(new HashChangeEvent('hashchange'))
  })
}

export { FakeCore }
