import { describe, expect, it } from 'vitest';
import { uploadPackage, type Memory, type UploadState, type UploadTransport } from './upload';

function memory(): Memory & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v), remove: (k) => void map.delete(k) };
}

class FakeHub implements UploadTransport {
  uploads = new Map<string, UploadState>();
  bytes = new Map<string, string>();
  announced = 0;
  failAfterParts = Infinity;
  parts = 0;
  async announce(size: number): Promise<UploadState> {
    this.announced++;
    const u: UploadState = { id: `u${this.announced}`, size, received: 0, state: 'open' };
    this.uploads.set(u.id, u);
    this.bytes.set(u.id, '');
    return { ...u };
  }
  async status(id: string): Promise<UploadState> {
    const u = this.uploads.get(id);
    if (!u) throw new Error('not found');
    return { ...u };
  }
  async put(id: string, first: number, last: number, total: number, blob: Blob): Promise<UploadState> {
    if (this.parts++ >= this.failAfterParts) throw new Error('connection lost');
    const u = this.uploads.get(id)!;
    expect(first).toBe(u.received);
    expect(total).toBe(u.size);
    expect(blob.size).toBe(last - first + 1);
    this.bytes.set(id, this.bytes.get(id) + (await blob.text()));
    u.received = last + 1;
    if (u.received === u.size) u.state = 'completed';
    return { ...u };
  }
}

function file(text: string) {
  return Object.assign(new Blob([text]), { name: 'package.lep', lastModified: 1 });
}

describe('package upload', () => {
  it('sends the file in ordered parts and reports progress', async () => {
    const hub = new FakeHub();
    const seen: number[] = [];
    const done = await uploadPackage(file('abcdefghij'), 'r1', hub, memory(), (s) => seen.push(s), 4);
    expect(done.state).toBe('completed');
    expect(hub.bytes.get('u1')).toBe('abcdefghij');
    expect(seen).toEqual([0, 4, 8, 10]);
  });
  it('resumes where the hub stopped after a lost connection', async () => {
    const hub = new FakeHub();
    const mem = memory();
    hub.failAfterParts = 1;
    await expect(uploadPackage(file('abcdefghij'), 'r1', hub, mem, () => {}, 4)).rejects.toThrow('connection lost');
    expect(mem.map.size).toBe(1);
    hub.failAfterParts = Infinity;
    const done = await uploadPackage(file('abcdefghij'), 'r1', hub, mem, () => {}, 4);
    expect(done.state).toBe('completed');
    expect(hub.announced).toBe(1);
    expect(hub.bytes.get('u1')).toBe('abcdefghij');
    expect(mem.map.size).toBe(0);
  });
  it('starts again when the remembered upload is gone or refused', async () => {
    const hub = new FakeHub();
    const mem = memory();
    mem.map.set('liaison.upload.r1.package.lep.3.1', 'gone');
    const done = await uploadPackage(file('abc'), 'r1', hub, mem, () => {}, 4);
    expect(done.state).toBe('completed');
    expect(hub.announced).toBe(1);
  });
});
