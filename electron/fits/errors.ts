// The one error type of the FITS engine. Every failure names where it happened (file, HDU index and
// name, keyword or column) so the CLI can print a single line a user can act on.
export interface FitsErrorContext {
  file?: string | undefined;
  hdu?: number | undefined;
  hduName?: string | undefined;
  keyword?: string | undefined;
  column?: string | undefined;
}

export class FitsError extends Error {
  readonly file: string | undefined;
  readonly hdu: number | undefined;
  readonly hduName: string | undefined;
  readonly keyword: string | undefined;
  readonly column: string | undefined;
  readonly detail: string;

  constructor(detail: string, context: FitsErrorContext = {}) {
    super(formatMessage(detail, context));
    this.name = 'FitsError';
    this.detail = detail;
    this.file = context.file;
    this.hdu = context.hdu;
    this.hduName = context.hduName;
    this.keyword = context.keyword;
    this.column = context.column;
  }

  /** The same error with missing context filled in (inner code knows the keyword, outer the file). */
  within(context: FitsErrorContext): FitsError {
    return new FitsError(this.detail, {
      file: this.file ?? context.file,
      hdu: this.hdu ?? context.hdu,
      hduName: this.hduName ?? context.hduName,
      keyword: this.keyword ?? context.keyword,
      column: this.column ?? context.column,
    });
  }
}

/** `detail` prefixed with where it applies ("file: HDU 1 (NAME): column c: keyword K: detail"). */
export function formatMessage(detail: string, context: FitsErrorContext): string {
  const where: string[] = [];
  if (context.file !== undefined) where.push(context.file);
  if (context.hdu !== undefined) {
    where.push(context.hduName ? `HDU ${context.hdu} (${context.hduName})` : `HDU ${context.hdu}`);
  }
  if (context.column !== undefined) where.push(`column ${context.column}`);
  if (context.keyword !== undefined) where.push(`keyword ${context.keyword}`);
  return where.length > 0 ? `${where.join(': ')}: ${detail}` : detail;
}

/** Re-throw anything as a FitsError carrying the given context. */
export function withContext<T>(context: FitsErrorContext, action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw asFitsError(error, context);
  }
}

export function asFitsError(error: unknown, context: FitsErrorContext): FitsError {
  if (error instanceof FitsError) return error.within(context);
  const message = error instanceof Error ? error.message : String(error);
  return new FitsError(message, context);
}
