// Uploading a sealed evidence package in parts, so that a lost connection
// costs one part, not the whole package: announce it, ask the hub where it
// stands, and send the rest in order with Content-Range.
//
// The upload's id is remembered per request, file name, size and modification
// time, so choosing the same file again after a reload resumes it.

export interface UploadState {
  id: string;
  size: number;
  received: number;
  state: 'open' | 'completed' | 'refused';
  package_id?: string | null;
}

export interface UploadTransport {
  announce(size: number, key: string): Promise<UploadState>;
  status(uploadId: string): Promise<UploadState>;
  // One part; answers the upload as it stands afterwards.
  put(uploadId: string, first: number, last: number, total: number, bytes: Blob): Promise<UploadState>;
}

export interface Memory {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export const partBytes = 8 * 1024 * 1024;

export function uploadKey(requestId: string, file: { name: string; size: number; lastModified: number }): string {
  return `liaison.upload.${requestId}.${file.name}.${file.size}.${file.lastModified}`;
}

export async function uploadPackage(
  file: Blob & { name: string; lastModified: number },
  requestId: string,
  transport: UploadTransport,
  memory: Memory,
  onProgress: (sent: number, total: number) => void,
  part = partBytes,
): Promise<UploadState> {
  const key = uploadKey(requestId, file);
  let upload: UploadState | null = null;
  const known = memory.get(key);
  if (known) {
    try {
      upload = await transport.status(known);
      if (upload.state !== 'open' || upload.size !== file.size) upload = null;
    } catch {
      upload = null;
    }
  }
  if (!upload) {
    // The key makes a repeated announcement of the same file the same upload.
    upload = await transport.announce(file.size, key.slice(-200));
    memory.set(key, upload.id);
  }
  onProgress(upload.received, file.size);
  while (upload.state === 'open' && upload.received < file.size) {
    const first = upload.received;
    const last = Math.min(first + part, file.size) - 1;
    upload = await transport.put(upload.id, first, last, file.size, file.slice(first, last + 1));
    onProgress(upload.received, file.size);
  }
  memory.remove(key);
  return upload;
}
