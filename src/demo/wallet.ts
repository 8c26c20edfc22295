/**
 * A small simulated wallet app for the demo: APDU handlers that parse a
 * transaction, hash it, build a review screen and sign, allocating through
 * `APP_MEM_*` like a C app built with the SDK's heap and memory profiling.
 *
 * Parsed transaction outputs live in a Legato-style pool (`app.outputs`,
 * on a pool arena of its own, the `pools` heap), reference-counted: the
 * review screen's display items hold a reference to the output they show.
 *
 * It carries three deliberate bugs for the analyzer to find, marked
 * "DEMO BUG": the memo of a transaction leaks, a rejected transaction's
 * buffer is freed twice, and a rejected review drops its display items
 * without releasing their references (the output blocks never return to
 * the pool). A transaction with many outputs empties the pool, which grows
 * by force (an overflow: the pool is sized too small). Cryptography is
 * simulated (SHA-256 and HMAC from node:crypto), this is not a wallet.
 */
import { createHash, createHmac } from 'node:crypto';
import {
  APP_MEM_ALLOC,
  APP_MEM_CALLOC,
  APP_MEM_FREE,
  APP_MEM_FREE_AND_NULL,
  APP_MEM_PERMANENT,
  APP_MEM_REALLOC,
  APP_MEM_STRDUP,
  type AppHeap,
  type Pool,
  type PtrRef,
  addRef,
  createAllocator,
  createPool,
  expandPool,
  forceAlloc,
  mem_utils_heap,
  mem_utils_init,
  objectBytes,
  profile,
  release,
  resetPools,
  setNumObjsToForce,
} from '../heap/index.js';
import { EMULATOR_PREFIX } from '../protocol/records.js';

export const APP_NAME = 'Valground Demo';
export const APP_VERSION = '1.4.2';
/** The app's heap, as `static uint8_t app_heap[8192]` in a C app. */
export const HEAP_SIZE = 8192;

export const CLA = 0xe0;
export const INS = { GET_VERSION: 0x03, GET_PUBLIC_KEY: 0x05, SIGN_TX: 0x06, GET_SETTINGS: 0x07 } as const;
export const P1_FIRST = 0x00;
export const P1_MORE = 0x80;
export const P2_LAST = 0x00;
export const P2_MORE = 0x80;

export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  DENIED: 0x6985,
  BAD_STATE: 0x6985,
  WRONG_DATA: 0x6a80,
  NOT_ENOUGH_MEMORY: 0x6a84,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

export interface Apdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
}

export interface ApduResponse {
  sw: number;
  data: Uint8Array;
}

/** A title/value line of the review screen. */
export interface ReviewPair {
  title: string;
  value: string;
}

/** The user's answer on the review screen, decided by the test. */
export type ReviewDecision = (pairs: ReviewPair[]) => 'approve' | 'reject';

const TX_CHUNK_CAPACITY = 256;
const OUTPUT_STRUCT_SIZE = 16; // u32 amount hi, u32 amount lo, u32 address offset, u32 address length: one pool block
const OUTPUT_POINTER_SIZE = 4; // the table of output blocks: u32 each
/** The pool arena, as `static uint8_t pool_arena[4096]`, at its own address. */
const POOL_ARENA_SIZE = 4096;
const POOL_ARENA_BASE = 0x20004000;
/** Outputs the pool holds from the start; a transaction with more makes it grow by force. */
const OUTPUT_POOL_BLOCKS = 8;
const OUTPUT_POOL_FORCE = 16;
const HASH_CONTEXT_SIZE = 108; // sizeof(cx_sha256_t)
const SIGNATURE_SIZE = 72;
const SETTINGS_SIZE = 64;
const MAX_PATH_DEPTH = 10;

class AppError extends Error {
  constructor(readonly sw: number, message: string) {
    super(message);
  }
}

interface ParsedOutput {
  amount: bigint;
  address: string;
}

/** The pointers a C app would keep in its global `sign_ctx`. */
interface SignContext {
  path: PtrRef; // u32[depth]
  pathDepth: number;
  tx: PtrRef; // raw transaction bytes
  txLength: number;
  txCapacity: number;
  outputs: PtrRef; // OUTPUT_POINTER_SIZE × count: the output blocks, from the pool
  outputCount: number;
  fee: number;
  memo: PtrRef; // NUL-terminated copy of the memo
  digest: PtrRef; // 32 bytes
  pairs: PtrRef; // u32 pointers to the review values
  pairCount: number;
  /** Output blocks the review's display items hold a reference to. */
  displayRefs: number;
}

const nullRef = (): PtrRef => ({ ptr: null });

function emptyContext(): SignContext {
  return {
    path: nullRef(),
    pathDepth: 0,
    tx: nullRef(),
    txLength: 0,
    txCapacity: 0,
    outputs: nullRef(),
    outputCount: 0,
    fee: 0,
    memo: nullRef(),
    digest: nullRef(),
    pairs: nullRef(),
    pairCount: 0,
    displayRefs: 0,
  };
}

export class WalletApp {
  /** Review-screen answer; the tests set it before sending the last chunk. */
  decide: ReviewDecision = () => 'approve';
  /** The pairs shown on the last review screen. */
  lastReview: ReviewPair[] = [];
  private sign = emptyContext();
  private settings: PtrRef = nullRef();
  private outputPool: Pool | null = null;

  /**
   * `out` receives every line the app prints (already behind the emulator's
   * prefix). `poolRecords: false` builds the pool arena without profiling:
   * the log then holds only the records the reference script reads.
   */
  constructor(
    private readonly out: (line: string) => void,
    private readonly options: { poolRecords?: boolean } = {},
  ) {}

  /** `app_main`: initialise the heap (and print its `init` record). */
  boot(): void {
    this.initHeap();
    this.initPools();
    this.printf(`${APP_NAME} ${APP_VERSION} ready`);
  }

  /** The pool arena and the output pool, created at boot as a C app's static pools are (a fresh process: no pool yet). */
  private initPools(): void {
    resetPools();
    const region = createAllocator('sdk', new Uint8Array(POOL_ARENA_SIZE), { base: POOL_ARENA_BASE });
    const arena = this.options.poolRecords === false ? region : profile(region, { sink: this.out, prefix: EMULATOR_PREFIX, heap: 'pools' });
    this.outputPool = createPool('app.outputs', OUTPUT_STRUCT_SIZE, { from: arena });
    setNumObjsToForce(this.outputPool, OUTPUT_POOL_FORCE);
    expandPool(this.outputPool, OUTPUT_POOL_BLOCKS);
  }

  private initHeap(): void {
    if (!mem_utils_init(HEAP_SIZE, { log: this.out, prefix: EMULATOR_PREFIX, sdkPrintf: true })) {
      throw new Error('heap init failed');
    }
    this.sign = emptyContext();
    this.settings = nullRef();
  }

  private get heap(): AppHeap {
    return mem_utils_heap() as AppHeap;
  }

  /** The app's PRINTF, as the emulator shows it. */
  printf(text: string): void {
    this.out(EMULATOR_PREFIX + text);
  }

  /** The APDU dispatcher. */
  handle(apdu: Apdu): ApduResponse {
    this.printf(`Processing APDU INS=0x${apdu.ins.toString(16).padStart(2, '0')}`);
    try {
      if (apdu.cla !== CLA) throw new AppError(SW.CLA_NOT_SUPPORTED, 'bad CLA');
      switch (apdu.ins) {
        case INS.GET_VERSION:
          return this.getVersion();
        case INS.GET_PUBLIC_KEY:
          return this.getPublicKey(apdu.data);
        case INS.SIGN_TX:
          return this.signTx(apdu);
        case INS.GET_SETTINGS:
          return this.getSettings();
        default:
          throw new AppError(SW.INS_NOT_SUPPORTED, 'unknown INS');
      }
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      this.printf(`Error 0x${e.sw.toString(16)}: ${e.message}`);
      if (e.sw === SW.WRONG_DATA && this.sign.tx.ptr !== null) {
        // Error recovery: drop the whole sign context at once by
        // re-initialising the heap. Cheap, but every live block is gone:
        // the analyzer reports them as reclaimed by the reset.
        this.printf('Malformed transaction, resetting the heap');
        // The pool is not on the heap: its blocks go back one by one first.
        this.releaseOutputs();
        this.initHeap();
      }
      return { sw: e.sw, data: new Uint8Array(0) };
    }
  }

  // --- GET_VERSION ----------------------------------------------------------

  private getVersion(): ApduResponse {
    const name = APP_MEM_STRDUP(`${APP_NAME} ${APP_VERSION}`);
    if (name === null) throw new AppError(SW.NOT_ENOUGH_MEMORY, 'no memory for the name');
    const data = this.heap.read(name, this.heap.readString(name).length);
    APP_MEM_FREE(name);
    return { sw: SW.OK, data };
  }

  // --- GET_PUBLIC_KEY -------------------------------------------------------

  private getPublicKey(data: Uint8Array): ApduResponse {
    const path: PtrRef = nullRef();
    const depth = this.readPath(data, path);
    const key = APP_MEM_ALLOC(65);
    if (key === null) {
      APP_MEM_FREE_AND_NULL(path);
      throw new AppError(SW.NOT_ENOUGH_MEMORY, 'no memory for the key');
    }
    const pub = derivePublicKey(this.heap.read(path.ptr!, depth * 4));
    this.heap.write(key, pub);
    const out = this.heap.read(key, 65);
    APP_MEM_FREE(key);
    APP_MEM_FREE_AND_NULL(path);
    return { sw: SW.OK, data: out };
  }

  /** Parses a BIP32 path (depth byte + u32 BE each) into a fresh buffer; returns the depth. */
  private readPath(data: Uint8Array, path: PtrRef): number {
    const depth = data[0] ?? 0;
    if (depth === 0 || depth > MAX_PATH_DEPTH || data.length < 1 + 4 * depth) throw new AppError(SW.WRONG_LENGTH, 'bad path');
    if (!APP_MEM_CALLOC(path, 4 * depth)) throw new AppError(SW.NOT_ENOUGH_MEMORY, 'no memory for the path');
    this.heap.write(path.ptr!, data.subarray(1, 1 + 4 * depth));
    return depth;
  }

  // --- GET_SETTINGS ---------------------------------------------------------

  private getSettings(): ApduResponse {
    if (this.settings.ptr === null) {
      // Settings live as long as the app: kept on purpose, logged as `persist`.
      if (!APP_MEM_PERMANENT(this.settings, SETTINGS_SIZE)) throw new AppError(SW.NOT_ENOUGH_MEMORY, 'no memory for settings');
      this.heap.write(this.settings.ptr!, [1, 0, 1, 3]); // blind signing, no debug, contract data, 3 confirmations
    }
    return { sw: SW.OK, data: this.heap.read(this.settings.ptr!, 4) };
  }

  // --- SIGN_TX --------------------------------------------------------------

  private signTx(apdu: Apdu): ApduResponse {
    const s = this.sign;
    if (apdu.p1 === P1_FIRST) {
      this.resetSignContext();
      s.pathDepth = this.readPath(apdu.data, s.path);
      this.appendTx(apdu.data.subarray(1 + 4 * s.pathDepth));
    } else if (apdu.p1 === P1_MORE) {
      if (s.tx.ptr === null) throw new AppError(SW.BAD_STATE, 'no transaction started');
      this.appendTx(apdu.data);
    } else {
      throw new AppError(SW.WRONG_DATA, 'bad P1');
    }
    if (apdu.p2 === P2_MORE) return { sw: SW.OK, data: new Uint8Array(0) };

    // The whole transaction is in: trim the buffer (in place, not logged).
    s.tx.ptr = APP_MEM_REALLOC(s.tx.ptr, s.txLength);
    s.txCapacity = s.txLength;
    this.parseTx();
    this.hashTx();
    const pairs = this.buildReview();
    this.lastReview = pairs;
    if (this.decide(pairs) === 'reject') {
      this.printf('Transaction rejected');
      // DEMO BUG: the buffer is freed here without clearing the pointer, and
      // resetSignContext() frees it again: a double free the heap ignores.
      APP_MEM_FREE(s.tx.ptr);
      // DEMO BUG: the rejected review's display items are dropped without
      // releasing their references: each output block keeps one and never
      // returns to the pool.
      s.displayRefs = 0;
      this.resetSignContext();
      return { sw: SW.DENIED, data: new Uint8Array(0) };
    }
    const signature = this.signDigest();
    this.resetSignContext();
    return { sw: SW.OK, data: signature };
  }

  private appendTx(chunk: Uint8Array): void {
    const s = this.sign;
    if (s.tx.ptr === null) {
      s.tx.ptr = APP_MEM_ALLOC(TX_CHUNK_CAPACITY);
      if (s.tx.ptr === null) throw new AppError(SW.NOT_ENOUGH_MEMORY, 'no memory for the transaction');
      s.txCapacity = TX_CHUNK_CAPACITY;
      s.txLength = 0;
    }
    if (s.txLength + chunk.length > s.txCapacity) {
      // Grow by whole chunks: the heap is small, doubling would waste it.
      const capacity = Math.ceil((s.txLength + chunk.length) / TX_CHUNK_CAPACITY) * TX_CHUNK_CAPACITY;
      const grown = APP_MEM_REALLOC(s.tx.ptr, capacity);
      if (grown === null) throw new AppError(SW.NOT_ENOUGH_MEMORY, 'transaction too big');
      s.tx.ptr = grown;
      s.txCapacity = capacity;
    }
    this.heap.write(s.tx.ptr, chunk, s.txLength);
    s.txLength += chunk.length;
  }

  /** Transaction: version u8, count u8, count × (amount u64 BE, len u8, address), fee u32 BE, memo len u8, memo. */
  private parseTx(): void {
    const s = this.sign;
    const tx = this.heap.read(s.tx.ptr!, s.txLength);
    const view = new DataView(tx.buffer, tx.byteOffset, tx.byteLength);
    if (tx.length < 2 || tx[0] !== 1) throw new AppError(SW.WRONG_DATA, 'bad transaction version');
    const count = tx[1];
    if (!APP_MEM_CALLOC(s.outputs, count * OUTPUT_POINTER_SIZE)) throw new AppError(SW.NOT_ENOUGH_MEMORY, 'no memory for outputs');
    const table = this.heap.bytes(s.outputs.ptr!);
    const blocks = new DataView(table.buffer, table.byteOffset, table.byteLength);
    let at = 2;
    for (let i = 0; i < count; i++) {
      if (at + 9 > tx.length) throw new AppError(SW.WRONG_DATA, `output ${i + 1} is truncated`);
      const len = tx[at + 8];
      if (at + 9 + len > tx.length) throw new AppError(SW.WRONG_DATA, `address ${i + 1} is truncated`);
      // One pool block per output; an empty pool grows by force (and counts an overflow).
      const block = forceAlloc(this.outputPool!);
      blocks.setUint32(i * OUTPUT_POINTER_SIZE, block, true);
      s.outputCount = i + 1;
      const bytes = objectBytes(block);
      const out = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      out.setUint32(0, view.getUint32(at), true);
      out.setUint32(4, view.getUint32(at + 4), true);
      out.setUint32(8, at + 9, true); // addresses stay in the tx buffer
      out.setUint32(12, len, true);
      at += 9 + len;
    }
    if (at + 5 > tx.length) throw new AppError(SW.WRONG_DATA, 'fee is truncated');
    s.fee = view.getUint32(at);
    const memoLength = tx[at + 4];
    if (at + 5 + memoLength !== tx.length) throw new AppError(SW.WRONG_DATA, 'bad memo length');
    if (memoLength > 0) {
      s.memo.ptr = APP_MEM_STRDUP(new TextDecoder().decode(tx.subarray(at + 5)));
      if (s.memo.ptr === null) throw new AppError(SW.NOT_ENOUGH_MEMORY, 'no memory for the memo');
    }
  }

  /** The pool block of output `i`. */
  private outputBlock(i: number): number {
    const table = this.heap.bytes(this.sign.outputs.ptr!);
    return new DataView(table.buffer, table.byteOffset, table.byteLength).getUint32(i * OUTPUT_POINTER_SIZE, true);
  }

  private output(i: number): ParsedOutput {
    const s = this.sign;
    const bytes = objectBytes(this.outputBlock(i));
    const out = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const amount = (BigInt(out.getUint32(0, true)) << 32n) | BigInt(out.getUint32(4, true));
    const from = out.getUint32(8, true);
    const len = out.getUint32(12, true);
    const address = new TextDecoder().decode(this.heap.read(s.tx.ptr!, len, from));
    return { amount, address };
  }

  private hashTx(): void {
    const s = this.sign;
    const ctx = APP_MEM_ALLOC(HASH_CONTEXT_SIZE);
    if (ctx === null) throw new AppError(SW.NOT_ENOUGH_MEMORY, 'no memory for hashing');
    if (!APP_MEM_CALLOC(s.digest, 32)) {
      APP_MEM_FREE(ctx);
      throw new AppError(SW.NOT_ENOUGH_MEMORY, 'no memory for the digest');
    }
    this.heap.write(s.digest.ptr!, createHash('sha256').update(this.heap.read(s.tx.ptr!, s.txLength)).digest());
    APP_MEM_FREE(ctx);
  }

  /** One value string per output, then the fee and the memo, behind a table of pointers. */
  private buildReview(): ReviewPair[] {
    const s = this.sign;
    const pairs: ReviewPair[] = [];
    for (let i = 0; i < s.outputCount; i++) {
      const o = this.output(i);
      pairs.push({ title: `Output ${i + 1}`, value: `${formatAmount(o.amount)} to ${o.address}` });
      // The display item shows this output: it holds a reference to its block.
      addRef(this.outputBlock(i));
      s.displayRefs = i + 1;
    }
    pairs.push({ title: 'Fee', value: formatAmount(BigInt(s.fee)) });
    const values = pairs.length;
    if (!APP_MEM_CALLOC(s.pairs, (values + 1) * 4)) throw new AppError(SW.NOT_ENOUGH_MEMORY, 'no memory for the review');
    const table = this.heap.bytes(s.pairs.ptr!);
    const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
    for (let i = 0; i < values; i++) {
      const value = APP_MEM_STRDUP(pairs[i].value);
      if (value === null) throw new AppError(SW.NOT_ENOUGH_MEMORY, 'no memory for the review');
      view.setUint32(i * 4, value, true);
      s.pairCount = i + 1;
    }
    if (s.memo.ptr !== null) {
      // The memo line shows the parsed copy itself: no duplicate.
      view.setUint32(values * 4, s.memo.ptr, true);
      pairs.push({ title: 'Memo', value: this.heap.readString(s.memo.ptr) });
    }
    return pairs;
  }

  private signDigest(): Uint8Array {
    const s = this.sign;
    const sig = APP_MEM_ALLOC(SIGNATURE_SIZE);
    if (sig === null) throw new AppError(SW.NOT_ENOUGH_MEMORY, 'no memory for the signature');
    const key = derivePrivateKey(this.heap.read(s.path.ptr!, s.pathDepth * 4));
    const digest = this.heap.read(s.digest.ptr!, 32);
    const r = createHmac('sha256', key).update(digest).digest();
    const v = createHmac('sha256', key).update(r).digest();
    this.heap.write(sig, [0x30, 0x44, ...r, ...v]);
    const out = this.heap.read(sig, 2 + 64);
    APP_MEM_FREE(sig);
    return out;
  }

  /** The review's references to the output blocks, then the context's own: at 0 a block returns to the pool. */
  private releaseOutputs(): void {
    const s = this.sign;
    if (s.outputs.ptr !== null) {
      for (let i = 0; i < s.displayRefs; i++) release(this.outputBlock(i));
      for (let i = 0; i < s.outputCount; i++) release(this.outputBlock(i));
    }
    s.displayRefs = 0;
    s.outputCount = 0;
  }

  /** Frees everything the sign flow holds. */
  private resetSignContext(): void {
    const s = this.sign;
    if (s.pairs.ptr !== null) {
      const table = this.heap.bytes(s.pairs.ptr);
      const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
      for (let i = 0; i < s.pairCount; i++) APP_MEM_FREE(view.getUint32(i * 4, true));
      APP_MEM_FREE_AND_NULL(s.pairs);
      s.pairCount = 0;
    }
    this.releaseOutputs();
    APP_MEM_FREE_AND_NULL(s.digest);
    APP_MEM_FREE_AND_NULL(s.outputs);
    APP_MEM_FREE_AND_NULL(s.tx);
    APP_MEM_FREE_AND_NULL(s.path);
    // DEMO BUG: s.memo is never freed; the next transaction overwrites the
    // pointer and the old copy leaks.
    s.memo.ptr = null;
    s.outputCount = 0;
    s.fee = 0;
    s.txLength = 0;
    s.txCapacity = 0;
  }
}

function formatAmount(units: bigint): string {
  const whole = units / 100_000_000n;
  const frac = (units % 100_000_000n).toString().padStart(8, '0').replace(/0+$/, '');
  return `${whole}${frac === '' ? '' : '.' + frac} VAL`;
}

const SEED = Buffer.from('valground demo seed, not a real wallet');

function derivePrivateKey(path: Uint8Array): Buffer {
  return createHmac('sha256', SEED).update(path).digest();
}

function derivePublicKey(path: Uint8Array): Uint8Array {
  const k = derivePrivateKey(path);
  return Uint8Array.from([0x04, ...createHash('sha256').update(k).digest(), ...createHash('sha256').update(k).update('y').digest()]);
}

// --- helpers for clients (the tests) --------------------------------------------

/** Encodes a BIP32 path like "m/44'/1'/0'/0/0" as depth + u32 BE each. */
export function encodePath(path: string): Uint8Array {
  const parts = path.replace(/^m\//, '').split('/');
  const out = new Uint8Array(1 + 4 * parts.length);
  out[0] = parts.length;
  const view = new DataView(out.buffer);
  parts.forEach((p, i) => view.setUint32(1 + 4 * i, (Number.parseInt(p, 10) + (p.endsWith("'") ? 0x80000000 : 0)) >>> 0));
  return out;
}

export interface TxOutput {
  amount: bigint;
  address: string;
}

/** Serialises a transaction in the app's format. */
export function encodeTx(outputs: TxOutput[], fee: number, memo = ''): Uint8Array {
  const memoBytes = new TextEncoder().encode(memo);
  const parts: number[] = [1, outputs.length];
  for (const o of outputs) {
    const amount = new Uint8Array(8);
    new DataView(amount.buffer).setBigUint64(0, o.amount);
    const address = new TextEncoder().encode(o.address);
    parts.push(...amount, address.length, ...address);
  }
  const feeBytes = new Uint8Array(4);
  new DataView(feeBytes.buffer).setUint32(0, fee);
  parts.push(...feeBytes, memoBytes.length, ...memoBytes);
  return Uint8Array.from(parts);
}
