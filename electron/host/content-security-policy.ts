// The Content-Security-Policy for the UI, the same in the Electron window and in browser mode:
// only the app's own scripts and styles, no inline script, no eval, no remote content; the API
// socket is same-origin. Styles allow inline attributes because Svelte sets `style=` on elements
// (scripts stay strict, which is what CSP protects against).
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
