/**
 * Call sites read from the stack: the `file:line` of the caller of the heap
 * library (any module of this folder), as a C app's `__FILE__:__LINE__`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF_DIR = path.dirname(fileURLToPath(import.meta.url));
// The heap library's folder as it appears in stack traces: itself, or (built
// to dist/ and run with source maps) the TypeScript folder it was compiled from.
const LIBRARY_DIRS = new Set([SELF_DIR, SELF_DIR.replace(/([\\/])dist([\\/]heap)$/, '$1src$2')]);
const UNKNOWN_SITE = 'unknown:0';

/**
 * `file:line` of the first stack frame outside the heap library, the file relative
 * to the working directory. Positions are what the stack shows: TypeScript
 * ones under tsx or vitest, and with `--enable-source-maps` /
 * `process.setSourceMapsEnabled(true)` for built code.
 */
export function callerSite(): string {
  // A short stack first: the caller is a few frames up, and formatting (with
  // source maps, mapping) every frame is what makes this slow.
  return siteFromStack(8) ?? siteFromStack(64) ?? UNKNOWN_SITE;
}

function siteFromStack(depth: number): string | null {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = depth;
  Error.captureStackTrace(holder, callerSite);
  Error.stackTraceLimit = limit;
  const stack = holder.stack ?? '';
  let from = stack.indexOf('\n');
  while (from >= 0) {
    const to = stack.indexOf('\n', from + 1);
    const line = stack.slice(from + 1, to < 0 ? undefined : to);
    from = to;
    const site = cachedFrameSite(line);
    if (site !== null) return site;
  }
  return null;
}

/** Frames repeat (a loop allocating from one line): remember what each one gave. */
const frameSites = new Map<string, string | null>();

function cachedFrameSite(frame: string): string | null {
  let site = frameSites.get(frame);
  if (site === undefined) {
    site = frameSite(frame);
    if (frameSites.size >= 4096) frameSites.clear(); // bounded: a cache, not a record
    frameSites.set(frame, site);
  }
  return site;
}

function frameSite(frame: string): string | null {
  let loc = frame.trim();
  if (!loc.startsWith('at ')) return null;
  loc = loc.slice(3);
  if (loc.endsWith(')')) {
    const open = loc.lastIndexOf(' (');
    loc = loc.slice(open < 0 ? 0 : open + 2, -1);
  }
  const m = /^(.*):(\d+):\d+$/.exec(loc);
  if (m === null) return null;
  let file = m[1];
  if (file.startsWith('node:') || file.includes('(eval at ')) return null;
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return null;
    }
  }
  if (LIBRARY_DIRS.has(path.dirname(file))) return null;
  if (path.isAbsolute(file)) file = path.relative(process.cwd(), file);
  return file.split(path.sep).join('/') + ':' + m[2];
}
