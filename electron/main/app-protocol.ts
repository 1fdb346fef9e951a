// Serves the built renderer to the window from app://cradle/ (a privileged, standard, secure scheme)
// instead of file://, so 'self' in the Content-Security-Policy means the app and nothing else, and
// no other file on disk is reachable from the page.
import { net, protocol } from 'electron';
import { normalize, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../host/content-security-policy.ts';

export const appScheme = 'app';
export const appHost = 'cradle';
export const appOrigin = `${appScheme}://${appHost}`;

/**
 * Whether a URL belongs to the app. Compared by scheme and host: for a custom scheme, Node's
 * WHATWG URL reports origin "null", so origins cannot be compared as strings here.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === appHost;
  } catch {
    return false;
  }
}

/** Must run before app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir);
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    const notFound = new Response('not found', { status: 404 });
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname).slice(1);
    } catch {
      return notFound;
    }
    const file = normalize(join(root, relative));
    if (!isAppUrl(request.url) || !file.startsWith(root + sep)) return notFound;
    let response: Response;
    try {
      response = await net.fetch(pathToFileURL(file).href);
    } catch {
      return notFound;
    }
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
