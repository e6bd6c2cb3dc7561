// Discover: find the routers on the LAN by MNDP (as WinBox's Neighbors tab does), see which are
// sites already, and add the others: "Add" opens the Sites add form filled from the announcement.
import { type FormEvent, useEffect, useRef, useState } from 'react'
import type { DiscoveredRouter, DiscoveryScanResult } from '../../../src-main/contract/discovery-schema'
import { useApi } from '../api/api-context'
import { errorMessage } from '../api/error-message'
import { navigate, type Route, routeHref } from '../app/route'
import { counted } from '../../../src-main/contract/counted'

const DEFAULT_TIMEOUT_S = 3

/** Uptime as RouterOS prints it (1d2h3m), short enough for a table cell. */
export function formatUptime(seconds: number | null): string {
  if (seconds === null) return ''
  const days = Math.floor(seconds / 86_400)
  const hours = Math.floor((seconds % 86_400) / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  return `${days ? `${days}d` : ''}${days || hours ? `${hours}h` : ''}${minutes}m`
}

/** Where "Add" goes: the Sites add form with name, host and port from the announcement. */
export function addSiteHref(router: DiscoveredRouter): string {
  return routeHref('sites', undefined, {
    add: '1',
    name: router.identity ?? undefined,
    host: router.ipv4 ?? undefined,
    port: router.api_port === null ? undefined : String(router.api_port),
    mac: router.mac,
  })
}

export function DiscoverScreen({ route }: { route: Route }) {
  const api = useApi()
  const [timeout, setTimeoutText] = useState(String(DEFAULT_TIMEOUT_S))
  // A lab on a loopback port (`fieldjobs lab --mndp-port P`); empty listens on UDP 5678.
  const [port, setPort] = useState(route.params.port ?? '')
  const [scanning, setScanning] = useState<{ startedAt: number; timeout_s: number } | null>(null)
  const [elapsedMs, setElapsedMs] = useState(0)
  const [result, setResult] = useState<DiscoveryScanResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  // Routers announce IPv6 only where it is configured: an always-empty column would push the rest
  // past a laptop's width.
  const withIpv6 = result?.routers.some((router) => router.ipv6) ?? false
  const mounted = useRef(true)
  useEffect(() => () => void (mounted.current = false), [])

  // The scan is one call that answers after timeout_s: the bar shows how much of it has passed.
  useEffect(() => {
    if (!scanning) return
    const timer = setInterval(() => setElapsedMs(Date.now() - scanning.startedAt), 100)
    return () => clearInterval(timer)
  }, [scanning])

  const timeoutS = Number(timeout)
  const portNumber = port.trim() === '' ? undefined : Number(port)
  const inputError =
    !Number.isInteger(timeoutS) || timeoutS < 1 || timeoutS > 60
      ? 'Listen for 1 to 60 seconds.'
      : portNumber !== undefined && (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65534)
        ? 'The port is 1 to 65534, or empty for UDP 5678.'
        : null

  const scan = async (event: FormEvent) => {
    event.preventDefault()
    if (inputError || scanning) return
    setError(null)
    setElapsedMs(0)
    setScanning({ startedAt: Date.now(), timeout_s: timeoutS })
    try {
      const answer = await api['discovery:scan']({ timeout_s: timeoutS, port: portNumber })
      if (mounted.current) setResult(answer)
    } catch (failure) {
      if (mounted.current) setError(errorMessage(failure))
    } finally {
      if (mounted.current) setScanning(null)
    }
  }

  return (
    <div className="discover">
      <form className="toolbar" onSubmit={scan}>
        <h1>Discover</h1>
        <label>
          listen{' '}
          <input
            className="narrow"
            inputMode="numeric"
            value={timeout}
            onChange={(event) => setTimeoutText(event.target.value)}
            aria-label="seconds to listen"
            data-testid="discover-timeout"
          />{' '}
          s
        </label>
        <label>
          UDP port{' '}
          <input
            className="narrow"
            inputMode="numeric"
            placeholder="5678"
            value={port}
            onChange={(event) => setPort(event.target.value)}
            data-testid="discover-port"
          />
        </label>
        <button type="submit" className="primary" disabled={scanning !== null || inputError !== null} data-testid="discover-scan">
          {scanning ? 'Scanning…' : 'Scan'}
        </button>
        {scanning && (
          <span className="batch-progress" role="status" data-testid="discover-progress">
            <progress max={scanning.timeout_s * 1000} value={Math.min(elapsedMs, scanning.timeout_s * 1000)} />
            listening for announcements, {Math.min(Math.floor(elapsedMs / 1000), scanning.timeout_s)} of {scanning.timeout_s} s
          </span>
        )}
        {result && !scanning && (
          <span className="count" data-testid="discover-count">
            {counted(result.routers.length, 'router')}
            {result.skipped > 0 ? `, ${counted(result.skipped, 'packet')} skipped (not MNDP)` : ''}
          </span>
        )}
      </form>
      {inputError && <p className="notice error">{inputError}</p>}
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      {!result && !scanning && !error && (
        <p className="empty">Scan sends an MNDP refresh and lists the MikroTik routers that answer on this LAN.</p>
      )}
      {result && result.routers.length === 0 && <p className="empty">No router answered. Is this machine on the routers' LAN, and is UDP 5678 open?</p>}
      {result && result.routers.length > 0 && (
        <table className="mini-table discover-table" data-testid="discover-table">
          <thead>
            <tr>
              <th>identity</th>
              <th>site</th>
              <th>MAC</th>
              <th>IPv4</th>
              {withIpv6 && <th>IPv6</th>}
              <th>version</th>
              <th>board</th>
              <th>platform</th>
              <th>uptime</th>
              <th>software id</th>
              <th>interface</th>
            </tr>
          </thead>
          <tbody>
            {result.routers.map((router) => (
              <tr key={router.mac} data-testid="discovered-router" data-mac={router.mac}>
                <td>{router.identity}</td>
                <td>
                  {router.known_site !== null ? (
                    <span className="known-site" data-testid="known-site" title="already a site (same address)">
                      ✓ {router.known_site}
                    </span>
                  ) : (
                    <button type="button" onClick={() => navigate(addSiteHref(router))} data-testid="discover-add">
                      Add
                    </button>
                  )}
                </td>
                <td className="mono">{router.mac}</td>
                <td className="mono">
                  {router.ipv4}
                  {router.api_port !== null && <span className="dim">:{router.api_port}</span>}
                </td>
                {withIpv6 && <td className="mono">{router.ipv6}</td>}
                <td className="version">{router.version}</td>
                <td>{router.board}</td>
                <td>{router.platform}</td>
                <td className="mono">{formatUptime(router.uptime)}</td>
                <td className="mono">{router.software_id}</td>
                <td>{router.interface_name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
