/** Reading JSON report files (`--baseline`, `merge`): the I/O around the report reader. */
import { readFile } from 'node:fs/promises';
import { peaksByName, type Baseline } from '../judge/baseline.js';
import { parseReport, readReport, ReportFileError, type ReadReport } from '../report/read.js';
import type { ReportDoc } from '../report/schema.js';

/** Reads and validates a report file; an unreadable or wrong one is a ReportFileError naming it. */
export async function loadReportDoc(file: string): Promise<ReportDoc> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ReportFileError(file, `cannot read (${err.code ?? err.message})`);
  }
  return parseReport(text, file);
}

export async function loadReportFile(file: string): Promise<ReadReport> {
  return readReport(await loadReportDoc(file), file);
}

/** A baseline: the peaks of a previous report, with the growth allowed over them. */
export async function loadBaseline(file: string, maxGrowth = 0): Promise<Baseline & { file: string }> {
  return { file, peaks: peaksByName((await loadReportDoc(file)).tests), maxGrowth };
}
