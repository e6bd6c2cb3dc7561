// The renderer's entry: mount <App/> with the api the page was given. Electron's preload puts a
// typed `window.api` on the page; `fieldjobs serve` gives the page none, so the browser transport
// (HTTP + WebSocket, in ./transport) provides one. It is imported lazily, so the Electron bundle and
// the component tests never depend on it.
import { createRoot } from 'react-dom/client'
import type { FieldjobsApi } from '../../src-main/contract/ipc-contract'
import { App } from './app/App'
import { loadBrowserApi } from './api/browser-api'
import { errorMessage } from './api/error-message'
import './styles.css'

declare global {
  interface Window {
    api?: FieldjobsApi
  }
}

async function start() {
  const root = createRoot(document.getElementById('root')!)
  try {
    const api = window.api ?? (await loadBrowserApi())
    root.render(<App api={api} />)
  } catch (error) {
    root.render(
      <div className="fatal" role="alert">
        Fieldjobs could not reach its core: {errorMessage(error)}
      </div>,
    )
  }
}

void start()
