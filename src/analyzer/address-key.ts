/** Live blocks are kept by address in maps: how an address becomes a cheap key. */

/**
 * Map key for an address: 32-bit addresses (all of them on the SDK's
 * targets) become small integers, which V8 stores and hashes unboxed; wider
 * ones stay as they are and cannot collide with those. A boxed number per
 * live block would cost 16 more bytes each (SPEC §7: ≤ 200 bytes per live block).
 */
export function addressKey(address: number): number {
  return address <= 0xffffffff ? address | 0 : address;
}

/** The address a key stands for. */
export function keyAddress(k: number): number {
  return k < 0 ? k + 0x100000000 : k;
}

