import { describe, expect, it } from 'vitest';
import { hubMessage } from './wording';

describe('hubMessage', () => {
  it('drops command-line and API hints', () => {
    expect(hubMessage("the officer's signature (liaison request sign)")).toBe("the officer's signature");
    expect(hubMessage('upload the produced data as a sealed evidence package (\'liaison evidence seal\', then \'evidence upload\') before marking the request produced'))
      .toBe('upload the produced data as a sealed evidence package before marking the request produced');
    expect(hubMessage('there is no such route; choose one with "route" (GET /api/v1/routes lists them)'))
      .toBe('there is no such route; choose one with "route"');
    expect(hubMessage('the officer must state it (offers_services)')).toBe('the officer must state it');
  });
  it('turns a command standing for a verb into words', () => {
    expect(hubMessage('a co-signature by a prosecutor; ask the validating authority to (liaison request validator)'))
      .toBe('a co-signature by a prosecutor; ask the validating authority to validate it (choose the validator on the request page)');
  });
  it('replaces action codes and categories with words', () => {
    expect(hubMessage('is required to request_clarification: say what you ask, answer or why'))
      .toBe('is required to ask a question: say what you ask, answer or why');
    expect(hubMessage('not open for non_cash_payment_fraud with SubscriberData'))
      .toBe('not open for fraud with non-cash means of payment with subscriber data');
  });
  it('drops a field path and byte offsets', () => {
    expect(hubMessage('package/header/magic: not an evidence package (bytes 0-19 are not "LIAISON-EVIDENCE-1" and a newline)'))
      .toBe('not an evidence package');
  });
  it('keeps ordinary parentheses', () => {
    expect(hubMessage('answer within 10 days (calendar)')).toBe('answer within 10 days (calendar)');
  });
  it('says what to do where a route needs a statement the portal cannot record', () => {
    expect(hubMessage('a provider established in IE is reached only if it offers its services in the Netherlands; the directory cannot tell, so the officer must state it (offers_services)'))
      .toMatch(/offers its services in the Netherlands; Liaison cannot record that statement on a request, so this route is not open here: choose another route/);
  });
});
