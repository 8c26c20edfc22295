/**
 * A scripted, pytest-like test session of the demo wallet: what
 * `pytest -v -s` (or `pytest -s`) prints when a Ledger app's functional tests
 * run on the emulator, the app's memory-profiling records interleaved with
 * the rest of its output. Deterministic: a simulated clock, no randomness.
 *
 * Each test starts a fresh emulator (the app boots and prints `init`); one
 * test leaks, one double-frees, one keeps a permanent buffer, one resets the
 * heap mid-test and one nearly fills the heap.
 */
import {
  type Apdu,
  type ApduResponse,
  CLA,
  encodePath,
  encodeTx,
  INS,
  P1_FIRST,
  P1_MORE,
  P2_LAST,
  P2_MORE,
  type ReviewDecision,
  SW,
  type TxOutput,
  WalletApp,
} from './wallet.js';

/** What a test gets: the app behind an emulator, and assertions. */
export interface TestClient {
  exchange(ins: number, p1: number, p2: number, data?: Uint8Array): ApduResponse;
  /** Sends a transaction to sign in APDU-sized chunks; the review answer is `decide`'s. */
  signTx(path: string, tx: Uint8Array, decide?: ReviewDecision): ApduResponse;
  /** The review pairs shown for the last transaction. */
  review(): { title: string; value: string }[];
  expect(condition: boolean, message: string): void;
}

export interface DemoTest {
  /** Test function name, e.g. `test_sign_tx`. */
  name: string;
  run(t: TestClient): void;
}

const PATH = "m/44'/1'/0'/0/0";
const MAX_APDU_DATA = 255;

function address(i: number): string {
  // Deterministic bech32-looking addresses.
  let x = (0x9e3779b9 * (i + 1)) >>> 0;
  let s = 'vg1q';
  const alphabet = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
  for (let k = 0; k < 38; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    s += alphabet[(x >>> 0) % 32];
  }
  return s;
}

function outputs(n: number): TxOutput[] {
  return Array.from({ length: n }, (_, i) => ({ amount: BigInt(1_250_000 * (i + 1) + 37), address: address(i) }));
}

const ok = (t: TestClient, r: ApduResponse, what: string) =>
  t.expect(r.sw === SW.OK, `${what}: expected 0x9000, got 0x${r.sw.toString(16)}`);

/** The demo suite, in collection order. */
export const DEMO_TESTS: readonly DemoTest[] = [
  {
    name: 'test_app_version',
    run(t) {
      const r = t.exchange(INS.GET_VERSION, 0, 0);
      ok(t, r, 'GET_VERSION');
      t.expect(new TextDecoder().decode(r.data) === 'Valground Demo 1.4.2', 'unexpected app name');
    },
  },
  {
    name: 'test_get_public_key',
    run(t) {
      const r = t.exchange(INS.GET_PUBLIC_KEY, 0, 0, encodePath(PATH));
      ok(t, r, 'GET_PUBLIC_KEY');
      t.expect(r.data.length === 65 && r.data[0] === 0x04, 'not an uncompressed public key');
    },
  },
  {
    name: 'test_sign_tx',
    run(t) {
      const r = t.signTx(PATH, encodeTx(outputs(2), 1200));
      ok(t, r, 'SIGN_TX');
      t.expect(r.data.length === 66, 'bad signature length');
      t.expect(t.review().length === 3, 'review should show 2 outputs and the fee');
    },
  },
  {
    // Leaks: the app never frees its copy of the memo.
    name: 'test_sign_tx_with_memo',
    run(t) {
      const r = t.signTx(PATH, encodeTx(outputs(1), 900, 'Rent for March, flat 3B 🏠'));
      ok(t, r, 'SIGN_TX');
      t.expect(t.review().at(-1)?.value === 'Rent for March, flat 3B 🏠', 'memo not shown');
    },
  },
  {
    // Double free: the rejection path frees the transaction buffer twice.
    name: 'test_sign_tx_reject',
    run(t) {
      const r = t.signTx(PATH, encodeTx(outputs(1), 900), () => 'reject');
      t.expect(r.sw === SW.DENIED, `expected 0x6985, got 0x${r.sw.toString(16)}`);
    },
  },
  {
    // Keeps a permanent buffer: the settings cache, allocated once.
    name: 'test_settings',
    run(t) {
      const first = t.exchange(INS.GET_SETTINGS, 0, 0);
      const again = t.exchange(INS.GET_SETTINGS, 0, 0);
      ok(t, first, 'GET_SETTINGS');
      t.expect(first.data.join() === again.data.join(), 'settings changed');
    },
  },
  {
    // Resets the heap mid-test: the app's error recovery re-initialises it
    // with the sign context still allocated.
    name: 'test_sign_tx_malformed',
    run(t) {
      const tx = encodeTx(outputs(2), 700, 'x');
      const bad = tx.slice(0, -1); // memo shorter than announced
      const r = t.signTx(PATH, bad);
      t.expect(r.sw === SW.WRONG_DATA, `expected 0x6a80, got 0x${r.sw.toString(16)}`);
      ok(t, t.exchange(INS.GET_VERSION, 0, 0), 'GET_VERSION after the reset');
    },
  },
  {
    // Nearly fills the 8 KiB heap: a transaction with many outputs, sent in
    // several APDUs, and a long review.
    name: 'test_sign_tx_many_outputs',
    run(t) {
      const r = t.signTx(PATH, encodeTx(outputs(58), 5000));
      ok(t, r, 'SIGN_TX');
      t.expect(t.review().length === 59, 'review should list every output');
    },
  },
];

export interface SessionOptions {
  tests?: readonly DemoTest[];
  /**
   * `verbose`: `pytest -v -s` (node ids, PASSED/FAILED), the test's first output on its node id's line;
   * `separate`: the same with the node id on a line of its own, the shape the reference script reads;
   * `plain`: `pytest -s` (one character per test).
   */
  style?: 'verbose' | 'separate' | 'plain';
  /** Parameter of every test, as ragger's device fixture. Default `nanox`. */
  device?: string;
  /** Test module path. Default `tests/test_wallet.py`. */
  module?: string;
  /** Awaited after each test: lets a consumer of the output keep up. */
  afterTest?: () => Promise<void> | void;
  /**
   * Print the pools' records (`pool@`, `alloc@POOL`, … and the pool arena's
   * `@pools` heap). Default true; false for logs the reference script must
   * read (it crashes on any kind it does not know).
   */
  poolRecords?: boolean;
}

export interface SessionResult {
  passed: number;
  failed: number;
}

class TestFailure extends Error {}

/** pytest's `sep('=', text)` at 80 columns. */
function banner(text: string): string {
  const n = Math.max(0, Math.floor((80 - text.length - 2) / 2));
  let line = '='.repeat(n) + ' ' + text + ' ' + '='.repeat(n);
  if (line.length < 80) line += '=';
  return line;
}

/** A deterministic clock for durations and the emulator's HTTP log. */
class SimClock {
  private ms = 0;
  tick(ms: number): void {
    this.ms += ms;
  }
  get seconds(): number {
    return this.ms / 1000;
  }
  stamp(): string {
    const total = 3723 + Math.floor(this.ms / 1000); // starts at 01:02:03
    const hh = String(Math.floor(total / 3600) % 24).padStart(2, '0');
    const mm = String(Math.floor(total / 60) % 60).padStart(2, '0');
    const ss = String(total % 60).padStart(2, '0');
    return `22/Nov/2026 ${hh}:${mm}:${ss}`;
  }
}

/**
 * Runs the session, writing its output as pytest would print it. `write`
 * receives text chunks (lines end with `\n`; a node id is followed by a space
 * and the test's first output on the same line, as with `-v -s`).
 */
export async function runSession(write: (text: string) => void, options: SessionOptions = {}): Promise<SessionResult> {
  const tests = options.tests ?? DEMO_TESTS;
  const style = options.style ?? 'verbose';
  const verbose = style !== 'plain';
  const device = options.device ?? 'nanox';
  const module = options.module ?? 'tests/test_wallet.py';
  const clock = new SimClock();
  const failures: { id: string; message: string }[] = [];
  let passed = 0;

  write(banner('test session starts') + '\n');
  write('platform linux -- Python 3.11.7, pytest-8.3.4, pluggy-1.5.0' + (verbose ? ' -- /usr/bin/python3\n' : '\n'));
  if (verbose) write('cachedir: .pytest_cache\n');
  write('rootdir: /app\nconfigfile: pyproject.toml\nplugins: ragger-1.27.0\n');
  const items = `collected ${tests.length} item${tests.length === 1 ? '' : 's'}`;
  write((verbose ? 'collecting ... ' : '') + items + '\n\n');
  if (style === 'plain') write(module + ' ');

  for (const test of tests) {
    const id = `${module}::${test.name}[${device}]`;
    if (verbose) write(id + (style === 'separate' ? ' \n' : ' '));
    const out = (line: string) => write(line + '\n');
    const app = new WalletApp(out, { poolRecords: options.poolRecords ?? true });
    clock.tick(120); // emulator start
    const client: TestClient = {
      exchange(ins, p1, p2, data = new Uint8Array(0)) {
        const apdu: Apdu = { cla: CLA, ins, p1, p2, data };
        const r = app.handle(apdu);
        clock.tick(40);
        out(`werkzeug: 127.0.0.1 - - [${clock.stamp()}] "POST /apdu HTTP/1.1" 200 -`);
        return r;
      },
      signTx(path, tx, decide = () => 'approve') {
        app.decide = decide;
        const head = encodePath(path);
        const first = tx.subarray(0, MAX_APDU_DATA - head.length);
        let rest = tx.subarray(first.length);
        let r = client.exchange(INS.SIGN_TX, P1_FIRST, rest.length > 0 ? P2_MORE : P2_LAST, Uint8Array.from([...head, ...first]));
        while (r.sw === SW.OK && rest.length > 0) {
          const chunk = rest.subarray(0, MAX_APDU_DATA);
          rest = rest.subarray(chunk.length);
          r = client.exchange(INS.SIGN_TX, P1_MORE, rest.length > 0 ? P2_MORE : P2_LAST, chunk);
        }
        return r;
      },
      review: () => app.lastReview,
      expect(condition, message) {
        if (!condition) throw new TestFailure(message);
      },
    };
    let failure: string | null = null;
    try {
      app.boot();
      test.run(client);
    } catch (e) {
      failure = e instanceof TestFailure ? `AssertionError: ${e.message}` : `${(e as Error).name}: ${(e as Error).message}`;
    }
    if (failure === null) passed++;
    else failures.push({ id, message: failure });
    if (verbose) write(failure === null ? 'PASSED\n' : 'FAILED\n');
    else write(failure === null ? '.' : 'F');
    await options.afterTest?.();
  }

  if (style === 'plain') write('\n');
  if (failures.length > 0) {
    write('\n' + banner('FAILURES') + '\n');
    for (const f of failures) write(`${banner(f.id.slice(f.id.indexOf('::') + 2)).replace(/=/g, '_')}\n\nE   ${f.message}\n\n`);
    write(banner('short test summary info') + '\n');
    for (const f of failures) write(`FAILED ${f.id} - ${f.message}\n`);
  } else {
    write('\n');
  }
  const counts = [failures.length > 0 ? `${failures.length} failed` : '', passed > 0 ? `${passed} passed` : ''].filter(Boolean).join(', ');
  write(banner(`${counts || 'no tests ran'} in ${clock.seconds.toFixed(2)}s`) + '\n');
  return { passed, failed: failures.length };
}
