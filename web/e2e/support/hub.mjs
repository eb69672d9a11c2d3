// A real hub for the browser tests: a fresh demo data directory, `liaison
// serve` on an ephemeral port serving the built portal, and the demo's
// users. Nothing is mocked: the browser talks to the hub over HTTP.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const webDir = path.resolve(here, '../..');
export const sourceDir = path.resolve(webDir, '..');
export const binary = process.env.LIAISON_BINARY ?? path.join(sourceDir, 'build/release/liaison');

export class Hub {
  static async start() {
    const dir = mkdtempSync(path.join(tmpdir(), 'liaison-e2e-'));
    const data = path.join(dir, 'hub');
    const demo = spawnSync(binary, ['demo', '--data', data, '--password-hash', 'min'], { encoding: 'utf8' });
    if (demo.status !== 0) throw new Error(`liaison demo failed: ${demo.stderr}`);
    const hub = new Hub(dir, data);
    await hub.#serve();
    return hub;
  }

  constructor(dir, data) {
    this.dir = dir;
    this.data = data;
    this.demo = JSON.parse(readFileSync(path.join(data, 'demo-tokens.json'), 'utf8'));
    this.lastStep = new Map();
  }

  async #serve() {
    this.process = spawn(binary, [
      'serve', '--data', this.data, '--listen', '127.0.0.1:0', '--password-hash', 'min',
      '--web', path.join(webDir, 'dist'), '--checkpoint-interval', '1',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    this.url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`liaison serve did not start:\n${log}`)), 10_000);
      const read = (chunk) => {
        log += chunk;
        const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      this.process.stdout.setEncoding('utf8').on('data', read);
      this.process.stderr.setEncoding('utf8').on('data', read);
      this.process.on('exit', (code) => reject(new Error(`liaison serve exited ${code}:\n${log}`)));
    });
  }

  async stop() {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((r) => this.process.once('exit', r));
      this.process.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  // The demo's hub administrator belongs to no organisation, so it is kept
  // apart from the users; 'hub_admin' names it here like any other user.
  user(name) {
    if (name === 'hub_admin') return this.demo.hub_admin;
    const u = this.demo.users[name];
    if (!u) throw new Error(`no demo user ${name}`);
    return u;
  }

  orgId(name) {
    return this.demo.organisations[name].id;
  }

  // The user's current TOTP code, waiting for the next 30-second step when
  // this user already signed in during this one (a code works once).
  async totpFor(name) {
    let step = Math.floor(Date.now() / 30_000);
    while (this.lastStep.get(name) !== undefined && step <= this.lastStep.get(name)) {
      await new Promise((r) => setTimeout(r, 500));
      step = Math.floor(Date.now() / 30_000);
    }
    this.lastStep.set(name, step);
    return totp(this.user(name).totp_secret, step);
  }

  // The API as a demo user, with their token (for setting up what a test
  // does not do in the browser, and for checking what it did).
  async api(name, method, route, body, headers = {}) {
    const response = await fetch(this.url + route, {
      method,
      headers: { Authorization: `Bearer ${this.user(name).token}`, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
    return json;
  }

  // The liaison command as a demo user.
  cli(name, args, token = undefined) {
    const r = spawnSync(binary, args, {
      encoding: 'utf8',
      env: {
        ...process.env, LIAISON_HUB: this.url, LIAISON_TOKEN: token ?? this.user(name).token,
        LIAISON_KEY_PASSPHRASE: this.demo.key_passphrase,
      },
    });
    if (r.status !== 0) throw new Error(`liaison ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  // The organisation admin's part of enrolling a browser key: certify the
  // public key the portal shows with the organisation's key, offline, and add
  // the certificate to the hub's trust store.
  async certifyBrowserKey(name, organisation, publicKey, roles) {
    const orgCerts = await this.api(name, 'GET',
      `/api/v1/trust/certificates?kind=organisation&organisation=${this.orgId(organisation)}`);
    const orgCert = path.join(this.dir, `${organisation}-organisation.cert.json`);
    writeFileSync(orgCert, JSON.stringify(orgCerts.items[0].certificate));
    const out = path.join(this.dir, `${name}-browser-${Date.now()}.cert.json`);
    const u = this.user(name);
    this.cli(name, ['trust', 'certify-user', '--issuer-key', this.keyFile(`${organisation}-organisation`),
      '--issuer-cert', orgCert, '--public-key', publicKey, '--name', u.name, '--email', u.email,
      '--roles', roles, '--out', out]);
    this.cli(name, ['trust', 'import', out], this.demo.hub_admin.token);
  }

  keyFile(name) {
    return path.join(this.data, 'keys', `${name}.key`);
  }
}

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error('not base32');
    bits += v.toString(2).padStart(5, '0');
  }
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}

// RFC 6238 with SHA-1, six digits, 30-second steps: what the demo enrols.
export function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}
