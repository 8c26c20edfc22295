/**
 * The HTML report's only two ways of putting log-derived text into the page.
 *
 * Test names and call sites come straight from the log and may contain
 * `<`, `&`, quotes or `</script>`. Markup is built with the `html` tagged
 * template, which sends every interpolated value through `escapeHtml` unless
 * it is already a `SafeHtml` fragment; data for the client script goes through
 * `embedJson`. Nothing else in the reporter writes log text into markup, and
 * the client script only ever uses `textContent` / `setAttribute`.
 */
import escape from 'escape-html';

/** A fragment of markup that is already safe to insert as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string | number): string {
  return escape(String(text));
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'object' && value !== null) return (value as readonly Interpolation[]).map(render).join('');
  // null/undefined/false render as nothing, so `${cond && html`…`}` reads naturally.
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value === true ? 'true' : value);
}

/** Tagged template: literal parts are trusted markup, interpolations are escaped. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Marks our own constant assets (CSS, client script) as trusted. Never pass log text. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * JSON for the body of a `<script type="application/json">`. `<`, `>` and `&`
 * become `\u003c` etc. so `</script>` or `<!--` in the data cannot end or
 * confuse the element; U+2028/2029 are escaped so the text is also valid JS.
 */
export function embedJson(value: unknown): SafeHtml {
  const json = JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => {
    return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
  });
  return new SafeHtml(json);
}

/** Base64 payload for a data element; checked, since only that alphabet is inert in markup. */
export function embedBase64(text: string): SafeHtml {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new Error('embedBase64: not base64');
  return new SafeHtml(text);
}
