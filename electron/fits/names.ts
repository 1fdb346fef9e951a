// Unique column names for every table reader. Files repeat names (a FITS TTYPE given twice, a CSV
// header, a byte-by-byte label, a Parquet field), while Arrow tables, the writers and a column lookup
// need one name per column; this lives in electron/fits because the catalog readers may import from
// here and not the other way round (catalog/table.ts passes it on).

/**
 * Makes every column name unique by appending _2, _3… to repeats (a blank name becomes 'col'), in
 * order, so the first of a repeated name keeps it. A suffix never takes a name that another column
 * already has: ['ra', 'ra', 'ra_2'] gives ['ra', 'ra_3', 'ra_2'].
 */
export function uniqueNames(names: readonly string[]): string[] {
  const wanted = names.map((raw) => raw.trim() || 'col');
  const given = new Set(wanted);
  const used = new Set<string>();
  const nextSuffix = new Map<string, number>();
  return wanted.map((name) => {
    let unique = name;
    if (used.has(name)) {
      let k = nextSuffix.get(name) ?? 2;
      while (given.has(`${name}_${k}`) || used.has(`${name}_${k}`)) k += 1;
      nextSuffix.set(name, k + 1);
      unique = `${name}_${k}`;
    }
    used.add(unique);
    return unique;
  });
}
