/** The allocator strategies by name (SPEC §6.4), apart from their code: the CLI lists them without loading them. */
export const STRATEGIES = ['sdk', 'first-fit', 'best-fit', 'worst-fit', 'tlsf', 'bump', 'buddy'] as const;
export type StrategyName = (typeof STRATEGIES)[number];
