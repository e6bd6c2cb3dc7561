// Serves the built window (out/renderer) read-only. Paths are resolved inside the folder and checked
// to stay there: no `..`, no encoded slashes or NUL, no dotfiles, no symlinks out of it.
import { realpathSync, statSync } from 'node:fs'
import { extname, join, resolve, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
}

export interface StaticFile {
  file: string
  contentType: string
  size: number
}

/** Maps a URL path to a file under `root`, or undefined (404). `/` is index.html. */
export function resolveStaticFile(root: string, urlPath: string): StaticFile | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined
  const segments = decoded.split('/').filter((segment) => segment !== '')
  if (segments.some((segment) => segment === '..' || segment.startsWith('.'))) return undefined
  const relative = segments.length === 0 ? ['index.html'] : segments
  const contentType = CONTENT_TYPES[extname(relative[relative.length - 1]).toLowerCase()]
  if (!contentType) return undefined
  try {
    const realRoot = realpathSync(root)
    const file = realpathSync(join(resolve(root), ...relative))
    if (!file.startsWith(realRoot + sep)) return undefined
    const stat = statSync(file)
    if (!stat.isFile()) return undefined
    return { file, contentType, size: stat.size }
  } catch {
    return undefined
  }
}
