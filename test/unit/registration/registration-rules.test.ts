import { describe, expect, it } from 'vitest';
import { isTimeZone } from '../../../src/platform/registrations/registration-rules.js';

describe('time zone check', () => {
  it('accepts canonical zones and ICU aliases (also the second time, from memory), refuses the rest', () => {
    expect(isTimeZone('America/Chicago')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    for (let i = 0; i < 2; i++) {
      expect(isTimeZone('Asia/Calcutta')).toBe(true);
      expect(isTimeZone('US/Eastern')).toBe(true);
      expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
      expect(isTimeZone('../../etc/passwd')).toBe(false);
    }
  });
});
