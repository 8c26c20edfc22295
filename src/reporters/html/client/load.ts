/**
 * Reads the data element: plain JSON, or two gzip members in base64 (the
 * table's keys, then the rest; see packed.ts), inflated with
 * DecompressionStream. The table is returned as soon as it is read; the rest
 * is inflated only when asked for, after the first paint.
 */
import type { DetailData, ReportData, TableData } from '../packed.js';
import { byId } from './dom.js';

export interface Loaded {
  table: TableData;
  /** The rest, when it was read with the table (plain JSON). */
  now: DetailData | null;
  details: () => Promise<DetailData>;
}

async function inflate(bytes: Uint8Array): Promise<string> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  // One write of the whole member: much faster than a Blob stream's small chunks.
  void writer.write(bytes as Uint8Array<ArrayBuffer>);
  void writer.close();
  return new Response(stream.readable).text();
}

function bytesOf(b64: string): Uint8Array {
  // Twenty times faster than atob where the browser has it.
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64;
  if (fromBase64) return fromBase64(b64);
  const bin = atob(b64);
  const raw = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) raw[i] = bin.charCodeAt(i);
  return raw;
}

export async function loadData(): Promise<Loaded> {
  const node = byId('report-data');
  const text = node.textContent ?? '';
  const encoding = node.getAttribute('data-encoding') ?? 'json';
  if (encoding === 'json') {
    const data = JSON.parse(text) as ReportData;
    return { table: data, now: data, details: () => Promise.resolve(data) };
  }
  const split = /^gzip\+base64; table=(\d+)$/.exec(encoding);
  if (!split) throw new Error(`unknown data encoding "${encoding}"`);
  if (typeof DecompressionStream === 'undefined')
    throw new Error('this browser cannot inflate the embedded data (no DecompressionStream); open the report in a current Chrome, Firefox or Safari, or use the JSON reporter');
  const b64 = text.trim();
  const cut = Number(split[1]);
  // Base64 comes in 4-character groups of 3 bytes: decode each member from the group it starts in.
  const head = await inflate(bytesOf(b64.slice(0, Math.ceil(cut / 3) * 4)).subarray(0, cut));
  let details: Promise<DetailData> | null = null;
  const rest = () => bytesOf(b64.slice(Math.floor(cut / 3) * 4)).subarray(cut % 3);
  return {
    table: JSON.parse(`${head}}`) as TableData,
    now: null,
    details: () => (details ??= inflate(rest()).then((tail) => JSON.parse(`{${tail.slice(1)}`) as DetailData)),
  };
}
