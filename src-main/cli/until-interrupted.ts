// Waits for Ctrl-C (the CliIo signal) in commands that run until interrupted (`run`, `sync`, `lab`, `serve`).
//
// Important: an abort listener does not keep Node alive, and the engines' timers are unref'd (so
// they never hold a closing app open). Without a ref'd handle here, `fieldjobs run` exited with
// code 13 (unsettled top-level await) as soon as the queue went idle.
export function untilInterrupted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    // The longest a timer may wait; it only exists to hold the event loop open.
    const keepAlive = setInterval(() => {}, 2 ** 31 - 1)
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(keepAlive)
        resolve()
      },
      { once: true },
    )
  })
}
