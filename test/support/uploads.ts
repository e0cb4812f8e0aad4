import { readFile } from 'node:fs/promises';
import type { ApiClient } from './system';

/** Uploads a file the way a client does: POST /uploads, then PUT the bytes to the uploadUrl. */
export async function uploadFile(
  api: ApiClient,
  path: string,
  contentType = 'video/mp4',
): Promise<{ id: string; src: string; uploadUrl: string; expiresAt: string }> {
  const bytes = await readFile(path);
  const created = await api.post('/uploads', { filename: path.split('/').pop(), contentType, size: bytes.length });
  if (created.status !== 201) throw new Error(`POST /uploads answered ${created.status}: ${JSON.stringify(created.body)}`);
  const put = await putBytes(created.body.uploadUrl, bytes);
  if (put.status !== 200) throw new Error(`PUT uploadUrl answered ${put.status}: ${JSON.stringify(put.body)}`);
  return created.body;
}

export async function putBytes(url: string, bytes: Buffer | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', ...headers }, body: bytes });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}
