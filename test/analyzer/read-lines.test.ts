import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeStream } from '../../src/analyzer/analyze.js';
import { LineFramer } from '../../src/analyzer/frame.js';
import { frameStream, readFileLines } from '../../src/analyzer/read-lines.js';

const tmp = mkdtempSync(join(tmpdir(), 'vg-read-'));

function collector() {
  const lines: string[] = [];
  return { lines, framer: new LineFramer({ onLine: (t) => lines.push(t) }) };
}

describe('readFileLines', () => {
  it('reads a regular file larger than its buffer, last line without newline', async () => {
    const path = join(tmp, 'big.log');
    const body = Array.from({ length: 50_000 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}`);
    writeFileSync(path, body.join('\n'));
    const { lines, framer } = collector();
    expect(await readFileLines(path, framer)).toEqual({ aborted: false });
    expect(lines).toEqual(body);
  });

  it('reads a FIFO as a stream (skipped where mkfifo is missing)', async () => {
    const fifo = join(tmp, 'fifo');
    const made = await new Promise<boolean>((resolve) => spawn('mkfifo', [fifo]).on('close', (c) => resolve(c === 0)).on('error', () => resolve(false)));
    if (!made) return;
    const writer = spawn('sh', ['-c', `printf 'a\\nb\\nc' > ${fifo}`]);
    const { lines, framer } = collector();
    await readFileLines(fifo, framer);
    await new Promise((resolve) => writer.on('close', resolve));
    expect(lines).toEqual(['a', 'b', 'c']);
  });

  it('rejects with the system error naming the path: missing file, directory', async () => {
    await expect(readFileLines(join(tmp, 'missing'), collector().framer)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readFileLines(tmp, collector().framer)).rejects.toMatchObject({ code: 'EISDIR', path: tmp });
  });

  it('stops when aborted', async () => {
    const path = join(tmp, 'small.log');
    writeFileSync(path, 'a\nb\n');
    const { lines, framer } = collector();
    expect(await readFileLines(path, framer, AbortSignal.abort())).toEqual({ aborted: true });
    expect(lines).toEqual([]);
  });
});

describe('frameStream', () => {
  it('frames byte and string chunks', async () => {
    const { lines, framer } = collector();
    await frameStream(Readable.from(['a\nb', Buffer.from('c\n'), 'd']), framer);
    expect(lines).toEqual(['a', 'bc', 'd']);
  });

  it('rejects on a stream error, and a later error is not uncaught', async () => {
    const source = new PassThrough();
    const done = frameStream(source, collector().framer);
    source.write('a\n');
    source.destroy(new Error('EIO'));
    await expect(done).rejects.toThrow('EIO');
    source.emit('error', new Error('again')); // would throw without a listener
  });

  it('rejects when a handler throws, destroying the stream', async () => {
    const source = new PassThrough();
    const framer = new LineFramer({
      onLine: () => {
        throw new Error('handler');
      },
    });
    const done = frameStream(source, framer);
    source.write('a\n');
    await expect(done).rejects.toThrow('handler');
    expect(source.destroyed).toBe(true);
  });

  it('resolves as aborted when its signal fires, leaving the stream paused', async () => {
    const source = new PassThrough();
    const controller = new AbortController();
    const { lines, framer } = collector();
    const done = frameStream(source, framer, controller.signal);
    source.write('a\nb');
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await done).toEqual({ aborted: true });
    expect(lines).toEqual(['a']); // the half line is not delivered
    expect(source.isPaused()).toBe(true);
  });
});

describe('analyzeStream', () => {
  it('fed 600 MB without a newline gives a long-line diagnostic, never a RangeError; records before the cut are read', async () => {
    const block = Buffer.alloc(1 << 20, 0x78);
    let sent = 0;
    const source = new Readable({
      read() {
        if (sent === 0) this.push('seproxyhal: printf: ==MP init;0xda7a0000;4096\nseproxyhal: printf: ==MP alloc;8;0xda7a0064;a.c:1 ');
        if (sent++ < 600) this.push(block);
        else this.push(null);
      },
    });
    const result = await analyzeStream(source);
    expect(result.segments).toBe(1);
    expect(result.tests.flatMap((t) => t.leaks)).toHaveLength(1);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ line: 2, kind: 'long-line' }));
    expect(result.linesRead).toBe(2);
  });

  it('honours maxLineBytes and rejects on a stream error', async () => {
    const r = await analyzeStream(Readable.from(['x'.repeat(100) + '\n==MP init;0xda7a0000;4096\n']), { maxLineBytes: 30 });
    expect(r.diagnostics.filter((d) => d.kind === 'long-line')).toEqual([
      { line: 1, kind: 'long-line', message: 'line longer than 30 bytes (--max-line-bytes): cut there, 70 more bytes skipped' },
    ]);
    const failing = new Readable({
      read() {
        this.destroy(new Error('EIO: read failed'));
      },
    });
    await expect(analyzeStream(failing)).rejects.toThrow('EIO');
  });
});
