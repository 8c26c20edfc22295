/**
 * `createAllocator(name, region, options)`: every strategy of the toolkit by
 * name (SPEC §6.4), the SDK's byte-faithful allocator by default.
 */
import type { MemInitOptions } from './allocator.js';
import { BestFitAllocator } from './best-fit.js';
import type { BlockOptions } from './block.js';
import { BuddyAllocator } from './buddy.js';
import { BumpAllocator } from './bump.js';
import { FirstFitAllocator } from './first-fit.js';
import type { Allocator } from './interface.js';
import { SdkAllocator } from './sdk.js';
import { TlsfAllocator } from './tlsf.js';
import { WorstFitAllocator } from './worst-fit.js';

export { STRATEGIES, type StrategyName };
import { STRATEGIES, type StrategyName } from './strategies.js';

export interface CreateAllocatorOptions extends BlockOptions, MemInitOptions {}

const BUILDERS: Record<StrategyName, (region: Uint8Array, options: CreateAllocatorOptions) => Allocator> = {
  sdk: (r, o) => new SdkAllocator(r, o),
  'first-fit': (r, o) => new FirstFitAllocator(r, o),
  'best-fit': (r, o) => new BestFitAllocator(r, o),
  'worst-fit': (r, o) => new WorstFitAllocator(r, o),
  tlsf: (r, o) => new TlsfAllocator(r, o),
  bump: (r, o) => new BumpAllocator(r, o),
  buddy: (r, o) => new BuddyAllocator(r, o),
};

/** A strategy over `region` (or a fresh zeroed region of that many bytes). */
export function createAllocator(name: StrategyName = 'sdk', region: Uint8Array | number, options: CreateAllocatorOptions = {}): Allocator {
  const build = Object.hasOwn(BUILDERS, name) ? BUILDERS[name] : undefined;
  if (build === undefined) throw new RangeError(`unknown allocator ${JSON.stringify(name)}: one of ${STRATEGIES.join(', ')}`);
  return build(typeof region === 'number' ? new Uint8Array(region) : region, options);
}
