import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { statusOf, wholeLines } from '../../src/cli/run.js';

/** The chunks as pushed ('data' events; an async iterator would join them). */
function chunksOf(input: Buffer[]): Promise<Buffer[]> {
  return new Promise((done, fail) => {
    const out: Buffer[] = [];
    Readable.from(input)
      .pipe(wholeLines())
      .on('data', (c: Buffer) => out.push(c))
      .on('end', () => done(out))
      .on('error', fail);
  });
}

async function collect(chunks: string[]): Promise<string[]> {
  return (await chunksOf(chunks.map((c) => Buffer.from(c)))).map(String);
}

describe('wholeLines', () => {
  it('passes only whole lines, in blocks', async () => {
    const out = await collect(['a1\na', '2\nb1', 'b1b1', '\nc\n', 'tail']);
    expect(out.join('')).toBe('a1\na2\nb1b1b1\nc\ntail\n');
    for (const chunk of out) expect(chunk.endsWith('\n')).toBe(true);
    expect(out).toEqual(['a1\n', 'a2\n', 'b1b1b1\nc\n', 'tail\n']);
  });

  it('never cuts a multi-byte character', async () => {
    const bytes = Buffer.from('é€\n😀x\n');
    const out = await chunksOf([bytes.subarray(0, 1), bytes.subarray(1, 6), bytes.subarray(6)]);
    expect(out.map((b) => b.toString('utf8'))).toEqual(['é€\n', '😀x\n']);
  });

  it('adds nothing to empty input', async () => {
    expect(await collect([])).toEqual([]);
  });
});

describe('statusOf', () => {
  it('is the exit code, or 128 + the signal number', () => {
    expect(statusOf({ code: 0, signal: null })).toBe(0);
    expect(statusOf({ code: 3, signal: null })).toBe(3);
    expect(statusOf({ code: null, signal: 'SIGTERM' })).toBe(143);
    expect(statusOf({ code: null, signal: 'SIGINT' })).toBe(130);
    expect(statusOf({ code: null, signal: 'SIGKILL' })).toBe(137);
  });
});
