/**
 * Error types of the workbook. Every error raised at the public boundary says what was wrong and how to
 * fix it; these classes let callers tell the kinds apart.
 */

/** An argument has the wrong shape (rows/columns disagree with another argument or with the convention). */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** An argument has a wrong value: NaN/Inf entries, a negative penalty, K larger than N, a zero atom… */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/** A file is missing, unreadable or malformed (NPY header, IDX magic, checksum). */
export class DataFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFileError';
  }
}
