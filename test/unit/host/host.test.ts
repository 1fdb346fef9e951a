// The engine side of the API as both transports use it: every call validated (unknown methods and
// bad arguments become error replies naming the argument), files listed and described, settings
// and the recent list persisted atomically in CRADLE_HOME-style folders, and a real scan job
// driven from start to its typed result through events.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../electron/api/events.ts';
import { Host } from '../../../electron/host/host.ts';
import { settingsDir } from '../../../electron/host/settings-dir.ts';

let work: string;
let host: Host;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cradle-host-'));
  host = new Host({ settingsDir: join(work, 'settings'), transport: 'browser', jobConcurrency: 1 });
});

afterEach(async () => {
  await host.dispose();
  await rm(work, { recursive: true, force: true });
});

describe('dispatch', () => {
  it('refuses unknown methods and invalid arguments with a message naming them', async () => {
    expect(await host.dispatch('files.delete', {})).toEqual({
      ok: false,
      error: { code: 'unknown-method', message: 'no API method named "files.delete"' },
    });
    expect(await host.dispatch('constructor', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
    expect(await host.dispatch('files.list', { dir: 'relative/path' })).toEqual({
      ok: false,
      error: { code: 'invalid-params', message: 'files.list: dir: the path must be absolute' },
    });
    expect(await host.dispatch('files.list', 'not an object')).toMatchObject({
      error: { code: 'invalid-params' },
    });
  });

  it('reports handler failures as replies naming the path', async () => {
    const missing = join(work, 'nowhere');
    expect(await host.dispatch('files.list', { dir: missing })).toEqual({
      ok: false,
      error: { code: 'failed', message: `${missing}: no such file or directory` },
    });
  });

  it('says native dialogs are not available in browser mode', async () => {
    expect(await host.dispatch('dialog.chooseDirectory', {})).toMatchObject({
      ok: false,
      error: { code: 'not-available' },
    });
  });

  it('describes the app, with the execution providers onnxruntime-node reports', async () => {
    const reply = await host.dispatch('app.info', {});
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.result).toMatchObject({
      name: 'Cradle',
      transport: 'browser',
      executionProvidersError: null,
    });
    const info = reply.result as {
      executionProviders: Array<{ name: string; bundled: boolean }>;
      version: string;
    };
    expect(info.executionProviders).toContainEqual({ name: 'cpu', bundled: true });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('files', () => {
  it('lists folders first, names in natural order, hidden entries only when asked, and truncates', async () => {
    const dir = join(work, 'data');
    await mkdir(join(dir, 'zeta'), { recursive: true });
    await mkdir(join(dir, 'Alpha'));
    for (const name of ['img10.fits', 'img2.fits', 'notes.txt', '.hidden'])
      await writeFile(join(dir, name), 'x');
    const reply = await host.dispatch('files.list', { dir });
    if (!reply.ok) throw new Error(reply.error.message);
    const listing = reply.result as {
      entries: Array<{ name: string; kind: string; fitsName: boolean }>;
      parent: string;
    };
    expect(listing.entries.map((e) => e.name)).toEqual([
      'Alpha',
      'zeta',
      'img2.fits',
      'img10.fits',
      'notes.txt',
    ]);
    expect(listing.entries[2]).toMatchObject({ kind: 'file', fitsName: true });
    expect(listing.parent).toBe(work);

    const hidden = await host.dispatch('files.list', { dir, showHidden: true, limit: 2 });
    expect(hidden).toMatchObject({
      ok: true,
      result: { totalEntries: 6, entries: [{ name: 'Alpha' }, { name: 'zeta' }] },
    });
  });

  it('describes one path', async () => {
    await writeFile(join(work, 'x.fits'), new Uint8Array(2880));
    expect(await host.dispatch('files.stat', { path: join(work, 'x.fits') })).toMatchObject({
      ok: true,
      result: { name: 'x.fits', kind: 'file', sizeBytes: 2880, fitsName: true },
    });
  });
});

describe('settings and the recent list', () => {
  it('defaults to the dark theme and persists a change to settings.json', async () => {
    expect(await host.dispatch('settings.get', {})).toEqual({ ok: true, result: { theme: 'dark' } });
    expect(await host.dispatch('settings.set', { theme: 'light' })).toEqual({
      ok: true,
      result: { theme: 'light' },
    });
    const stored = JSON.parse(await readFile(join(work, 'settings', 'settings.json'), 'utf8')) as unknown;
    expect(stored).toEqual({ theme: 'light' });
    expect(await host.dispatch('settings.set', { theme: 'sepia' })).toMatchObject({ ok: false });
    // Atomic writes leave no temp files behind.
    expect(await readdir(join(work, 'settings'))).toEqual(['settings.json']);
  });

  it('falls back to defaults when settings.json is corrupt, without crashing', async () => {
    await mkdir(join(work, 'settings'), { recursive: true });
    await writeFile(join(work, 'settings', 'settings.json'), '{"theme": ');
    expect(await host.dispatch('settings.get', {})).toEqual({ ok: true, result: { theme: 'dark' } });
  });

  it('keeps recent paths most recent first, without duplicates, across instances', async () => {
    const a = join(work, 'a');
    const b = join(work, 'b.fits');
    await mkdir(a);
    await writeFile(b, 'x');
    await host.dispatch('files.addRecent', { path: a });
    await host.dispatch('files.addRecent', { path: b });
    await host.dispatch('files.addRecent', { path: a });
    const again = new Host({ settingsDir: join(work, 'settings'), transport: 'browser' });
    const reply = await again.dispatch('files.recent', {});
    await again.dispose();
    expect(reply).toMatchObject({
      ok: true,
      result: [
        { path: a, kind: 'directory' },
        { path: b, kind: 'file' },
      ],
    });
    expect(await host.dispatch('files.addRecent', { path: join(work, 'gone') })).toMatchObject({ ok: false });
    expect(await host.dispatch('files.clearRecent', {})).toEqual({ ok: true, result: [] });
  });

  it('finds the settings folder from CRADLE_HOME, XDG_CONFIG_HOME or the home folder', () => {
    expect(settingsDir({ CRADLE_HOME: '/tmp/c' }, 'linux')).toBe('/tmp/c');
    expect(settingsDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/cradle');
    expect(settingsDir({}, 'linux')).toMatch(/\.config\/cradle$/);
    expect(settingsDir({}, 'darwin')).toMatch(/Library\/Application Support\/Cradle$/);
  });
});

describe('jobs through the API', () => {
  it('runs a FITS scan to a typed result, adds the folder to the recent list', async () => {
    const dir = join(work, 'night');
    await mkdir(dir);
    const header = 'SIMPLE  =                    T'.padEnd(80) + 'END'.padEnd(80);
    await writeFile(join(dir, 'a.fits'), header.padEnd(2880));
    const events: ApiEvent[] = [];
    const finished = new Promise<ApiEvent>((resolve) =>
      host.subscribe((event) => {
        events.push(event);
        if (event.type === 'job.done' || event.type === 'job.failed') resolve(event);
      }),
    );
    const started = await host.dispatch('jobs.start', { kind: 'fits-scan', params: { dir } });
    expect(started).toMatchObject({ ok: true, result: { kind: 'fits-scan', title: `FITS scan of ${dir}` } });
    const end = await finished;
    if (end.type !== 'job.done') throw new Error(JSON.stringify(end));
    if (end.result.kind !== 'fits-scan') throw new Error(`a ${end.result.kind} result`);
    expect(end.result.value).toMatchObject({ fitsFiles: 1, fitsBytes: 2880 });
    expect(end.result.value.sizeHistogram[11]).toBe(1);
    expect(events[0]?.type).toBe('job.started');
    expect(events.some((event) => event.type === 'job.progress')).toBe(true);
    expect(await host.dispatch('files.recent', {})).toMatchObject({ ok: true, result: [{ path: dir }] });
    expect(await host.dispatch('jobs.list', {})).toMatchObject({ ok: true, result: [{ state: 'done' }] });
  });

  it('turns a scan of a missing folder into a failed job with the reason', async () => {
    const finished = new Promise<ApiEvent>((resolve) =>
      host.subscribe((event) => event.type === 'job.failed' && resolve(event)),
    );
    await host.dispatch('jobs.start', { kind: 'fits-scan', params: { dir: join(work, 'missing') } });
    expect(await finished).toMatchObject({
      message: expect.stringMatching(/cannot scan .*missing/) as unknown,
    });
  });
});
