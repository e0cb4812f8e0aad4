import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ffprobeJson } from '@vrs/media';
import { SAMPLE_CLIPS } from '@vrs/testing';

const ROOT = resolve(__dirname, '../..');
const GATEWAY = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';
const CLIPS = SAMPLE_CLIPS;

async function call(path: string, token: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(`${GATEWAY}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  const body = await res.json();
  if (res.status >= 400) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** The quick start's proof: a real join job of the four sample clips (served by `services.sh sample-media`), through every service. */
async function main() {
  const base = process.env.SAMPLE_MEDIA_URL ?? `http://127.0.0.1:${process.env.SAMPLE_MEDIA_PORT ?? 8089}`;

  const adminToken = process.env.ADMIN_TOKEN ?? readFileSync(join(ROOT, '.var/admin-token'), 'utf8').trim();
  const tenant = await call('/admin/tenants', adminToken, { method: 'POST', body: JSON.stringify({ name: 'quick-start' }) });
  console.log(`tenant ${tenant.id} created; its API token: ${tenant.token}`);

  const job = await call('/jobs/join', tenant.token, {
    method: 'POST',
    body: JSON.stringify({ assets: CLIPS.map((clip) => ({ type: 'video', src: `${base}/${clip}` })) }),
  });
  console.log(`join job ${job.id} submitted (${CLIPS.join(' + ')})`);
  let state = job;
  for (let lastLine = ''; !['finished', 'error', 'manually_cancelled'].includes(state.status);) {
    await new Promise((done) => setTimeout(done, 500));
    state = await call(`/jobs/${job.id}`, tenant.token);
    const line = `  ${state.status} ${state.progress}%`;
    if (line !== lastLine) console.log((lastLine = line));
  }
  if (state.status !== 'finished') throw new Error(`the job ended in ${state.status}: ${state.stats.error}`);

  const localFile = join(ROOT, '.var/outputs', `${job.id}.mp4`);
  const info = existsSync(localFile) ? await ffprobeJson(localFile) : undefined;
  const streams = info?.streams
    .map((s) => (s.codec_type === 'video' ? `${s.codec_name} ${s.width}x${s.height}` : `${s.codec_name} ${s.sample_rate} Hz`))
    .join(', ');
  console.log(`\nfinished: ${Number(info?.format.duration ?? 0).toFixed(2)} s (${streams})`);
  console.log(`output URL : ${state.outputUrl}`);
  if (info) console.log(`output file: ${localFile}`);
  console.log(`\nNext (see README "After the quick start"): in your shell,\n  export VRS_URL=${GATEWAY} VRS_TOKEN=${tenant.token}`);
  console.log(`  curl -H "Authorization: Bearer $VRS_TOKEN" $VRS_URL/jobs/${job.id}`);
}

main().catch((error) => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});
