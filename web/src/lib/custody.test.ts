import { describe, expect, it } from 'vitest';
import { custodyFinding, custodyText } from './custody';

const at = '2026-12-04T17:02:00Z';

describe('chain of custody', () => {
  it('names who uploaded which bytes, never "null"', () => {
    const text = custodyText({ seq: 2, kind: 'upload_part', at, user_id: 'u1', user_name: 'Ana Lindqvist', first_byte: 0, last_byte: 999, token_id: null, detail: { bytes: 1000 } }, 'Example Mail Ltd');
    expect(text).toContain('Ana Lindqvist (Example Mail Ltd) uploaded bytes 0–999 (1,000 bytes)');
    expect(text).not.toMatch(/null|object Object/);
  });

  it('leaves out a byte range the event does not have', () => {
    const text = custodyText({ seq: 1, kind: 'upload_started', at, user_name: 'Ana Lindqvist', first_byte: null, last_byte: null, detail: { size: 80 } });
    expect(text).toContain('Ana Lindqvist started the upload of 80 bytes');
    expect(text).not.toContain('bytes null');
  });

  it('summarises the hub\'s finding on registration', () => {
    const text = custodyText({ seq: 4, kind: 'registered', at, user_name: 'Ana Lindqvist', outcome: 'verified',
      detail: { signer: { name: 'Ana Lindqvist' }, recipients: [{ requesting_authority: true }], package_sha256: 'ab' } });
    expect(text).toContain('registered the package — verified: signed by Ana Lindqvist; sealed for 1 recipient');
  });

  it('summarises a party\'s own check and a download with a token', () => {
    expect(custodyFinding({ result: 'verified', checked: 'contents', tool: 'liaison 0.1' }))
      .toBe('decrypted and every item hashed; with liaison 0.1');
    const dl = custodyText({ seq: 5, kind: 'download', at, user_name: 'Olivia Brandt', first_byte: 0, last_byte: 0, token_id: 't1' }, 'Northport Police');
    expect(dl).toContain('Olivia Brandt (Northport Police) downloaded bytes 0–0 (1 byte), with an API token');
  });

  it('names an account that is gone by its id', () => {
    expect(custodyText({ seq: 1, kind: 'download', at, user_id: 'c0ffee00-1111', user_name: null })).toContain('user c0ffee00 downloaded');
  });
});
