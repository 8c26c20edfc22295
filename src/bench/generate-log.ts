/**
 * A deterministic, realistic `pytest -v -s` session for benchmarks: node ids,
 * emulator records with interleaved app and HTTP noise, outcomes, an
 * occasional leak, double free or heap reset — shaped like the samples.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { EMULATOR_PREFIX, formatRecordLine } from '../protocol/records.js';

const SITES = [
  'src/parser/tlv.c:91',
  'src/crypto/hash.c:176',
  'src/ui/review.c:528',
  'src/apdu/dispatcher.c:414',
  'lib_standard_app/io.c:792',
  'src/plugin/erc20.c:823',
  'src/address_book.c:176',
  'src/handler/sign_tx.c:193',
  'src/ui/nbgl_use_case.c:158',
  'src/main.c:429',
];
const NOISE = [
  'werkzeug: 127.0.0.1 - - [22/Nov/2026 01:02:03] "POST /apdu HTTP/1.1" 200 -',
  'INFO:ragger.backend:Sending APDU e006000000',
  'seproxyhal.packet: received (tag: 0x66, size: 0x20)',
  'seproxyhal: printf: Processing APDU INS=0xf5',
];
const BASE = 0xda7a0000;
const HEAP = 8192;

export interface GeneratedLog {
  lines: number;
  bytes: number;
  tests: number;
}

/** Writes the session to `path`; `tests` scales it (3,000 ≈ 1.3 M lines, 85 MB). */
export async function generateLog(path: string, tests: number): Promise<GeneratedLog> {
  const out = createWriteStream(path);
  let x = 12345;
  const rand = (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  let lines = 0;
  let bytes = 0;
  let chunk = '';
  const emit = async (line: string) => {
    chunk += line + '\n';
    lines++;
    if (chunk.length > 1 << 16) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  };
  const rec = (text: string) => EMULATOR_PREFIX + '==MP ' + text;

  await emit('============================= test session starts ==============================');
  await emit('platform linux -- Python 3.11.7, pytest-8.3.4, pluggy-1.5.0 -- /usr/bin/python3');
  await emit('rootdir: /app');
  await emit(`collecting ... collected ${tests} items`);
  for (let t = 1; t <= tests; t++) {
    await emit(`tests/test_bench_${t % 7}.py::test_case_${t}[nanosp] ` + formatRecordLine({ kind: 'init', address: BASE, size: HEAP }, EMULATOR_PREFIX));
    // A bump-allocated toy heap: addresses stay unique within the test.
    const live: Array<[number, number]> = [];
    let next = BASE + 0x64;
    const ops = 300 + rand(200);
    for (let i = 0; i < ops; i++) {
      if (rand(5) === 0) await emit(NOISE[rand(NOISE.length)]);
      if (live.length > 0 && (rand(2) === 0 || live.length > 40)) {
        const [addr] = live.splice(rand(live.length), 1)[0];
        await emit(rec(`free;0x${addr.toString(16)};${SITES[rand(SITES.length)]}`));
      } else {
        const size = 1 + rand(200);
        await emit(rec(`alloc;${size};0x${next.toString(16)};${SITES[rand(SITES.length)]}`));
        live.push([next, size]);
        next += (size + 11) & ~7;
      }
    }
    const leak = t % 50 === 0;
    if (t % 97 === 0) await emit(rec(`free;0x${(BASE + 0x7000).toString(16)};src/nav.c:60`));
    for (const [addr] of live.splice(0, leak ? live.length - 1 : live.length)) {
      await emit(rec(`free;0x${addr.toString(16)};src/main.c:99`));
    }
    await emit(`PASSED [${String(Math.floor((t * 100) / tests)).padStart(3)}%]`);
  }
  await emit(`============================== ${tests} passed in 123.45s ==============================`);
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await once(out, 'finish');
  return { lines, bytes, tests };
}

/**
 * A log whose one test has `blocks` blocks live at once (SPEC §7: at most
 * 200 bytes each): an init of a heap large enough, then as many
 * allocations; then, with `freed`, as many frees (the analysis's own cost
 * per live block), else none (every block a leak, reported at the end).
 */
export async function generateLiveLog(path: string, blocks: number, freed = false): Promise<GeneratedLog> {
  const out = createWriteStream(path);
  let lines = 0;
  let bytes = 0;
  const base = 0xc0000000;
  let chunk = '============================= test session starts ==============================\ncollecting ... collected 1 item\n';
  chunk += `tests/test_live.py::test_many ${formatRecordLine({ kind: 'init', address: base, size: blocks * 64 + 4096 }, EMULATOR_PREFIX)}\n`;
  lines += 3;
  let address = base + 0x64;
  for (let i = 0; i < blocks; i++) {
    chunk += formatRecordLine({ kind: 'alloc', size: 1 + (i % 48), address, site: SITES[i % SITES.length] }, EMULATOR_PREFIX) + '\n';
    address += 56;
    lines++;
    if (chunk.length > 1 << 16) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  for (let i = freed ? blocks - 1 : -1; i >= 0; i--) {
    chunk += formatRecordLine({ kind: 'free', address: base + 0x64 + 56 * i, site: 'src/main.c:99' }, EMULATOR_PREFIX) + '\n';
    lines++;
    if (chunk.length > 1 << 16) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  chunk += 'PASSED [100%]\n============================== 1 passed in 1.00s ===============================\n';
  lines += 2;
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await once(out, 'finish');
  return { lines, bytes, tests: 1 };
}
