// The bottom line: is the cloud there, what waits to sync, what runs, and how far batches are.
import { useAppData } from '../app/app-data'

export function StatusBar() {
  const { status, statusError, batches, connected } = useAppData()
  const cloud = !status
    ? { tone: 'unknown', text: 'cloud: …' }
    : !status.cloud_configured
      ? { tone: 'unknown', text: 'cloud: not configured' }
      : status.cloud_online === null
        ? { tone: 'unknown', text: 'cloud: not checked yet' }
        : status.cloud_online
          ? { tone: 'online', text: 'cloud: online' }
          : { tone: 'offline', text: 'cloud: offline' }
  const running = batches.filter((batch) => batch.done < batch.total)
  return (
    <footer className={`status-bar${connected ? '' : ' stale'}`} data-testid="status-bar" data-stale={String(!connected)} aria-label="Status">
      <span className={`cloud cloud-${cloud.tone}`} data-testid="status-cloud" data-online={String(status?.cloud_online ?? '')}>
        <span className="dot" aria-hidden="true" />
        {cloud.text}
      </span>
      {status && (
        <>
          <span data-testid="status-waiting">{status.waiting_to_sync} waiting to sync</span>
          <span data-testid="status-running">{status.running} running</span>
          <span data-testid="status-pending">{status.pending} pending</span>
        </>
      )}
      {status?.last_sync_error && (
        <span className="status-error" title={status.last_sync_error}>
          last sync error: {status.last_sync_error}
        </span>
      )}
      {statusError && <span className="status-error">status: {statusError}</span>}
      {running.map((batch) => (
        <span key={batch.batch_id} className="batch-progress" data-testid="batch-progress">
          batch {batch.batch_id.slice(0, 8)}: {batch.done}/{batch.total}
          {batch.failed > 0 ? `, ${batch.failed} failed` : ''}
          <progress max={batch.total} value={batch.done} aria-label={`batch ${batch.batch_id} progress`} />
        </span>
      ))}
      <span className="spacer" />
      <span className="hint">? shortcuts</span>
    </footer>
  )
}
