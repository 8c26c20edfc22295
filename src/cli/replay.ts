/**
 * `valground replay LOG [--allocator LIST] [--heap-size N] [--per-test]
 * [--reporter text|json[:PATH]]` (SPEC §6.8): each heap segment of the log
 * replayed through the chosen allocators; a table per heap on standard
 * output, or the JSON document. Exit status: 0, or 2 for a usage error or
 * an input that cannot be read (the report files are then left as they were).
 */
import { finishReplayReader, replayReader } from '../analyzer/replay-read.js';
import { replayLog } from '../analyzer/replay.js';
import { STRATEGIES, type StrategyName } from '../heap/create.js';
import { renderReplayJson, renderReplayText } from '../reporters/replay.js';
import type { Io } from './analyze.js';
import { checkDestinations } from './destinations.js';
import { checkInputs, parseMaxLineBytes, readInput } from './input.js';
import { checkOneOnStdout, splitReporterSpec } from './outputs.js';
import { UsageError } from './system-error.js';
import { openDestination } from './report-files.js';

export interface ReplayCommandOptions {
  allocator?: string;
  heapSize?: string;
  perTest?: boolean;
  reporter: string[];
  maxLineBytes?: string;
}

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** `--allocator sdk,tlsf`: strategy names, each once, in the order given (default: all). */
export function parseAllocators(value: string | undefined): StrategyName[] {
  if (value === undefined) return [...STRATEGIES];
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError(`--allocator: name one or more of ${STRATEGIES.join(', ')}`);
  const out: StrategyName[] = [];
  for (const name of names) {
    if (!(STRATEGIES as readonly string[]).includes(name)) throw new UsageError(`--allocator: unknown allocator "${name}" (one of ${STRATEGIES.join(', ')})`);
    if (!out.includes(name as StrategyName)) out.push(name as StrategyName);
  }
  return out;
}

/** Largest `--heap-size`: each allocator gets a region of that many bytes. */
const MAX_HEAP_SIZE = 64 * 1024 * 1024;

/** `--heap-size N`: bytes, decimal or 0x hexadecimal. */
export function parseHeapSize(value: string | undefined): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  const size = /^\d+$/.test(v) ? Number(v) : /^0x[0-9a-f]+$/i.test(v) ? Number.parseInt(v.slice(2), 16) : NaN;
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_HEAP_SIZE) {
    throw new UsageError(`--heap-size ${value}: expected a size in bytes up to 64 MiB, such as 8192 or 0x2000`);
  }
  return size;
}

/** `--reporter text`, `--reporter json:out/replay.json`: at most one on standard output. */
export function parseReplayReporters(values: readonly string[]): Array<{ name: Format; path: string | null }> {
  const specs = (values.length > 0 ? values : ['text']).map((value) => {
    const { name, path } = splitReporterSpec(value);
    if (!(FORMATS as readonly string[]).includes(name)) throw new UsageError(`--reporter ${value}: replay writes text or json`);
    return { name: name as Format, path };
  });
  checkOneOnStdout(specs);
  return specs;
}

export async function replayCommand(file: string, options: ReplayCommandOptions, io: Io): Promise<number> {
  const allocators = parseAllocators(options.allocator);
  const heapSize = parseHeapSize(options.heapSize);
  const maxLineBytes = parseMaxLineBytes(options.maxLineBytes);
  const specs = parseReplayReporters(options.reporter);
  checkDestinations({ reporters: specs, inputs: [file], stdinFd: io.stdin.fd, stdoutFd: io.stdout.fd });
  await checkInputs([file]);
  // Opened before reading: a report path that cannot be written fails first.
  const outputs = specs.map((s) => ({ format: s.name, to: openDestination(s.path, io.stdout) }));

  const reader = replayReader();
  const { analyzer } = reader;
  await readInput(file, io.stdin, analyzer.sink(maxLineBytes), maxLineBytes);
  const { log, facts } = finishReplayReader(reader);
  if (!facts.recordsSeen) io.stderr.write('valground: WARNING: no memory-profiling record (==MP …) was found: nothing to replay\n');

  const result = replayLog(log, { allocators, heapSize });
  const input = file === '-' ? 'standard input' : file;
  for (const o of outputs) o.to.write(o.format === 'json' ? renderReplayJson(result, input) : renderReplayText(result, { input, perTest: options.perTest === true }));
  for (const o of outputs) o.to.commit();
  return 0;
}
