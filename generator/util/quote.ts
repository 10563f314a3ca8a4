// Quoting input in messages: a value a person wrote may hold control characters, or bidirectional overrides
// (U+202E) that make a terminal show text in another order than it is; both are printed as visible escapes.
// URLs lose their user:password part, so a token pasted into a URL is never echoed.

// C0 and C1 controls, DEL, bidi marks, embeddings, overrides and isolates, line/paragraph separators, BOM.
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029\uFEFF]/g;
const UNSAFE_KEEP_NEWLINES = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029\uFEFF]/g;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s@]*@/gi;
// A scp-like Git address with a password: user:password@host:path.
const SCP_PASSWORD = /(^|\s)[^\s/@:]+:[^\s/@]*@(?=[^\s/@:]+:)/g;

const escapeChar = (char: string) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** `text` with every unsafe character as a \uXXXX escape; `keepNewlines` for messages meant to span lines. */
export function escapeUnsafe(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? UNSAFE_KEEP_NEWLINES : UNSAFE, escapeChar);
}

/** Any URL's user:password@ or token@ part replaced by ***@. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, '$1***@').replace(SCP_PASSWORD, '$1***@');
}

/** A string value as a message shows it: double-quoted, escaped, URL credentials hidden. */
export function quote(value: string): string {
  return escapeUnsafe(JSON.stringify(redactUrlCredentials(value)));
}
