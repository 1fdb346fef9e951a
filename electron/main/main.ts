// The Electron main process: one window on the built renderer (app://cradle), locked down —
// context isolation, sandbox, no Node in the page, strict CSP, no navigation, no new windows, no
// permissions — and the API wired to IPC through the same Host browser mode uses. Thin on purpose:
// everything that is not windows, menus and dialogs lives in the engine.
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type IpcMainInvokeEvent } from 'electron';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ipcChannels } from '../api/ipc.ts';
import type { Reply } from '../api/protocol.ts';
import { Host } from '../host/host.ts';
import { packageRoot } from '../host/package-root.ts';
import { settingsDir } from '../host/settings-dir.ts';
import { appOrigin, isAppUrl, registerAppScheme, serveRenderer } from './app-protocol.ts';
import { buildMenu } from './menu.ts';

let mainWindow: BrowserWindow | null = null;

const host = new Host({
  settingsDir: settingsDir(),
  transport: 'electron',
  async chooseDirectory(title) {
    const options = { title: title ?? 'Choose a folder', properties: ['openDirectory' as const] };
    const choice = mainWindow
      ? await dialog.showOpenDialog(mainWindow, options)
      : await dialog.showOpenDialog(options);
    return choice.canceled ? null : (choice.filePaths[0] ?? null);
  },
  async chooseFile(title) {
    const options = {
      title: title ?? 'Open a FITS file',
      properties: ['openFile' as const],
      filters: [
        { name: 'FITS', extensions: ['fits', 'fit', 'fts', 'fz', 'gz'] },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const choice = mainWindow
      ? await dialog.showOpenDialog(mainWindow, options)
      : await dialog.showOpenDialog(options);
    return choice.canceled ? null : (choice.filePaths[0] ?? null);
  },
});

function fromOurPage(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && isAppUrl(frame.url) && event.sender === mainWindow?.webContents;
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 560,
    title: 'Cradle',
    backgroundColor: '#15171c',
    show: false,
    webPreferences: {
      preload: fileURLToPath(new URL('../preload/preload.cjs', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${appOrigin}/index.html`);
  return window;
}

registerAppScheme();

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  serveRenderer(join(packageRoot(), 'renderer', 'dist'));
  ipcMain.handle(ipcChannels.call, (event, method: unknown, params: unknown): Promise<Reply> | Reply => {
    if (!fromOurPage(event)) {
      return {
        ok: false,
        error: { code: 'not-available', message: 'API calls are only accepted from the Cradle window' },
      };
    }
    return host.dispatch(typeof method === 'string' ? method : '', params);
  });
  host.subscribe((apiEvent) => mainWindow?.webContents.send(ipcChannels.event, apiEvent));
  Menu.setApplicationMenu(buildMenu(host, () => mainWindow));
  mainWindow = createWindow();
  mainWindow.on('closed', () => (mainWindow = null));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) {
      mainWindow = createWindow();
      mainWindow.on('closed', () => (mainWindow = null));
    }
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let disposed = false;
app.on('will-quit', (event) => {
  if (disposed) return;
  event.preventDefault();
  disposed = true;
  void host.dispose().finally(() => app.quit());
});
