// Enrolling an authenticator at first sign-in: what the page shows and checks
// before it asks the hub.

// The base32 secret in groups of four, as people type it into an app.
export function groupedSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

// Six digits, ignoring the spaces some apps show in the middle.
export function normalisedCode(code: string): string {
  return code.replace(/\s+/g, '');
}

// Problems with the chosen password the page can tell before the hub does;
// the hub's own rules (length, not the e-mail address) still decide.
export function newPasswordErrors(current: string, chosen: string, repeated: string): Record<string, string> {
  const out: Record<string, string> = {};
  if ([...chosen].length < 12) out['new_password'] = 'must be at least 12 characters long';
  else if (chosen === current) out['new_password'] = 'must differ from the password you signed in with';
  if (repeated !== chosen) out['repeat_password'] = 'does not match the new password';
  return out;
}

// The recovery codes as a text file to print or keep offline.
export function recoveryCodesText(email: string, codes: string[], at: Date): string {
  return [
    `Liaison recovery codes for ${email}`,
    `Issued ${at.toISOString()}. Each code signs in once, in place of the authenticator.`,
    'Keep them offline. Enrolling again replaces them all.',
    '',
    ...codes.map((c, i) => `${String(i + 1).padStart(2, ' ')}. ${c}`),
    '',
  ].join('\n');
}
