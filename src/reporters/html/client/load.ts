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
  const bin = atob(text.trim());
  const raw = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) raw[i] = bin.charCodeAt(i);
  const cut = Number(split[1]);
  const head = await inflate(raw.subarray(0, cut));
  let details: Promise<DetailData> | null = null;
  return {
    table: JSON.parse(`${head}}`) as TableData,
    now: null,
    details: () => (details ??= inflate(raw.subarray(cut)).then((tail) => JSON.parse(`{${tail.slice(1)}`) as DetailData)),
  };
}
