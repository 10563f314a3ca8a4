// A document's shape: everything about it but the text of its strings (keys in order, array lengths, numbers,
// booleans and nulls exactly). A Shape is made from one document and tells, in one walk without allocating, whether
// another document has the same shape and which of its strings differ (validated-shapes.ts builds on that).

export type PathSegment = string | number;

const OBJECT = 0;
const ARRAY = 1;
const STRING = 2;
const OTHER = 3;

/** Plain data only: what YAML or JSON can hold. Anything else has no shape. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export class Shape {
  /** The document flattened: tags, counts, keys, strings and other values, in walk order. */
  private readonly tokens: unknown[] = [];
  /** Where each string of the document sits, in walk order. */
  readonly paths: PathSegment[][] = [];
  private position = 0;
  private stringIndex = 0;

  private constructor(private readonly undefinedProperties: boolean) {}

  /**
   * undefined when `document` is not plain data. `undefinedProperties`: a property may be undefined too (as in a
   * built document, which the YAML writer renders without it); anywhere else, undefined has no shape.
   */
  static of(document: unknown, { undefinedProperties = false } = {}): Shape | undefined {
    const shape = new Shape(undefinedProperties);
    return shape.flatten(document, []) ? shape : undefined;
  }

  private flatten(value: unknown, path: PathSegment[], property = false): boolean {
    const tokens = this.tokens;
    if (value === undefined && property && this.undefinedProperties) {
      tokens.push(OTHER, value);
      return true;
    }
    if (typeof value === 'string') {
      tokens.push(STRING, value);
      this.paths.push(path);
      return true;
    }
    if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
      tokens.push(OTHER, value);
      return true;
    }
    if (typeof value !== 'object') return false;
    if (Array.isArray(value)) {
      tokens.push(ARRAY, value.length);
      // Index by index: a hole reads as undefined, which has no shape.
      for (let index = 0; index < value.length; index++) if (!this.flatten(value[index], [...path, index])) return false;
      return true;
    }
    if (!isPlainObject(value)) return false;
    const keys = Object.keys(value);
    tokens.push(OBJECT, keys.length);
    for (const key of keys) {
      tokens.push(key);
      if (!this.flatten((value as Record<string, unknown>)[key], [...path, key], true)) return false;
    }
    return true;
  }

  /**
   * Whether `document` has this shape; if so, the index (into `paths`) and the value of each string that differs
   * are pushed onto `differing` as pairs.
   */
  matches(document: unknown, differing: unknown[]): boolean {
    this.position = 0;
    this.stringIndex = 0;
    return this.match(document, differing);
  }

  private match(value: unknown, differing: unknown[]): boolean {
    const tokens = this.tokens;
    const tag = tokens[this.position++];
    const expected = tokens[this.position++];
    if (typeof value === 'string') {
      if (tag !== STRING) return false;
      if (value !== expected) differing.push(this.stringIndex, value);
      this.stringIndex++;
      return true;
    }
    if (typeof value !== 'object' || value === null) return tag === OTHER && Object.is(value, expected);
    if (Array.isArray(value)) {
      if (tag !== ARRAY || value.length !== expected) return false;
      for (let index = 0; index < value.length; index++) if (!this.match(value[index], differing)) return false;
      return true;
    }
    if (tag !== OBJECT || !isPlainObject(value)) return false;
    let count = 0;
    const record = value as Record<string, unknown>;
    // for...in on a plain object visits its own keys in Object.keys order (nothing on its prototype is enumerable).
    for (const key in record) {
      if (++count > (expected as number) || tokens[this.position++] !== key) return false;
      if (!this.match(record[key], differing)) return false;
    }
    return count === expected;
  }
}
