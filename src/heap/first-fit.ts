/**
 * First fit (pw_allocator's `FirstFitAllocator`): the free block at the
 * lowest address that holds the request. Free blocks sit on one list kept in
 * address order, so the search stops at the first that fits; a freed block
 * finds its place by stepping back over its used neighbours to the previous
 * free block (there is no free neighbour: it would have merged).
 *
 *   0        4        8                     first
 *   +--------+--------+---------- ... ------+--------------------------------
 *   | head   | (0)    |  padding to align    | blocks (see block.ts)
 *   | i32    |        |                      |  free ones linked in address order
 *   +--------+--------+---------- ... ------+--------------------------------
 */
import { BlockAllocator, type BlockOptions, corruption, USED, W_NEXT_FREE, W_PREV_FREE, W_PREV_SIZE, W_SIZE } from './block.js';

const HDR_HEAD = 0; // word: offset of the lowest free block, 0 = none
const HEADER_BYTES = 8;

export class FirstFitAllocator extends BlockAllocator {
  readonly name: string = 'first-fit';

  constructor(region: Uint8Array, options: BlockOptions = {}) {
    super(region, options, HEADER_BYTES, 'first-fit');
    this.format(HEADER_BYTES);
  }

  reset(): void {
    this.format(HEADER_BYTES);
  }

  protected findFree(need: number): number {
    const i32 = this.i32;
    for (let off = i32[HDR_HEAD]; off !== 0; off = i32[(off >> 2) + W_NEXT_FREE]) {
      if (i32[(off >> 2) + W_SIZE] >= need) return off;
    }
    return -1;
  }

  protected insertFree(off: number): void {
    const i32 = this.i32;
    // The previous free block in address order: step back over used blocks.
    let prev = off;
    for (;;) {
      const back = i32[(prev >> 2) + W_PREV_SIZE];
      if (back === 0) {
        prev = 0;
        break;
      }
      prev -= back;
      if ((i32[(prev >> 2) + W_SIZE] & USED) === 0) break;
    }
    const w = off >> 2;
    const next = prev === 0 ? i32[HDR_HEAD] : i32[(prev >> 2) + W_NEXT_FREE];
    i32[w + W_PREV_FREE] = prev;
    i32[w + W_NEXT_FREE] = next;
    if (prev === 0) i32[HDR_HEAD] = off;
    else i32[(prev >> 2) + W_NEXT_FREE] = off;
    if (next !== 0) i32[(next >> 2) + W_PREV_FREE] = off;
  }

  protected removeFree(off: number): void {
    const i32 = this.i32;
    const w = off >> 2;
    const prev = i32[w + W_PREV_FREE];
    const next = i32[w + W_NEXT_FREE];
    if (prev === 0) i32[HDR_HEAD] = next;
    else i32[(prev >> 2) + W_NEXT_FREE] = next;
    if (next !== 0) i32[(next >> 2) + W_PREV_FREE] = prev;
  }

  protected checkLists(free: Set<number>): void {
    const seen = new Set<number>();
    let last = -1;
    this.checkList(this.i32[HDR_HEAD], free, seen, (off) => {
      if (off <= last) throw corruption(this, 'invariant', off, 'free list out of address order');
      last = off;
    });
    this.checkAllListed(free, seen);
  }
}
