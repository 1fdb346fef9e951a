// Recognition of the usual spellings: Gaia archive, VizieR (Gaia DR3 I/355, 2MASS II/246, AllWISE
// II/328, CatWISE2020 II/365) and IRSA's native 2MASS PSC / AllWISE / CatWISE columns. Each header
// below is copied from the service's own output; values are one plausible star.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, FixedSizeList, Float64, List, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../../electron/catalog/read.ts';
import { recognise } from '../../../electron/catalog/recognise.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-spellings-'));

async function mapping(
  name: string,
  header: string[],
  units: string[] | null,
): Promise<Record<string, string>> {
  const path = join(dir, name);
  const row = header.map((h, i) =>
    /flg|qph|ccf|cc_flags|ph_qual/i.test(h)
      ? h.startsWith('Q') || h === 'ph_qual'
        ? 'AAA'
        : 'AAAA'
      : String(10 + i / 10),
  );
  const lines = [header.join('\t')];
  if (units) lines.push(units.join('\t'), units.map(() => '---').join('\t'));
  lines.push(row.join('\t'));
  writeFileSync(path, `${lines.join('\n')}\n`);
  const { table } = await readCatalog(path);
  return Object.fromEntries([...recognise(table)].map(([k, v]) => [k, v.column ?? v.expression ?? '']));
}

describe('survey spellings', () => {
  it('VizieR Gaia DR3 (I/355/gaiadr3)', async () => {
    const header = [
      'RA_ICRS',
      'DE_ICRS',
      'Source',
      'Plx',
      'e_Plx',
      'pmRA',
      'e_pmRA',
      'pmDE',
      'e_pmDE',
      'RUWE',
      'Gmag',
      'e_Gmag',
      'BPmag',
      'e_BPmag',
      'RPmag',
      'e_RPmag',
      'E(BP/RP)',
    ];
    const units = [
      'deg',
      'deg',
      '',
      'mas',
      'mas',
      'mas/yr',
      'mas/yr',
      'mas/yr',
      'mas/yr',
      '',
      'mag',
      'mag',
      'mag',
      'mag',
      'mag',
      'mag',
      '',
    ];
    expect(await mapping('vizier-gaia.tsv', header, units)).toEqual({
      source_id: 'Source',
      ra: 'RA_ICRS',
      dec: 'DE_ICRS',
      pmra: 'pmRA',
      'pmra.err': 'e_pmRA',
      pmdec: 'pmDE',
      'pmdec.err': 'e_pmDE',
      'gaia.parallax': 'Plx',
      'gaia.parallax.err': 'e_Plx',
      'gaia.ruwe': 'RUWE',
      'gaia.bp_rp_excess': 'E(BP/RP)',
      'gaia.g': 'Gmag',
      'gaia.g.err': 'e_Gmag',
      'gaia.bp': 'BPmag',
      'gaia.bp.err': 'e_BPmag',
      'gaia.rp': 'RPmag',
      'gaia.rp.err': 'e_RPmag',
    });
  });

  it('VizieR 2MASS PSC (II/246) and AllWISE (II/328)', async () => {
    const tmass = [
      'RAJ2000',
      'DEJ2000',
      '2MASS',
      'Jmag',
      'e_Jmag',
      'Hmag',
      'e_Hmag',
      'Kmag',
      'e_Kmag',
      'Qflg',
    ];
    expect(
      await mapping('vizier-2mass.tsv', tmass, [
        'deg',
        'deg',
        '',
        'mag',
        'mag',
        'mag',
        'mag',
        'mag',
        'mag',
        '',
      ]),
    ).toEqual({
      ra: 'RAJ2000',
      dec: 'DEJ2000',
      'tmass.j': 'Jmag',
      'tmass.j.err': 'e_Jmag',
      'tmass.h': 'Hmag',
      'tmass.h.err': 'e_Hmag',
      'tmass.ks': 'Kmag',
      'tmass.ks.err': 'e_Kmag',
      'tmass.ph_qual': 'Qflg',
    });
    const wise = [
      'RAJ2000',
      'DEJ2000',
      'AllWISE',
      'W1mag',
      'e_W1mag',
      'W2mag',
      'e_W2mag',
      'W3mag',
      'e_W3mag',
      'W4mag',
      'e_W4mag',
      'ccf',
      'qph',
    ];
    const found = await mapping('vizier-allwise.tsv', wise, [
      'deg',
      'deg',
      '',
      'mag',
      'mag',
      'mag',
      'mag',
      'mag',
      'mag',
      'mag',
      'mag',
      '',
      '',
    ]);
    expect(found).toMatchObject({
      'wise.w1': 'W1mag',
      'wise.w4.err': 'e_W4mag',
      'wise.cc_flags': 'ccf',
      'wise.ph_qual': 'qph',
    });
  });

  it('IRSA native 2MASS PSC, AllWISE and CatWISE2020 columns', async () => {
    const header = [
      'ra',
      'dec',
      'j_m',
      'j_msigcom',
      'h_m',
      'h_msigcom',
      'k_m',
      'k_msigcom',
      'w1mpro_pm',
      'w1sigmpro_pm',
      'w2mpro_pm',
      'w2sigmpro_pm',
    ];
    expect(await mapping('irsa.tsv', header, null)).toEqual({
      ra: 'ra',
      dec: 'dec',
      'tmass.j': 'j_m',
      'tmass.j.err': 'j_msigcom',
      'tmass.h': 'h_m',
      'tmass.h.err': 'h_msigcom',
      'tmass.ks': 'k_m',
      'tmass.ks.err': 'k_msigcom',
      'wise.w1': 'w1mpro_pm',
      'wise.w1.err': 'w1sigmpro_pm',
      'wise.w2': 'w2mpro_pm',
      'wise.w2.err': 'w2sigmpro_pm',
    });
  });

  it('converts scaled units and refuses a flux column as a magnitude', async () => {
    const found = await mapping(
      'units.tsv',
      ['ra', 'dec', 'parallax', 'Gmag'],
      ['rad', 'deg', 'arcsec', 'W/m2'],
    );
    expect(found['ra']).toMatch(/^ra \* 57\.29577951308\d*$/);
    expect(found['gaia.parallax']).toBe('parallax * 1000');
    expect(found['gaia.g']).toBeUndefined();
  });

  it('takes a flux column for Gaia XP only when it holds 343 samples per star', () => {
    const spectrum = Array.from({ length: 343 }, (_, k) => 1e-16 * (1 + k / 343));
    const item = new Field('item', new Float64(), true);
    const list = (size: number | null): DataType =>
      size === null ? new List(item) : new FixedSizeList(size, item);
    const found = (columns: Record<string, Vector>): string | undefined =>
      recognise(new Table(columns)).get('gaia.xp')?.column;
    expect(found({ flux: vectorFromArray([spectrum], list(343)) })).toBe('flux');
    expect(found({ flux: vectorFromArray([null, spectrum], list(null)) })).toBe('flux');
    expect(found({ 'gaia.xp': vectorFromArray([spectrum], list(343)) })).toBe('gaia.xp');
    // gaiaxpy's CSV: each spectrum a tuple as text.
    expect(found({ flux: vectorFromArray([`(${spectrum.join(', ')})`], new Utf8()) })).toBe('flux');
    // Another survey's spectra, or fluxes as plain numbers or text, are not XP.
    expect(found({ flux: vectorFromArray([spectrum.slice(0, 300)], list(300)) })).toBeUndefined();
    expect(found({ flux: vectorFromArray([spectrum.slice(0, 300)], list(null)) })).toBeUndefined();
    expect(found({ flux: vectorFromArray([1.5e-16], new Float64()) })).toBeUndefined();
    expect(found({ flux: vectorFromArray(['1.5e-16'], new Utf8()) })).toBeUndefined();
    // The continuous spectrum wins over sampled ones.
    const coefficients = vectorFromArray([spectrum.slice(0, 55)], list(55));
    expect(found({ flux: vectorFromArray([spectrum], list(343)), bp_coefficients: coefficients })).toBe(
      'bp_coefficients',
    );
  });
});
