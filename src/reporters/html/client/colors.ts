/** One colour per call site, stable across tests and pages (a hash of the site, not its rank). */
const PALETTE = [
  '#3b6fd8', '#2da44e', '#d4a72c', '#8250df', '#e16f24', '#1b9aaa', '#bf3989', '#6e7f1a',
  '#5a67d8', '#c2410c', '#0f766e', '#9d174d', '#4d7c0f', '#7c3aed', '#b45309', '#0369a1',
];

export function siteColor(site: string | undefined): string {
  if (site === undefined) return '#8c959f';
  // FNV-1a
  let h = 0x811c9dc5;
  for (let i = 0; i < site.length; i++) h = Math.imul(h ^ site.charCodeAt(i), 0x01000193);
  return PALETTE[(h >>> 0) % PALETTE.length];
}
