// The API's runtime schemas: what they accept, what they refuse, and that every method and event
// in the contract has one (so no argument reaches a handler unchecked).
import { describe, expect, it } from 'vitest';
import { AbsolutePath } from '../../../electron/api/common.ts';
import { ApiEvent } from '../../../electron/api/events.ts';
import { FitsScanResult, JobStartParams } from '../../../electron/api/jobs.ts';
import { isMethodName, methodNames, methods } from '../../../electron/api/methods.ts';

describe('API schemas', () => {
  it('accepts absolute paths of every platform and refuses the rest', () => {
    for (const path of ['/', '/data/night1', 'C:\\data', 'd:/fits', '\\\\server\\share']) {
      expect(AbsolutePath.safeParse(path).success, path).toBe(true);
    }
    for (const path of ['', 'data', './x', '../etc', 'C:relative', '/a\0b', 'x'.repeat(5000)]) {
      expect(AbsolutePath.safeParse(path).success, path).toBe(false);
    }
  });

  it('fills defaults and refuses unknown keys in files.list', () => {
    expect(methods['files.list'].params.parse({ dir: '/data' })).toEqual({
      dir: '/data',
      showHidden: false,
      limit: 5000,
    });
    expect(methods['files.list'].params.safeParse({ dir: '/data', recursive: true }).success).toBe(false);
    expect(methods['files.list'].params.safeParse({ dir: '/data', limit: 0 }).success).toBe(false);
  });

  it('validates job starts by kind', () => {
    expect(JobStartParams.parse({ kind: 'fits-scan', params: { dir: '/data' } })).toEqual({
      kind: 'fits-scan',
      params: { dir: '/data', followSymlinks: false, paceMs: 0 },
    });
    expect(JobStartParams.safeParse({ kind: 'rm-rf', params: { dir: '/' } }).success).toBe(false);
    expect(JobStartParams.safeParse({ kind: 'fits-scan', params: { dir: '/d', paceMs: 5000 } }).success).toBe(
      false,
    );
    expect(JobStartParams.safeParse({ kind: 'fits-scan', params: { dir: 'relative' } }).success).toBe(false);
  });

  it('requires the scan histogram to be a Uint32Array, not a JSON array', () => {
    const result = {
      dir: '/d',
      fitsFiles: 1,
      fitsBytes: 2880,
      notFits: 0,
      unreadable: 0,
      directories: 1,
      filesSeen: 1,
      notFitsExamples: [],
      elapsedMs: 1,
    };
    expect(FitsScanResult.safeParse({ ...result, sizeHistogram: new Uint32Array(64) }).success).toBe(true);
    expect(FitsScanResult.safeParse({ ...result, sizeHistogram: [0, 1] }).success).toBe(false);
  });

  it('has a params and a result schema for every method', () => {
    expect(methodNames).toContain('app.info');
    expect(methodNames).toContain('jobs.start');
    for (const name of methodNames) {
      expect(typeof methods[name].params.safeParse, name).toBe('function');
      expect(typeof methods[name].result.safeParse, name).toBe('function');
    }
    expect(isMethodName('files.list')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
  });

  it('parses events by type and refuses unknown ones', () => {
    expect(ApiEvent.safeParse({ type: 'shell.navigate', view: 'galaxy' }).success).toBe(true);
    expect(ApiEvent.safeParse({ type: 'shell.navigate', view: 'settings' }).success).toBe(false);
    expect(ApiEvent.safeParse({ type: 'job.exploded', id: 'job-1' }).success).toBe(false);
  });
});
