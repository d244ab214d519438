/**
 * Everything verify and preflight print that came from outside (response
 * bodies, headers, status text, AWS's error messages, URLs from the outputs)
 * goes through `printable` first: a hostile or broken endpoint must not be able to drive
 * the terminal (ESC[31m, a carriage return that rewrites the line, bidi
 * overrides that reorder it) or make the report leak a credential.
 *
 * Hand-written: strip-ansi removes only well-formed ANSI sequences (a lone
 * BEL, CR or C1 byte still gets through), is ESM-only, and deletes what it
 * removes; here every control character is shown, escaped, so the report
 * still says what the server sent.
 */

/** C0 controls (tab and newline included: a table cell is one line), DEL, C1 controls, bidi and zero-width marks. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** `scheme://user:password@` in a URL: the user-info part, up to the first `@` of the authority. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** Replaces the user-info of every URL in `text` with `***`: `https://***@host/`. */
export function redactCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, "$1***@");
}

/** `text` with credentials redacted and every control character written as `\uXXXX`. */
export function printable(text: string): string {
  return redactCredentials(text).replace(
    CONTROL_CHARACTERS,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
