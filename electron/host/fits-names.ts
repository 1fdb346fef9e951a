// Which file names are FITS by convention: .fits .fit .fts (.fz for tile-compressed FITS), each
// optionally gzipped (.gz). The name only nominates a file; the scan confirms it by its magic.

const fitsName = /\.(fits|fit|fts|fz)(\.gz)?$/i;

export function hasFitsName(name: string): boolean {
  return fitsName.test(name);
}

export function isGzipName(name: string): boolean {
  return /\.gz$/i.test(name);
}
