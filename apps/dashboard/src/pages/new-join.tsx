import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Api } from '../api/client';
import { moveItem, videoTypeOf } from '../clip-order';
import { PageHeader } from '../components/layout';
import { ErrorNotice } from '../components/states';
import { ProgressBar } from '../components/status';
import { formatBytes } from '../format';
import { hrefFor, navigate } from '../router';
import { uploadFile } from '../uploads';

type Clip = { key: string; kind: 'url'; url: string } | { key: string; kind: 'file'; file: File; contentType: string };
interface UploadState {
  fraction: number;
  error?: string;
  src?: string;
}

let nextKey = 0;
const keyOf = () => `clip-${(nextKey += 1)}`;
const nameOf = (clip: Clip) => (clip.kind === 'url' ? clip.url : clip.file.name);

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The API names fields by path (`assets[2].src`); the form shows clips by number. */
const clipField = (field: string) => field.replace(/^assets\[(\d+)\]/, (_, index: string) => `clip ${Number(index) + 1}`);

/** A join of URLs and local files in the order the user sets (buttons, or Alt+↑/↓ on a clip). */
export function NewJoinPage({ api }: { api: Api }) {
  const [clips, setClips] = useState<Clip[]>([]);
  const [uploads, setUploads] = useState<Record<string, UploadState>>({});
  const [url, setUrl] = useState('');
  const [urlError, setUrlError] = useState<string>();
  const [fileError, setFileError] = useState<string>();
  const [webhook, setWebhook] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [submit, setSubmit] = useState<{ busy?: boolean; error?: Error }>({});
  const focusKey = useRef<string | undefined>(undefined);
  const list = useRef<HTMLOListElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!focusKey.current) return;
    list.current?.querySelector<HTMLElement>(`[data-key="${focusKey.current}"]`)?.focus();
    focusKey.current = undefined;
  }, [clips]);

  const addUrl = (event: Event) => {
    event.preventDefault();
    const value = url.trim();
    if (!isHttpUrl(value)) return setUrlError('Enter an http:// or https:// address of a video file.');
    setClips((current) => [...current, { key: keyOf(), kind: 'url', url: value }]);
    setUrl('');
    setUrlError(undefined);
    setAnnouncement(`Added ${value} as clip ${clips.length + 1}.`);
  };

  const addFiles = (files: FileList | null) => {
    if (!files?.length) return;
    const added: Clip[] = [];
    const refused: string[] = [];
    for (const file of Array.from(files)) {
      const contentType = videoTypeOf(file);
      if (contentType) added.push({ key: keyOf(), kind: 'file', file, contentType });
      else refused.push(file.name);
    }
    setClips((current) => [...current, ...added]);
    setFileError(refused.length ? `Not a video file this form can send: ${refused.join(', ')}.` : undefined);
    setAnnouncement(`Added ${added.length} file${added.length === 1 ? '' : 's'}.`);
    if (fileInput.current) fileInput.current.value = '';
  };

  const move = (index: number, to: number) => {
    const moved = moveItem(clips, index, to);
    if (moved === clips) return;
    focusKey.current = clips[index].key;
    setClips(moved);
    setAnnouncement(`Moved ${nameOf(clips[index])} to position ${moved.indexOf(clips[index]) + 1} of ${clips.length}.`);
  };
  const remove = (index: number) => {
    setAnnouncement(`Removed ${nameOf(clips[index])}.`);
    focusKey.current = clips[index + 1]?.key ?? clips[index - 1]?.key;
    setClips(clips.filter((_, i) => i !== index));
  };
  const onClipKey = (event: KeyboardEvent, index: number) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      const to = event.key === 'ArrowUp' ? index - 1 : index + 1;
      if (event.altKey) move(index, to);
      else list.current?.querySelector<HTMLElement>(`[data-key="${clips[to]?.key}"]`)?.focus();
    }
    if (event.key === 'Delete') {
      event.preventDefault();
      remove(index);
    }
  };

  const start = async (event: Event) => {
    event.preventDefault();
    if (clips.length === 0) return setSubmit({ error: new Error('Add at least one clip: a URL or a local file.') });
    if (webhook.trim() && !isHttpUrl(webhook.trim())) return setSubmit({ error: new Error('The webhook must be an http:// or https:// address.') });
    setSubmit({ busy: true });
    try {
      const sources: string[] = [];
      for (const clip of clips) {
        if (clip.kind === 'url') {
          sources.push(clip.url);
          continue;
        }
        const done = uploads[clip.key]?.src;
        if (done) {
          sources.push(done);
          continue;
        }
        const report = (state: UploadState) => setUploads((current) => ({ ...current, [clip.key]: state }));
        report({ fraction: 0 });
        try {
          const src = await uploadFile(api, clip.file, clip.contentType, (fraction) => report({ fraction }));
          report({ fraction: 1, src });
          sources.push(src);
        } catch (error) {
          report({ fraction: 0, error: (error as Error).message });
          throw error;
        }
      }
      const job = await api.createJoin({
        assets: sources.map((src) => ({ type: 'video', src })),
        ...(webhook.trim() ? { webhook: { url: webhook.trim() } } : {}),
      });
      navigate(hrefFor.job(job.id));
    } catch (error) {
      const named =
        error instanceof ApiError
          ? new ApiError(
              error.status,
              error.message,
              error.details?.map((d) => ({ ...d, field: clipField(d.field) })),
            )
          : (error as Error);
      setSubmit({ error: named });
    }
  };

  return (
    <>
      <PageHeader title="New join" back={{ href: hrefFor.jobs(), label: 'Jobs' }} />
      <p class="lede">
        Clips are joined end to end, in this order, into one MP4. Add video URLs or files from this computer; local files are uploaded when you start the join.
      </p>
      <div class="grid-2">
        <section class="card" aria-labelledby="add-heading">
          <h2 id="add-heading">Add clips</h2>
          <form class="stack" onSubmit={addUrl} noValidate>
            <label class="field">
              <span class="field__label">Video URL</span>
              <input
                type="url"
                name="clip-url"
                inputMode="url"
                placeholder="https://example.com/clip.mp4"
                value={url}
                onInput={(e) => setUrl(e.currentTarget.value)}
                aria-invalid={urlError ? 'true' : undefined}
                aria-describedby={urlError ? 'url-error' : undefined}
              />
            </label>
            {urlError && (
              <p id="url-error" class="field__error" role="alert">
                {urlError}
              </p>
            )}
            <button type="submit" class="button">
              Add URL
            </button>
          </form>
          <div class="divider">
            <span>or</span>
          </div>
          <label class="field">
            <span class="field__label">Local video files</span>
            <input
              ref={fileInput}
              type="file"
              name="clip-files"
              accept="video/*,.mp4,.m4v,.mov,.webm,.mkv"
              multiple
              onChange={(e) => addFiles(e.currentTarget.files)}
              aria-describedby={fileError ? 'file-error' : 'file-hint'}
            />
            <span id="file-hint" class="field__hint">
              MP4, MOV, WebM or MKV; several at once are fine.
            </span>
          </label>
          {fileError && (
            <p id="file-error" class="field__error" role="alert">
              {fileError}
            </p>
          )}
        </section>

        <section class="card" aria-labelledby="order-heading">
          <h2 id="order-heading">
            Order <span class="count">{clips.length}</span>
          </h2>
          {clips.length === 0 ? (
            <p class="state state--empty-inline">No clips yet. Added clips appear here, first to last.</p>
          ) : (
            <>
              <p class="field__hint" id="order-hint">
                Focus a clip and press Alt+↑ or Alt+↓ to move it, Delete to remove it; or use its buttons.
              </p>
              <ol class="clips" ref={list} aria-describedby="order-hint">
                {clips.map((clip, index) => {
                  const upload = uploads[clip.key];
                  return (
                    <li
                      key={clip.key}
                      data-key={clip.key}
                      class="clip"
                      tabIndex={0}
                      onKeyDown={(e) => onClipKey(e, index)}
                      aria-label={`Clip ${index + 1} of ${clips.length}: ${nameOf(clip)}`}
                    >
                      <span class="clip__number" aria-hidden="true">
                        {index + 1}
                      </span>
                      <div class="clip__body">
                        <span class="clip__name break" data-clip-name>
                          {nameOf(clip)}
                        </span>
                        <span class="muted small">{clip.kind === 'url' ? 'URL' : `Local file · ${formatBytes(clip.file.size)}`}</span>
                        {upload && !upload.error && (
                          <ProgressBar value={upload.fraction * 100} label={`Upload of ${nameOf(clip)}`} tone={upload.src ? 'done' : 'active'} />
                        )}
                        {upload?.error && <span class="field__error">{upload.error}</span>}
                      </div>
                      <div class="clip__actions">
                        <button
                          type="button"
                          class="button button--icon"
                          onClick={() => move(index, index - 1)}
                          disabled={index === 0 || submit.busy}
                          aria-label={`Move ${nameOf(clip)} up`}
                          title="Move up"
                        >
                          ↑
                        </button>
                        <button
                          type="button"
                          class="button button--icon"
                          onClick={() => move(index, index + 1)}
                          disabled={index === clips.length - 1 || submit.busy}
                          aria-label={`Move ${nameOf(clip)} down`}
                          title="Move down"
                        >
                          ↓
                        </button>
                        <button
                          type="button"
                          class="button button--icon button--danger-text"
                          onClick={() => remove(index)}
                          disabled={submit.busy}
                          aria-label={`Remove ${nameOf(clip)}`}
                          title="Remove"
                        >
                          ✕
                        </button>
                      </div>
                    </li>
                  );
                })}
              </ol>
            </>
          )}
          <p class="visually-hidden" aria-live="polite">
            {announcement}
          </p>
        </section>
      </div>

      <form class="card stack" onSubmit={start} noValidate>
        <details class="advanced">
          <summary>Webhook (optional)</summary>
          <label class="field">
            <span class="field__label">Webhook URL</span>
            <input
              type="url"
              name="webhook-url"
              inputMode="url"
              placeholder="https://example.com/hooks/vrs"
              value={webhook}
              onInput={(e) => setWebhook(e.currentTarget.value)}
            />
            <span class="field__hint">Gets a signed POST when the job ends (see docs/webhooks.md).</span>
          </label>
        </details>
        {submit.error && <ErrorNotice error={submit.error} title="The join could not be started" />}
        <div class="form-row">
          <button type="submit" class="button button--primary" disabled={submit.busy}>
            {submit.busy ? 'Starting…' : `Start join${clips.length ? ` of ${clips.length} clip${clips.length === 1 ? '' : 's'}` : ''}`}
          </button>
        </div>
      </form>
    </>
  );
}
