// The Electron main process, run against a stand-in for the 'electron' module (its binary cannot
// be installed here): the window is created locked down (context isolation, sandbox, no Node, the
// bundled preload, app:// origin); new windows, foreign navigation and permission requests are
// refused; IPC calls are answered only for our own page; the app:// protocol serves the renderer
// with the CSP and nothing outside it; the menu shows shortcuts without stealing them from the page.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => ({
  appListeners: new Map<string, Listener>(),
  ipcHandlers: new Map<string, Listener>(),
  windows: [] as Array<{ options: Record<string, unknown>; url: string; webContents: { send: Listener } }>,
  privileged: [] as unknown[],
  protocolHandler: undefined as undefined | ((request: Request) => Promise<Response>),
  permissionHandler: undefined as undefined | Listener,
  menu: undefined as undefined | { template: Array<{ label?: string; submenu?: unknown[] }> },
}));

vi.mock('electron', () => {
  class BrowserWindow {
    url = '';
    webContents = { send: vi.fn() };
    constructor(readonly options: Record<string, unknown>) {
      fake.windows.push(this);
    }
    static getAllWindows(): unknown[] {
      return fake.windows;
    }
    once(): void {}
    on(): void {}
    show(): void {}
    loadURL(url: string): Promise<void> {
      this.url = url;
      return Promise.resolve();
    }
  }
  return {
    app: {
      on: (name: string, listener: Listener) => fake.appListeners.set(name, listener),
      whenReady: () => Promise.resolve(),
      isPackaged: false,
      getVersion: () => '0.1.0',
      quit: vi.fn(),
    },
    BrowserWindow,
    dialog: { showOpenDialog: vi.fn(), showMessageBox: vi.fn() },
    ipcMain: { handle: (channel: string, handler: Listener) => fake.ipcHandlers.set(channel, handler) },
    Menu: {
      setApplicationMenu: vi.fn(),
      buildFromTemplate: (template: unknown) => (fake.menu = { template } as typeof fake.menu),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Listener) => (fake.permissionHandler = handler),
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.privileged.push(...schemes),
      handle: (_scheme: string, handler: (request: Request) => Promise<Response>) =>
        (fake.protocolHandler = handler),
    },
    net: {
      // Electron's net.fetch reads file:// URLs; Node's fetch does not, so read the file here.
      fetch: async (url: string) => new Response(await readFile(fileURLToPath(url))),
    },
  };
});

let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cradle-main-'));
  vi.stubEnv('CRADLE_HOME', home);
  await import('../../../electron/main/main.ts');
  await new Promise((resolve) => setTimeout(resolve, 0));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(home, { recursive: true, force: true });
});

function contentsStub(): { handlers: Map<string, Listener>; openHandler?: Listener } {
  const stub: { handlers: Map<string, Listener>; openHandler?: Listener } = { handlers: new Map() };
  const contents = {
    setWindowOpenHandler: (handler: Listener) => (stub.openHandler = handler),
    on: (name: string, handler: Listener) => stub.handlers.set(name, handler),
  };
  fake.appListeners.get('web-contents-created')?.({}, contents);
  return stub;
}

describe('the Electron main process', () => {
  it('registers app:// as a secure standard scheme and loads the UI from it', () => {
    expect(fake.privileged).toContainEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    });
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]?.url).toBe('app://cradle/index.html');
    expect(fake.protocolHandler).toBeTypeOf('function');
  });

  it('creates the window with context isolation, sandbox, no Node and the bundled preload', () => {
    const preferences = fake.windows[0]?.options['webPreferences'] as Record<string, unknown>;
    expect(preferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
    });
    expect(String(preferences['preload'])).toMatch(/electron[\\/]preload[\\/]preload\.cjs$/);
  });

  it('refuses new windows, navigation away from the app, webviews and permission requests', () => {
    const stub = contentsStub();
    expect(stub.openHandler?.()).toEqual({ action: 'deny' });
    const away = { preventDefault: vi.fn() };
    stub.handlers.get('will-navigate')?.(away, 'https://example.org/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    stub.handlers.get('will-navigate')?.(inside, 'app://cradle/index.html');
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    stub.handlers.get('will-attach-webview')?.(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    const answer = vi.fn();
    fake.permissionHandler?.({}, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
  });

  it('answers API calls from its own page only', async () => {
    const handler = fake.ipcHandlers.get('cradle:call');
    const ours = { senderFrame: { url: 'app://cradle/index.html' }, sender: fake.windows[0]?.webContents };
    const reply = (await handler?.(ours, 'settings.get', {})) as { ok: boolean; result?: unknown };
    expect(reply).toEqual({ ok: true, result: { theme: 'dark' } });
    const stranger = { senderFrame: { url: 'https://evil.example/' }, sender: fake.windows[0]?.webContents };
    const otherWindow = { senderFrame: { url: 'app://cradle/index.html' }, sender: { send: vi.fn() } };
    expect(await handler?.(otherWindow, 'settings.get', {})).toMatchObject({ ok: false });
    expect(await handler?.(stranger, 'settings.get', {})).toMatchObject({
      ok: false,
      error: { code: 'not-available' },
    });
    expect(await handler?.(ours, 'files.list', { dir: 'relative' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-params' },
    });
  });

  it('shows the view and theme shortcuts in the menu without registering them', () => {
    const view = fake.menu?.template.find((item) => item.label === 'View');
    const items = (view?.submenu ?? []) as Array<{
      label?: string;
      accelerator?: string;
      registerAccelerator?: boolean;
    }>;
    const files = items.find((item) => item.label === 'Files');
    expect(files).toMatchObject({ accelerator: 'CmdOrCtrl+1', registerAccelerator: false });
    expect(items.find((item) => item.label === 'Models')?.accelerator).toBe('CmdOrCtrl+6');
  });
});

describe('the app:// protocol', () => {
  it('serves renderer files with the CSP and nothing outside the renderer folder', async () => {
    const { serveRenderer } = await import('../../../electron/main/app-protocol.ts');
    const dir = join(home, 'dist');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'index.html'), '<title>Cradle</title>');
    await writeFile(join(home, 'secret.txt'), 'outside');
    serveRenderer(dir);
    const handler = fake.protocolHandler as (request: Request) => Promise<Response>;
    const page = await handler(new Request('app://cradle/'));
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<title>Cradle</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await handler(new Request('app://cradle/..%2fsecret.txt'))).status).toBe(404);
    expect((await handler(new Request('app://cradle/missing.js'))).status).toBe(404);
    expect((await handler(new Request('app://other/index.html'))).status).toBe(404);
  });
});
