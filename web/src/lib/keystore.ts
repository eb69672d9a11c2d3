// The signer's Ed25519 key pair, kept in this browser's IndexedDB per user.
// The private key is created not extractable, so no script, not even this
// portal's, can read it out; it signs, and it stays here. Clearing the
// browser's site data loses it: the org admin then certifies a new one.

const dbName = 'liaison-keys';
const storeName = 'keys';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(dbName, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(storeName);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = f(db.transaction(storeName, mode).objectStore(storeName));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

export async function loadKey(userId: string): Promise<CryptoKeyPair | null> {
  return (await run<CryptoKeyPair | undefined>('readonly', (s) => s.get(userId))) ?? null;
}

export async function createKey(userId: string): Promise<CryptoKeyPair> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  await run('readwrite', (s) => s.put(pair, userId));
  return pair;
}

export async function publicKeyBytes(pair: CryptoKeyPair): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
}
