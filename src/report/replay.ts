/**
 * The JSON document of `valground replay --reporter json` (SPEC §6.8,
 * `"schema": "valground-replay/1"`), defined once: the writer's shape and
 * its TypeScript types (docs/replay.md describes every field). Addresses are
 * `"0x%08x"` strings; `lane` is null for the main process.
 */
import { z } from 'zod';

import { REPLAY_SCHEMA } from './names.js';

export { REPLAY_SCHEMA };

const count = z.number().int().nonnegative();
const address = z.string().regex(/^0x[0-9a-f]+$/);
const test = z.string().nullable();

export const ReplayFailureSchema = z.object({ line: count, size: count, site: z.string(), test });

export const ReplayTestSchema = z.object({
  test,
  peakBytes: count,
  headroom: count,
  fragmentation: z.number().min(0).max(1),
  failures: count,
});

export const CauseSchema = z.object({
  kind: z.enum(['in-place-realloc', 'earlier-in-place-realloc', 'missing-free', 'unknown']),
  /** The block named as the cause (absent for `unknown`). */
  block: z.object({ line: count, site: z.string(), size: count, address }).optional(),
  /** The cause in a sentence, as the text report says it. */
  text: z.string(),
});

export const DivergenceSchema = z.object({
  line: count,
  site: z.string(),
  size: count,
  loggedAddress: address,
  replayedAddress: address.nullable(),
  test,
  cause: CauseSchema,
});

export const AddressCheckSchema = z.object({
  /** Every segment compared and none parted. */
  identical: z.boolean(),
  compared: count,
  notCompared: count,
  reason: z.string().nullable(),
  divergent: count,
  divergences: z.array(DivergenceSchema),
});

export const AllocatorReplaySchema = z.object({
  allocator: z.string(),
  peakBytes: count,
  peakTest: test,
  headroom: count.nullable(),
  headroomTest: test,
  fragmentation: z.number().min(0).max(1),
  failures: count,
  failed: z.array(ReplayFailureSchema),
  servedLoggedFailures: count,
  addresses: AddressCheckSchema.optional(),
  tests: z.array(ReplayTestSchema),
  errors: z.array(z.string()),
});

export const HeapReplaySchema = z.object({
  lane: z.string().nullable(),
  heap: z.string().nullable(),
  records: count,
  operations: count,
  segments: count,
  heapSizes: z.array(count),
  unsized: count,
  ignoredResizes: count,
  allocators: z.array(AllocatorReplaySchema),
});

export const ReplayFreeErrorSchema = z.object({
  kind: z.enum(['double-free', 'invalid-free']),
  address,
  site: z.string(),
  line: count,
  test,
  lane: z.string().nullable(),
  heap: z.string().nullable(),
  firstFreeLine: count.optional(),
});

export const ReplayDocSchema = z.object({
  schema: z.literal(REPLAY_SCHEMA),
  input: z.string(),
  records: count,
  allocators: z.array(z.string()),
  heapSize: count.nullable(),
  heaps: z.array(HeapReplaySchema),
  freeErrors: z.array(ReplayFreeErrorSchema),
  pools: z.array(z.object({ lane: z.string().nullable(), name: z.string(), records: count })),
  corruptRecords: count,
});

export type ReplayDoc = z.output<typeof ReplayDocSchema>;
export type CauseDoc = z.output<typeof CauseSchema>;
