// The native menu bar. Its commands go to the UI as API events, so a menu item and a keyboard
// shortcut do the same thing; the view and theme shortcuts are shown here but handled by the page
// (registerAccelerator: false), so each key press acts once.
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { ViewName } from '../api/events.ts';
import type { Host } from '../host/host.ts';

const views: Array<[ViewName, string]> = [
  ['files', 'Files'],
  ['inspect', 'Inspect'],
  ['simulate', 'Simulate'],
  ['infer', 'Infer'],
  ['galaxy', 'Galaxy'],
  ['models', 'Models'],
];

export function buildMenu(host: Host, window: () => BrowserWindow | null): Menu {
  const openFolder = async (): Promise<void> => {
    const target = window();
    const options = { title: 'Open a folder', properties: ['openDirectory' as const] };
    const choice = target
      ? await dialog.showOpenDialog(target, options)
      : await dialog.showOpenDialog(options);
    const path = choice.filePaths[0];
    if (!choice.canceled && path !== undefined) host.emit({ type: 'shell.openFolder', path });
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: () => void openFolder() },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...views.map(([view, label], index): MenuItemConstructorOptions => ({
          label,
          accelerator: `CmdOrCtrl+${index + 1}`,
          registerAccelerator: false,
          click: () => host.emit({ type: 'shell.navigate', view }),
        })),
        { type: 'separator' },
        {
          label: 'Switch Light/Dark Theme',
          accelerator: 'CmdOrCtrl+Shift+L',
          registerAccelerator: false,
          click: () => host.emit({ type: 'shell.toggleTheme' }),
        },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    {
      role: 'help',
      submenu: [
        {
          label: 'About Cradle',
          click: () =>
            void dialog.showMessageBox({
              type: 'info',
              title: 'About Cradle',
              message: `Cradle ${app.getVersion()}`,
              detail: 'Calibrated posteriors over stellar parameters, and a 3D map of young stars.',
            }),
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
