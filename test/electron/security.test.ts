import { describe, expect, it } from 'vitest'
import {
  contentSecurityPolicy,
  isSafeExternalUrl,
  isTrustedSender,
  metaContentSecurityPolicy,
  navigationDecision,
  permissionDecision,
  type TrustedOrigins,
  windowOpenDecision,
  withSecurityHeaders,
} from '../../src-main/electron/security'

const packaged: TrustedOrigins = { indexFileUrl: 'file:///opt/Fieldjobs/resources/app.asar/out/renderer/index.html' }
const dev: TrustedOrigins = { ...packaged, devServerUrl: 'http://localhost:5173' }
const windows: TrustedOrigins = { indexFileUrl: 'file:///C:/Program%20Files/Fieldjobs/resources/app.asar/out/renderer/index.html' }

describe('isTrustedSender', () => {
  it.each([
    'file:///opt/Fieldjobs/resources/app.asar/out/renderer/index.html',
    'file:///opt/Fieldjobs/resources/app.asar/out/renderer/index.html#/jobs',
    'file:///opt/Fieldjobs/resources/app.asar/out/renderer/../renderer/index.html',
  ])('trusts our own index: %s', (url) => {
    expect(isTrustedSender(url, packaged)).toBe(true)
  })

  it('trusts the Windows index path', () => {
    expect(isTrustedSender('file:///C:/Program%20Files/Fieldjobs/resources/app.asar/out/renderer/index.html', windows)).toBe(true)
  })

  it.each([
    ['another file', 'file:///opt/Fieldjobs/resources/app.asar/out/renderer/other.html'],
    ['a file elsewhere', 'file:///tmp/index.html'],
    ['a downloaded page with the same name', 'file:///home/me/Downloads/out/renderer/index.html'],
    ['a UNC path (file URL with a host)', 'file://evil.test/opt/Fieldjobs/resources/app.asar/out/renderer/index.html'],
    ['a query string', 'file:///opt/Fieldjobs/resources/app.asar/out/renderer/index.html?x=1'],
    ['a percent-encoded name', 'file:///opt/Fieldjobs/resources/app.asar/out/renderer/%69ndex.html'],
    ['an encoded slash', 'file:///opt/Fieldjobs/resources/app.asar/out%2Frenderer%2Findex.html'],
    ['a trailing dot segment', 'file:///opt/Fieldjobs/resources/app.asar/out/renderer/index.html/..'],
    ['http', 'http://evil.test/'],
    ['https', 'https://evil.test/out/renderer/index.html'],
    ['localhost without a dev server configured', 'http://localhost:5173/'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['javascript:', 'javascript:alert(1)'],
    ['about:blank', 'about:blank'],
    ['about:srcdoc', 'about:srcdoc'],
    ['devtools:', 'devtools://devtools/bundled/inspector.html'],
    ['chrome:', 'chrome://gpu'],
    ['blob:', 'blob:file:///0c8f2b4e-0000-4000-8000-000000000000'],
    ['view-source:', 'view-source:file:///opt/Fieldjobs/resources/app.asar/out/renderer/index.html'],
    ['empty', ''],
    ['not a URL', 'index.html'],
  ])('refuses %s', (_name, url) => {
    expect(isTrustedSender(url, packaged)).toBe(false)
  })

  it('refuses missing URLs and absurd lengths', () => {
    expect(isTrustedSender(undefined, packaged)).toBe(false)
    expect(isTrustedSender(null, packaged)).toBe(false)
    expect(isTrustedSender(`${packaged.indexFileUrl}#${'a'.repeat(5000)}`, packaged)).toBe(false)
  })

  it.each(['http://localhost:5173/', 'http://localhost:5173/src/main.tsx', 'http://localhost:5173/#/sites'])('trusts the dev server: %s', (url) => {
    expect(isTrustedSender(url, dev)).toBe(true)
  })

  it.each([
    ['credentials that hide another host', 'http://localhost:5173@evil.test/'],
    ['credentials on our host', 'http://evil.test@localhost:5173/'],
    ['user and password', 'http://a:b@localhost:5173/'],
    ['another port', 'http://localhost:5174/'],
    ['another host name for loopback', 'http://127.0.0.1:5173/'],
    ['https instead of http', 'https://localhost:5173/'],
    ['a look-alike host', 'http://localhost.evil.test:5173/'],
    ['an encoded host', 'http://%6cocalhost:5173.evil.test/'],
    ['ws', 'ws://localhost:5173/'],
  ])('refuses, with a dev server, %s', (_name, url) => {
    expect(isTrustedSender(url, dev)).toBe(false)
  })
})

describe('navigation and new windows', () => {
  it('allows navigation to our own page only', () => {
    expect(navigationDecision(packaged.indexFileUrl, packaged)).toBe('allow')
    for (const url of ['https://evil.test/', 'file:///etc/passwd', 'javascript:alert(1)', 'about:blank', 'data:text/html,x']) {
      expect(navigationDecision(url, packaged)).toBe('deny')
    }
  })

  it.each([
    ['https://v1.api.altostrat.io/logs/123', true],
    ['https://docs.example.test/page#x', true],
    ['http://example.test/', false],
    ['https://user:pass@example.test/', false],
    ['file:///etc/passwd', false],
    ['smb://server/share', false],
    ['javascript:alert(1)', false],
    ['ms-msdt:/id PCWDiagnostic', false],
    ['data:text/html,x', false],
    ['not a url', false],
  ])('window.open(%s) never opens a window; handed to the OS browser: %s', (url, external) => {
    expect(windowOpenDecision(url)).toEqual({ action: 'deny', openExternally: external })
    expect(isSafeExternalUrl(url)).toBe(external)
  })
})

describe('permissionDecision', () => {
  it.each([
    'media',
    'geolocation',
    'notifications',
    'midi',
    'midiSysex',
    'pointerLock',
    'fullscreen',
    'openExternal',
    'clipboard-read',
    'display-capture',
    'hid',
    'serial',
    'usb',
    'idle-detection',
    'unknown',
  ])('denies %s, even to our own page', (permission) => {
    expect(permissionDecision(permission, packaged.indexFileUrl, packaged)).toBe(false)
  })

  it('grants clipboard writes to our page only', () => {
    expect(permissionDecision('clipboard-sanitized-write', packaged.indexFileUrl, packaged)).toBe(true)
    expect(permissionDecision('clipboard-sanitized-write', 'https://evil.test/', packaged)).toBe(false)
    expect(permissionDecision('clipboard-sanitized-write', undefined, packaged)).toBe(false)
  })
})

describe('content security policy', () => {
  const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]))

  it('allows only our own scripts in production: no inline, no eval', () => {
    const policy = directives(contentSecurityPolicy('production'))
    expect(policy.get('script-src')).toEqual(["'self'"])
    expect(policy.get('default-src')).toEqual(["'self'"])
    expect(policy.get('object-src')).toEqual(["'none'"])
    expect(policy.get('connect-src')).toEqual(["'self'"])
    expect(policy.get('frame-ancestors')).toEqual(["'none'"])
    expect(contentSecurityPolicy('production')).not.toContain('unsafe-eval')
  })

  it('relaxes only script inlining and the HMR socket in development', () => {
    const policy = directives(contentSecurityPolicy('development', 'http://localhost:5173'))
    expect(policy.get('script-src')).toEqual(["'self'", "'unsafe-inline'"])
    expect(policy.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173'])
    expect(contentSecurityPolicy('development')).not.toContain('unsafe-eval')
  })

  it('leaves frame-ancestors out of the meta (browsers ignore it there)', () => {
    expect(metaContentSecurityPolicy()).not.toContain('frame-ancestors')
    expect(metaContentSecurityPolicy()).toContain("script-src 'self'")
  })

  it('sets the header on our pages, replacing any other policy, and leaves other responses alone', () => {
    const ours = withSecurityHeaders('http://localhost:5173/', { 'content-security-policy': ["script-src *"], Server: ['vite'] }, dev, 'development')
    expect(ours['Content-Security-Policy']).toEqual([contentSecurityPolicy('development', 'http://localhost:5173')])
    expect(ours).not.toHaveProperty('content-security-policy')
    expect(ours.Server).toEqual(['vite'])
    expect(ours['X-Content-Type-Options']).toEqual(['nosniff'])

    const theirs = { 'Content-Type': ['text/html'] }
    expect(withSecurityHeaders('https://evil.test/', theirs, dev, 'production')).toBe(theirs)
  })
})
