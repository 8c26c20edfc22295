/** Number and text formatting of the server-rendered parts of the page. */
let numberFormat: Intl.NumberFormat | null = null;
// Built on first use: loading ICU's number formats would otherwise cost every CLI start.
export const num = (n: number) => (numberFormat ??= new Intl.NumberFormat('en-US')).format(n);
export const bytes = (n: number | null) => (n === null ? '—' : `${num(n)} B`);
export const pct = (p: number | null) => (p === null ? '—' : `${p.toFixed(2)} %`);
export const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;
export const label = (name: string | null) => name ?? '(outside any test)';
