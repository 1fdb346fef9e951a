// The Electron IPC channel names the preload script and the main process agree on.
export const ipcChannels = {
  /** renderer → main: invoke(method, params) → Reply */
  call: 'cradle:call',
  /** main → renderer: one ApiEvent */
  event: 'cradle:event',
} as const;
