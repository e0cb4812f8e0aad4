import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { waitFor } from '@vrs/testing';
import { serveDirectory, startStallingSource, type MediaServer } from '../support/media-server';
import { apiClient, createTenant, ensureServices, GATEWAY, REPO_ROOT, SAMPLE_MEDIA, type ApiClient, type TenantCredentials } from '../support/system';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

// Debian's Chromium (scripts/infra/system-deps.sh installs it); playwright-core never downloads a browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(REPO_ROOT, '.var', 'screenshots');
const VIEWPORTS = { laptop: { width: 1366, height: 860 }, phone: { width: 390, height: 844 } } as const;
/** How long a job may take to reach a status; the tests that wait for several are given more time. */
const JOB_TIMEOUT = 100_000;
const MULTI_STEP_TEST_TIMEOUT = 300_000;

/** Saves the page at laptop and phone size (.var/screenshots/<name>-<size>.png), then goes back to laptop size. */
async function screenshots(page: Page, name: string): Promise<void> {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(VIEWPORTS.laptop);
}

// What the functions run inside the page (page.evaluate) use; the tests' tsconfig has no DOM library.
declare const sessionStorage: Pick<Storage, 'getItem'>;
declare const localStorage: Pick<Storage, 'getItem'>;
declare const document: { activeElement: { getAttribute(name: string): string | null } | null };
declare function requestAnimationFrame(callback: () => void): number;
interface Storage {
  getItem(key: string): string | null;
}
interface HTMLVideoElement {
  muted: boolean;
  currentTime: number;
  videoWidth: number;
  readyState: number;
  seeking: boolean;
  error: unknown;
  play(): Promise<void>;
  pause(): void;
  canPlayType(type: string): string;
  getVideoPlaybackQuality(): { totalVideoFrames: number };
}

/** Adds each URL as a clip on the open New join page, starts the join and waits for the job's page. */
async function joinUrls(page: Page, urls: string[]): Promise<void> {
  for (const url of urls) {
    await page.getByLabel('Video URL').fill(url);
    await page.getByRole('button', { name: 'Add URL' }).click();
  }
  await page.getByRole('button', { name: `Start join of ${urls.length} clip${urls.length === 1 ? '' : 's'}` }).click();
  await page.waitForURL(/#\/jobs\/[0-9a-f-]{36}$/);
}

const statusOf = (page: Page) => page.locator('.job-summary [data-status]').first();

/**
 * Waits until the open job page shows the status; on a timeout the error says what the API and the
 * job's log say of the job, so a stalled pipeline and a page that stopped updating look different.
 */
async function waitForPageStatus(page: Page, api: ApiClient, status: string): Promise<void> {
  try {
    await page.locator(`.job-summary [data-status="${status}"]`).waitFor({ timeout: JOB_TIMEOUT });
  } catch (error) {
    const id = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '');
    const [job, log] = await Promise.all([api.get(`/jobs/${id}`), api.get(`/jobs/${id}/logs`)]);
    const shown = await statusOf(page)
      .getAttribute('data-status')
      .catch(() => null);
    throw new Error(
      `job ${id} never showed "${status}" on its page (the page shows ${shown}; the API says ${JSON.stringify(job.body?.status)}); ` +
        `its log: ${JSON.stringify(log.body).slice(0, 1500)}; ${(error as Error).message.split('\n')[0]}`,
    );
  }
}

describe('the web dashboard, in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let tenant: TenantCredentials;
  let api: ApiClient;
  let media: MediaServer;
  let stalling: Awaited<ReturnType<typeof startStallingSource>>;
  let receiver: WebhookReceiver;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    await ensureServices();
    mkdirSync(SCREENSHOTS, { recursive: true });
    media = await serveDirectory(SAMPLE_MEDIA);
    stalling = await startStallingSource();
    receiver = await startWebhookReceiver();
    tenant = await createTenant('dashboard-e2e');
    api = apiClient(tenant.token);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: VIEWPORTS.laptop });
    // A CSP violation or a script error shows up here; the last test asserts there were none.
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([media?.close(), stalling?.close(), receiver?.close()]);
  });

  it('is served at /app with a Content-Security-Policy, and / leads there', async () => {
    const root = await fetch(`${GATEWAY}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/app/');
    const index = await fetch(`${GATEWAY}/app/`);
    expect(index.status).toBe(200);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await index.text();
    expect(html).toContain('<script type="module" src="app.js"></script>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const script = await fetch(`${GATEWAY}/app/app.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    // The API is where it was: an unknown token is still a JSON 401.
    expect((await fetch(`${GATEWAY}/jobs`)).status).toBe(401);
  });

  it('refuses a wrong token and signs in with the right one', async () => {
    await page.goto(`${GATEWAY}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshots(page, '01-sign-in');
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This token was not accepted').waitFor();
    await page.getByLabel('API token').fill(tenant.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await page.getByText('No jobs yet.').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('vrs.apiToken'))).toBe(tenant.token);
    expect(await page.evaluate(() => localStorage.getItem('vrs.apiToken'))).toBeNull();
    await screenshots(page, '02-jobs-empty');
  });

  it(
    'joins local files in the order set with the keyboard and the buttons, and plays the output',
    async () => {
      await page.getByRole('link', { name: 'New join' }).first().click();
      await page.getByRole('heading', { name: 'New join' }).waitFor();
      await page.getByLabel('Local video files').setInputFiles(['video.mp4', 'sar_2x1.mp4', 'edts.mp4'].map((name) => join(SAMPLE_MEDIA, name)));
      const names = () => page.locator('.clip [data-clip-name]').allTextContents();
      expect(await names()).toEqual(['video.mp4', 'sar_2x1.mp4', 'edts.mp4']);
      await page.getByRole('listitem', { name: /Clip 3 of 3: edts\.mp4/ }).focus();
      await page.keyboard.press('Alt+ArrowUp');
      expect(await names()).toEqual(['video.mp4', 'edts.mp4', 'sar_2x1.mp4']);
      // Focus stays on the moved clip, so it can be moved again.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/^Clip 2 of 3: edts\.mp4/);
      await page.getByRole('button', { name: 'Move video.mp4 down' }).click();
      expect(await names()).toEqual(['edts.mp4', 'video.mp4', 'sar_2x1.mp4']);
      await page.getByText('Webhook (optional)').click();
      await page.getByLabel('Webhook URL').fill(`${receiver.url}/dashboard`);
      await screenshots(page, '03-new-join');

      // Which upload src belongs to which file, from the dashboard's own POST /uploads calls. Their
      // bodies are read after the join request went out (reading one takes a round trip of its own).
      const uploads: Array<Promise<[string, string]>> = [];
      page.on('response', (response) => {
        if (response.request().method() === 'POST' && new URL(response.url()).pathname === '/uploads' && response.status() === 201) {
          uploads.push(response.json().then((created: { src: string }) => [response.request().postDataJSON().filename, created.src]));
        }
      });
      const joinRequest = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/jobs/join');
      await page.getByRole('button', { name: 'Start join of 3 clips' }).click();
      const body = (await joinRequest).postDataJSON();
      const srcByFile = new Map(await Promise.all(uploads));
      expect(srcByFile.size).toBe(3);
      expect(body.assets.map((asset: { src: string }) => asset.src)).toEqual(['edts.mp4', 'video.mp4', 'sar_2x1.mp4'].map((name) => srcByFile.get(name)));
      await page.waitForURL(/#\/jobs\/[0-9a-f-]{36}$/);
      const id = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);

      await waitForPageStatus(page, api, 'finished');
      expect(await page.locator('.job-summary progress').getAttribute('value')).toBe('100');
      const job = (await api.get(`/jobs/${id}`)).body;
      expect(job.status).toBe('finished');
      expect(await page.getByRole('link', { name: 'Download MP4' }).getAttribute('href')).toBe(job.outputUrl);
      await page.locator('.timeline [data-status="finished"]').waitFor();

      // Debian's Chromium decodes H.264/AAC: the output really plays (its clock moves and frames are shown).
      const video = page.locator('video.player');
      expect(await video.getAttribute('src')).toBe(job.outputUrl);
      expect(await video.evaluate((element: HTMLVideoElement) => element.canPlayType('video/mp4; codecs="avc1.640028, mp4a.40.2"'))).not.toBe('');
      await video.evaluate((element: HTMLVideoElement) => {
        element.muted = true;
        return element.play();
      });
      await waitFor(
        () =>
          video.evaluate((element: HTMLVideoElement) =>
            element.currentTime > 1 && element.getVideoPlaybackQuality().totalVideoFrames > 10 ? true : undefined,
          ),
        30_000,
        'the output to play',
        200,
      );
      expect(await video.evaluate((element: HTMLVideoElement) => [element.videoWidth > 0, element.error])).toEqual([true, null]);
      // Seeking works (range requests); the screenshots show a frame from the second clip (the first is black).
      await video.evaluate((element: HTMLVideoElement) => {
        element.pause();
        element.currentTime = 12;
      });
      await waitFor(() => video.evaluate((element: HTMLVideoElement) => (!element.seeking && element.readyState >= 2 ? true : undefined)), 30_000, 'the seek');

      // The webhook went out; the page lists it and sends it again on request.
      const delivery = page.locator('.delivery');
      await delivery.getByText('delivered').waitFor({ timeout: 60_000 });
      expect(receiver.received.filter((hook) => hook.path === '/dashboard')).toHaveLength(1);
      await page.getByRole('button', { name: 'Redeliver' }).click();
      await page.getByText('Redelivery requested').waitFor();
      await waitFor(() => (receiver.received.filter((hook) => hook.path === '/dashboard').length === 2 ? true : undefined), 60_000, 'the redelivery');
      await waitFor(async () => ((await delivery.locator('tbody tr').count()) >= 2 ? true : undefined), 30_000, 'the second attempt on the page');
      await screenshots(page, '04-job-finished');
    },
    MULTI_STEP_TEST_TIMEOUT,
  );

  it(
    'cancels a running job from its page',
    async () => {
      await page.goto(`${GATEWAY}/app/#/jobs/new`);
      await page.getByLabel('Video URL').fill('ftp://example.com/clip.mp4');
      await page.getByRole('button', { name: 'Add URL' }).click();
      await page.getByText('Enter an http:// or https:// address').waitFor();
      // The first clip arrives (the job is rendering from then on), the second never does.
      await joinUrls(page, [media.url('edts.mp4'), stalling.url]);
      await waitForPageStatus(page, api, 'render:dorender');
      await screenshots(page, '05-job-running');
      await page.getByRole('button', { name: 'Cancel job' }).click();
      await page.getByRole('button', { name: 'Yes, cancel it' }).click();
      await waitForPageStatus(page, api, 'manually_cancelled');
      expect(await statusOf(page).textContent()).toBe('Cancelled');
      expect(await page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
      await screenshots(page, '06-job-cancelled');
    },
    MULTI_STEP_TEST_TIMEOUT,
  );

  it('shows why a job failed', async () => {
    await page.goto(`${GATEWAY}/app/#/jobs/new`);
    await joinUrls(page, [media.url('missing.mp4')]);
    await waitForPageStatus(page, api, 'error');
    const reason = await page.locator('.job-error__text').textContent();
    expect(reason).toMatch(/clip 1 .*could not be fetched.*404/);
    expect(await statusOf(page).textContent()).toBe('Failed');
    await page.locator('.timeline [data-status="error"]').waitFor();
    await screenshots(page, '07-job-failed');
  });

  it('lists jobs live, filters them by state and finds one by id', async () => {
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await waitFor(async () => ((await page.locator('tbody tr').count()) === 3 ? true : undefined), 10_000, 'three jobs listed');
    // A job made elsewhere appears without a reload.
    const made = await api.post('/jobs/join', { assets: [{ type: 'video', src: media.url('edts.mp4') }] });
    await page.locator(`tr[data-job-id="${made.body.id}"]`).waitFor({ timeout: 15_000 });
    await page.locator(`tr[data-job-id="${made.body.id}"] [data-status="finished"]`).waitFor({ timeout: JOB_TIMEOUT });
    await screenshots(page, '08-jobs-list');

    await page.getByLabel('State').selectOption('error');
    await page.waitForURL(/#\/jobs\?state=error$/);
    await waitFor(async () => ((await page.locator('tbody tr').count()) === 1 ? true : undefined), 10_000, 'only the failed job');
    expect(await page.locator('tbody [data-status]').allTextContents()).toEqual(['Failed']);
    await page.getByLabel('State').selectOption('queued');
    await page.getByText('No job is queued right now.').waitFor();

    await page.getByLabel('Find a job').fill(made.body.id);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.locator('.title-id').getByText(made.body.id).waitFor();
    await page.goto(`${GATEWAY}/app/#/jobs/no-such-job`);
    await page.getByText('There is no job no-such-job.').waitFor();
  });

  it('lists batches and opens one', async () => {
    const batch = await api.post('/batches', {
      jobs: [{ assets: [{ type: 'video', src: media.url('edts.mp4') }] }, { assets: [{ type: 'video', src: media.url('missing.mp4') }] }],
    });
    expect(batch.status).toBe(201);
    await page.getByRole('link', { name: 'Batches' }).click();
    const row = page.locator(`tr[data-batch-id="${batch.body.batchId}"]`);
    await row.locator('[data-status="error"]').waitFor({ timeout: JOB_TIMEOUT });
    expect(await row.textContent()).toContain('1 finished, 1 failed, 0 running of 2');
    await screenshots(page, '09-batches');
    await row.getByRole('link').click();
    await page.locator('.title-id').getByText(batch.body.batchId).waitFor();
    await page.getByText('Some failed').waitFor();
    await screenshots(page, '10-batch');
  });

  it(
    'lists templates, shows one as JSON and renders a preview of it',
    async () => {
      const composition = {
        width: 320,
        height: 180,
        fps: 25,
        durationSec: 1,
        background: { color: '#203040' },
        layers: [{ layerName: 'title', type: 'text', text: 'Preview', fontSize: 32, color: '#ffee00', x: 'center', y: 'center' }],
      };
      const created = await api.post('/templates', { name: 'Dashboard title card', driver: 'builtin', compositions: { main: composition } });
      expect(created.status).toBe(201);
      await page.getByRole('link', { name: 'Templates' }).click();
      await page.getByRole('link', { name: 'Dashboard title card' }).click();
      await page.getByRole('heading', { name: 'Dashboard title card' }).waitFor();
      expect(JSON.parse((await page.locator('pre.json').textContent())!)).toMatchObject({
        name: 'Dashboard title card',
        compositions: { main: { width: 320 } },
      });
      await screenshots(page, '11-template');
      const renderRequest = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/jobs');
      await page.getByRole('button', { name: 'Render preview' }).click();
      expect((await renderRequest).postDataJSON()).toEqual({ template: { id: created.body.id, composition: 'main' }, preview: true });
      await page.waitForURL(/#\/jobs\/[0-9a-f-]{36}$/);
      await waitForPageStatus(page, api, 'finished');
      const preview = page.locator('video.player');
      await waitFor(() => preview.evaluate((element: HTMLVideoElement) => (element.readyState >= 2 ? true : undefined)), 30_000, 'the preview to load');
      await screenshots(page, '12-preview-finished');

      // A join with a clip rendered from the template: its page shows the render as a child with its own state.
      const parent = await api.post('/jobs/join', {
        assets: [
          { type: 'job', template: { id: created.body.id, composition: 'main' } },
          { type: 'video', src: media.url('edts.mp4') },
        ],
      });
      expect(parent.status).toBe(201);
      await page.goto(`${GATEWAY}/app/#/jobs/${parent.body.id}`);
      await page.getByText('Progress across renders and stitch').first().waitFor();
      const child = page.locator(`.tree__node[data-child-id="${parent.body.children[0].id}"]`);
      await child.locator('[data-status="finished"]').waitFor({ timeout: JOB_TIMEOUT });
      expect(await child.locator('progress').getAttribute('value')).toBe('100');
      await waitForPageStatus(page, api, 'finished');
      await screenshots(page, '13-join-with-render');
    },
    MULTI_STEP_TEST_TIMEOUT,
  );

  it('signs out and forgets the token', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(await page.evaluate(() => [sessionStorage.getItem('vrs.apiToken'), localStorage.getItem('vrs.apiToken')])).toEqual([null, null]);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(consoleErrors.filter((text) => !/status of (401|404)/.test(text))).toEqual([]);
  });
});
