// Small FITS files built card by card, for tests that need a header the writer would never produce.

/** Headers (cards without END) and their data, each padded to 2880-byte blocks. */
export function fitsBytes(headers: string[][], data: Buffer[] = []): Buffer {
  const parts: Buffer[] = [];
  headers.forEach((cards, k) => {
    const text = [...cards, 'END'].map((c) => c.padEnd(80, ' ')).join('');
    parts.push(Buffer.from(text.padEnd(Math.ceil(text.length / 2880) * 2880, ' '), 'latin1'));
    const body = data[k] ?? Buffer.alloc(0);
    parts.push(body, Buffer.alloc((2880 - (body.length % 2880)) % 2880));
  });
  return Buffer.concat(parts);
}

/** A primary HDU without data, followed by extensions. */
export const PRIMARY = [
  'SIMPLE  =                    T',
  'BITPIX  =                    8',
  'NAXIS   =                    0',
  'EXTEND  =                    T',
];

/** A BINTABLE header with columns c1, c2, … of the given TFORMs. */
export function table(fields: string[], naxis1: number, naxis2: number, extra: string[] = []): string[] {
  return [
    "XTENSION= 'BINTABLE'",
    'BITPIX  =                    8',
    'NAXIS   =                    2',
    `NAXIS1  = ${String(naxis1).padStart(20)}`,
    `NAXIS2  = ${String(naxis2).padStart(20)}`,
    'PCOUNT  =                    0',
    'GCOUNT  =                    1',
    `TFIELDS = ${String(fields.length).padStart(20)}`,
    ...fields.flatMap((f, i) => [`TTYPE${i + 1}  = 'c${i + 1}'`, `TFORM${i + 1}  = '${f}'`]),
    ...extra,
  ];
}
