/** Credentials out of messages: git remotes often carry a token in their URL. */

/** The text with the password or token of any URL in it replaced: `https://***@github.com/…`. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
}
