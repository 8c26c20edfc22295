import { describe, expect, it } from 'vitest';
import { statusOf } from '../../src/cli/run.js';

describe('statusOf', () => {
  it('is the exit code, or 128 + the signal number', () => {
    expect(statusOf({ code: 0, signal: null })).toBe(0);
    expect(statusOf({ code: 3, signal: null })).toBe(3);
    expect(statusOf({ code: null, signal: 'SIGTERM' })).toBe(143);
    expect(statusOf({ code: null, signal: 'SIGINT' })).toBe(130);
    expect(statusOf({ code: null, signal: 'SIGKILL' })).toBe(137);
  });
});
