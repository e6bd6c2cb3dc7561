// The window's way to the core when there is no Electron preload (`fieldjobs serve`), and the helper
// that turns any envelope-answering invoke into a FieldjobsApi (for component tests' fakes).
export { ApiError, createApi, type InvokeFn, type SubscribeFn } from './create-api'
export { createBrowserApi, createBrowserInvoke, createEventStream, type BrowserApiOptions, type EventStreamState } from './browser-transport'
export { MissingAccessTokenError, takeAccessToken, tokenFromLocation } from './access-token'
