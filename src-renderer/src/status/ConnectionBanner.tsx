// Said at the top of every screen while the window has lost Fieldjobs (`fieldjobs serve` stopped or
// restarting): what is on screen may be out of date, and it reconnects by itself.
import { useAppData } from '../app/app-data'

export function ConnectionBanner() {
  const { connected } = useAppData()
  if (connected) return null
  return (
    <div className="notice error connection-lost" role="alert" data-testid="disconnected">
      Disconnected from Fieldjobs: reconnecting… What this window shows may be out of date until it is back.
    </div>
  )
}
