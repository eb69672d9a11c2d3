import { describe, expect, it } from 'vitest';
import { groupedSecret, newPasswordErrors, normalisedCode, recoveryCodesText } from './enrolment';

describe('enrolment', () => {
  it('groups the secret by four for typing', () => {
    expect(groupedSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupedSecret('ABCDEF')).toBe('ABCD EF');
    expect(groupedSecret('')).toBe('');
  });

  it('accepts a code typed with a space in the middle', () => {
    expect(normalisedCode(' 123 456 ')).toBe('123456');
  });

  it('checks the chosen password before asking the hub', () => {
    expect(newPasswordErrors('given one', 'short', 'short')).toEqual({ new_password: 'must be at least 12 characters long' });
    expect(newPasswordErrors('the same passphrase', 'the same passphrase', 'the same passphrase')).toEqual({
      new_password: 'must differ from the password you signed in with',
    });
    expect(newPasswordErrors('given one', 'a fine new passphrase', 'a fine new passphrase!')).toEqual({
      repeat_password: 'does not match the new password',
    });
    expect(newPasswordErrors('given one', 'a fine new passphrase', 'a fine new passphrase')).toEqual({});
    // Characters, not bytes: twelve accented letters are long enough.
    expect(newPasswordErrors('x', 'éééééééééééé', 'éééééééééééé')).toEqual({});
  });

  it('writes the recovery codes as a numbered text', () => {
    const text = recoveryCodesText('nina.berg@police.example.org', ['AAAA-BBBB-CCCC-DDDD', 'EEEE-FFFF-GGGG-HHHH'],
      new Date('2026-12-04T10:00:00Z'));
    expect(text).toContain('for nina.berg@police.example.org');
    expect(text).toContain('Issued 2026-12-04T10:00:00.000Z');
    expect(text).toContain(' 1. AAAA-BBBB-CCCC-DDDD\n 2. EEEE-FFFF-GGGG-HHHH\n');
  });
});
