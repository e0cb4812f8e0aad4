import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../api/client';
import { PageHeader } from '../components/layout';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { formatTime } from '../format';
import { useResource } from '../hooks/use-resource';
import { hrefFor, navigate } from '../router';

export function TemplatesPage({ api }: { api: Api }) {
  const templates = useResource((signal) => api.templates(signal), [api]);
  return (
    <>
      <PageHeader title="Templates" />
      {templates.loading && !templates.data && <Loading what="templates" />}
      {templates.error && <ErrorNotice error={templates.error} retry={templates.reload} title="The templates could not be loaded" />}
      {templates.data && templates.data.templates.length === 0 && (
        <Empty title="No templates yet.">
          <p>
            Create one with <code>POST /templates</code> (see docs/rendering.md).
          </p>
        </Empty>
      )}
      {templates.data && templates.data.templates.length > 0 && (
        <ul class="cards">
          {templates.data.templates.map((template) => (
            <li key={template.id} class="card card--link" data-template-id={template.id}>
              <h2 class="card__title">
                <a href={hrefFor.template(template.id)}>{template.name}</a>
              </h2>
              <p class="muted mono small break">{template.id}</p>
              <p>
                {template.driver ?? 'builtin'} · {template.compositions.length} composition{template.compositions.length === 1 ? '' : 's'}:{' '}
                {template.compositions.join(', ')}
              </p>
              <p class="muted small">Created {formatTime(template.createdAt)}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** One template: its JSON, and a preview render of any of its compositions (POST /jobs with preview: true). */
export function TemplatePage({ api, id }: { api: Api; id: string }) {
  const template = useResource((signal) => api.template(id, signal), [api, id]);
  const [composition, setComposition] = useState<string>();
  const [submit, setSubmit] = useState<{ busy?: boolean; error?: Error }>({});
  const back = { href: hrefFor.templates(), label: 'Templates' };
  if (!template.data) {
    if (template.error instanceof ApiError && template.error.status === 404)
      return (
        <>
          <PageHeader title="Template" back={back} />
          <Empty title={`There is no template ${id}.`} />
        </>
      );
    if (template.error)
      return (
        <>
          <PageHeader title="Template" back={back} />
          <ErrorNotice error={template.error} retry={template.reload} />
        </>
      );
    return <Loading what="the template" />;
  }
  const data = template.data;
  const chosen = composition ?? data.compositions[0];
  const preview = async (event: Event) => {
    event.preventDefault();
    setSubmit({ busy: true });
    try {
      const job = await api.createRender({ template: { id: data.id, composition: chosen }, preview: true });
      navigate(hrefFor.job(job.id));
    } catch (error) {
      setSubmit({ error: error as Error });
    }
  };
  return (
    <>
      <PageHeader title={data.name} back={back} />
      <section class="card">
        <h2>Render a preview</h2>
        <p class="muted">A quick draft of one composition with its default layers; it opens as a job.</p>
        <form class="form-row" onSubmit={preview}>
          <label class="field field--inline">
            <span class="field__label">Composition</span>
            <select name="composition" value={chosen} onChange={(e) => setComposition(e.currentTarget.value)}>
              {data.compositions.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="button button--primary" disabled={submit.busy || !chosen}>
            {submit.busy ? 'Starting…' : 'Render preview'}
          </button>
        </form>
        {submit.error && <ErrorNotice error={submit.error} title="The preview could not be started" />}
      </section>
      <section class="card">
        <h2>Definition</h2>
        <pre class="json" tabIndex={0} aria-label="Template JSON">
          {JSON.stringify(data.template, null, 2)}
        </pre>
      </section>
    </>
  );
}
