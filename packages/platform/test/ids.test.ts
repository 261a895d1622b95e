import { describe, expect, it } from 'vitest';
import { isUuid, uuidv7 } from '../src/ids.js';

describe('uuidv7', () => {
  it('is a version-7, variant-1 UUID', () => {
    const id = uuidv7();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
  });

  it('sorts by creation time', () => {
    const earlier = uuidv7(1_700_000_000_000);
    const later = uuidv7(1_700_000_000_001);
    expect(earlier < later).toBe(true);
  });

  it('accepts either case and rejects what is not a UUID', () => {
    expect(isUuid('0190F1A2-3B4C-7D5E-8F60-718293A4B5C6')).toBe(true);
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid("' OR 1=1 --")).toBe(false);
  });
});
