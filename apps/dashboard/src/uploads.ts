import type { Api } from './api/client';

/**
 * Sends a local file the way POST /uploads asks: declare it, then PUT exactly its bytes to the
 * signed `uploadUrl` (no token: the URL is the permission). XMLHttpRequest, not fetch, because only
 * it reports upload progress. Resolves with the `src` to use as the clip's source.
 */
export async function uploadFile(api: Api, file: File, contentType: string, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<string> {
  const ticket = await api.createUpload({ filename: file.name, contentType, size: file.size });
  await new Promise<void>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', ticket.uploadUrl);
    request.setRequestHeader('Content-Type', contentType);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) return resolve();
      let message = `the upload answered ${request.status}`;
      try {
        message = (JSON.parse(request.responseText) as { error?: string }).error ?? message;
      } catch {
        /* not JSON */
      }
      reject(new Error(`${file.name}: ${message}`));
    };
    request.onerror = () => reject(new Error(`${file.name}: the upload was interrupted (network error)`));
    request.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => request.abort());
    request.send(file);
  });
  onProgress(1);
  return ticket.src;
}
