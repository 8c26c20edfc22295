/** Reads the data element: plain JSON, or gzip+base64 inflated with DecompressionStream. */
import type { ReportData } from '../packed.js';
import { byId } from './dom.js';

export async function loadData(): Promise<ReportData> {
  const node = byId('report-data');
  const text = node.textContent ?? '';
  if (node.getAttribute('data-encoding') !== 'gzip+base64') return JSON.parse(text) as ReportData;
  if (typeof DecompressionStream === 'undefined')
    throw new Error('this browser cannot inflate the embedded data (no DecompressionStream); open the report in a current Chrome, Firefox or Safari, or use the JSON reporter');
  const bin = atob(text.trim());
  const raw = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) raw[i] = bin.charCodeAt(i);
  const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(stream).text()) as ReportData;
}
