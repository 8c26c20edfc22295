import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discardPendingReports, ReportFile } from '../../src/cli/report-files.js';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'vg-report-file-'));
}

describe('ReportFile', () => {
  it('leaves the old file in place until commit, then replaces it whole', () => {
    const d = folder();
    const path = join(d, 'r.json');
    writeFileSync(path, 'old');
    const f = new ReportFile(path);
    f.write('x'.repeat(3 << 20)); // past the flush size: already on disk, in the temporary file
    f.write('end');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(d)).toHaveLength(2);
    f.commit();
    expect(readFileSync(path, 'utf8')).toBe('x'.repeat(3 << 20) + 'end');
    expect(readdirSync(d)).toEqual(['r.json']);
  });

  it('discarded (an error on the way), the destination stays as it was and no temporary file is left', () => {
    const d = folder();
    const old = join(d, 'old.json');
    writeFileSync(old, 'old');
    const a = new ReportFile(old);
    const b = new ReportFile(join(d, 'new/fresh.json'));
    a.write('new');
    b.write('new');
    discardPendingReports();
    expect(readFileSync(old, 'utf8')).toBe('old');
    expect(existsSync(join(d, 'new/fresh.json'))).toBe(false);
    expect(readdirSync(d).sort()).toEqual(['new', 'old.json']);
    expect(readdirSync(join(d, 'new'))).toEqual([]);
    a.discard(); // discarding twice is harmless
  });

  it('a directory, or a path below a file, is an error naming the path', () => {
    const d = folder();
    expect(() => new ReportFile(d)).toThrow(`cannot write report ${d}: EISDIR (is a directory)`);
    writeFileSync(join(d, 'f'), '');
    expect(() => new ReportFile(join(d, 'f/r.json'))).toThrow(/ENOTDIR/);
  });
});
