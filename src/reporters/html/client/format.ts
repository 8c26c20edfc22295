/** Number and text formatting of the page (en-US, like the server-rendered parts). */
const NUM = new Intl.NumberFormat('en-US');
const DASH = '\u2014';

const unknown = (x: number | null | undefined): x is null | undefined => x === null || x === undefined || Number.isNaN(x);

export const num = (x: number | null | undefined): string => (unknown(x) ? DASH : NUM.format(x));
export const bytes = (x: number | null | undefined): string => (unknown(x) ? DASH : `${NUM.format(x)} B`);
export const pct = (x: number | null | undefined): string => (unknown(x) ? DASH : `${x.toFixed(2)} %`);
export const plural = (n: number, one: string, many = `${one}s`): string => `${NUM.format(n)} ${n === 1 ? one : many}`;

/** `0x%08x`; host builds print 64-bit addresses: in full, never cut to 32 bits (SPEC §2.1). */
export function hex(a: number): string {
  const s = Math.floor(a).toString(16);
  return `0x${s.length >= 8 ? s : '00000000'.slice(s.length) + s}`;
}

/** Usage band of a peak percent, as the CSS names it. */
export function level(p: number | null): 'none' | 'low' | 'mid' | 'high' {
  return p === null || Number.isNaN(p) ? 'none' : p >= 90 ? 'high' : p >= 70 ? 'mid' : 'low';
}

export const r1 = (x: number): number => Math.round(x * 10) / 10;
