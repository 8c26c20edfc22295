/**
 * The JSON report (SPEC §5.3, `"schema": "valground-report/1"`), defined
 * once: this schema gives the writer's shape (`ReportDoc`), the reader's
 * validation (`merge`, `--baseline`) and the TypeScript types. Numbers stay
 * numbers; addresses are `"0x%08x"` strings.
 *
 * The schema stays `valground-report/1` while changes are additions: every
 * field added after the first version is optional here, so every report
 * this project ever wrote still reads; unknown fields are ignored.
 */
import { z } from 'zod';
import { OUTCOMES } from '../harness/types.js';
import { CORRUPTION_KINDS, parseAddress } from '../protocol/records.js';
import { REPORT_SCHEMA } from './names.js';

export { REPORT_SCHEMA };

const count = z.number().int().nonnegative();
const num = z.number().finite();
const ADDRESS = /^0[xX](?:0[xX])?[0-9a-fA-F]+$/;
/** `"0x%08x"`; numbers are accepted from hand-made files. Past 2^53 an address could not be read back exactly: refused. */
const address = z.custom<string | number>(
  (v) => (typeof v === 'string' && ADDRESS.test(v) && parseAddress(v) !== undefined) || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0),
  { error: 'expected an address such as "0xda7a0010"' },
);
const site = z.string();
const outcome = z.enum(OUTCOMES);

export const BlockSchema = z.object({
  address,
  size: count,
  site,
  line: count,
  heap: z.string().optional(),
});

export const CarriedSchema = BlockSchema.extend({
  freedBy: z.string().nullable(),
  freeLine: count.optional(),
});

export const FreeErrorSchema = z.object({
  kind: z.enum(['double-free', 'invalid-free']),
  address,
  site,
  line: count,
  allocSite: z.string().nullish(),
  firstFreeSite: z.string().nullish(),
  heap: z.string().optional(),
});

export const FailedAllocationSchema = z.object({
  size: count,
  site,
  line: count,
  heap: z.string().optional(),
});

export const CorruptionSchema = z.object({
  address: address.nullable(),
  what: z.enum(CORRUPTION_KINDS),
  site: z.string().nullable(),
  line: count,
  heap: z.string().nullable(),
});

export const LayoutSchema = z.object({
  allocatedBytes: count,
  overheadBytes: z.number().int(),
  freeBytes: count,
  freeBlocks: count,
  largestFree: count,
  fragmentation: num,
  headroom: count,
});

export const HeapUsageSchema = z.object({
  heap: z.string().nullable(),
  heapSize: count.nullable(),
  segments: count,
  allocations: count,
  totalBytes: count,
  peakBytes: count,
  peakPercent: num.nullable(),
  layout: LayoutSchema.nullable().optional(),
});

export const TestPoolSchema = z.object({
  pool: z.string(),
  blockSize: count,
  blocks: count,
  maxInUse: count,
  overflows: count,
  leaks: z.array(BlockSchema),
});

export const TestSchema = z.object({
  name: z.string().nullable(),
  index: count,
  total: count.nullable().default(null),
  outcome: outcome.nullable().default(null),
  ok: z.boolean(),
  heapSize: count.nullable(),
  segments: count,
  allocations: count,
  totalBytes: count,
  peakBytes: count,
  peakPercent: num.nullable(),
  leaks: z.array(BlockSchema).default([]),
  reclaimed: z.array(BlockSchema).default([]),
  persistent: z.array(BlockSchema).default([]),
  freeErrors: z.array(FreeErrorSchema).default([]),
  failedAllocations: z.array(FailedAllocationSchema).default([]),
  // additions
  suppressed: z.array(BlockSchema).default([]),
  suppressedFreeErrors: z.array(FreeErrorSchema).default([]),
  startLine: count.optional(),
  lane: z.string().optional(),
  heaps: z.array(HeapUsageSchema).optional(),
  layout: LayoutSchema.nullable().optional(),
  carried: z.array(CarriedSchema).optional(),
  corruption: z.array(CorruptionSchema).optional(),
  pools: z.array(TestPoolSchema).optional(),
});

export const TotalsSchema = z.object({
  tests: count,
  segments: count,
  allocations: count,
  totalBytes: count,
  leaks: count,
  leakedBytes: count,
  reclaimed: count,
  doubleFrees: count,
  invalidFrees: count,
  persistent: count,
  persistentBytes: count,
  failedAllocations: count,
  peakBytes: count,
  peakPercent: num.nullable(),
  // additions
  suppressed: count.default(0),
  carried: count.optional(),
  corruption: count.optional(),
  poolLeaks: count.optional(),
});

export const DiagnosticSchema = z.object({
  line: count,
  kind: z.string(),
  message: z.string(),
});

export const RegressionSchema = z.object({
  test: z.string().nullable(),
  baselinePeakBytes: count,
  peakBytes: count,
  /** null: growth from a zero baseline. */
  growthPercent: num.nullable(),
});

export const SuppressionCountSchema = z.object({
  pattern: z.string(),
  kind: z.enum(['leak', 'free']),
  count,
});

export const SiteCensusSchema = z.object({
  site,
  allocations: count,
  bytes: count,
  minSize: count,
  maxSize: count,
  maxLive: count,
  temporary: count,
  leaks: count,
});

export const PoolSummarySchema = z.object({
  pool: z.string(),
  blockSize: count,
  blocks: count,
  maxInUse: count,
  maxInUseTest: z.string().nullable(),
  overflows: count,
  grew: count.optional(),
  parent: z.string().nullable().optional(),
});

export const ReportSchema = z.object({
  schema: z.literal(REPORT_SCHEMA),
  ok: z.boolean(),
  exitCode: z.number().int(),
  totals: TotalsSchema,
  tests: z.array(TestSchema),
  diagnostics: z.array(DiagnosticSchema).default([]),
  // additions
  complete: z.boolean().optional(),
  reasons: z.array(z.string()).optional(),
  notes: z.array(z.string()).optional(),
  recordsSeen: z.boolean().optional(),
  unreadRecords: count.optional(),
  linesRead: count.optional(),
  harnesses: z.array(z.string()).optional(),
  sites: z.array(SiteCensusSchema).optional(),
  pools: z.array(PoolSummarySchema).optional(),
  regressions: z.array(RegressionSchema).optional(),
  baselineChanges: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }).optional(),
  suppressionCounts: z.array(SuppressionCountSchema).optional(),
});

/** The report as written (and as read back, defaults filled in). */
export type ReportDoc = z.output<typeof ReportSchema>;
export type TestDoc = z.output<typeof TestSchema>;
export type BlockDoc = z.output<typeof BlockSchema>;
export type FreeErrorDoc = z.output<typeof FreeErrorSchema>;
