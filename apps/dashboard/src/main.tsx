import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { apiFor, whenUnauthorized } from './api/client';
import { Layout } from './components/layout';
import { Empty } from './components/states';
import { BatchesPage, BatchPage } from './pages/batches';
import { JobPage } from './pages/job-page';
import { JobsPage } from './pages/jobs-list';
import { NewJoinPage } from './pages/new-join';
import { SignIn } from './pages/sign-in';
import { TemplatePage, TemplatesPage } from './pages/templates';
import { hrefFor, useRoute, type Route } from './router';
import { forgetToken, storedToken, storeToken } from './session';

const TITLES: Record<Route['page'], string> = {
  jobs: 'Jobs',
  job: 'Job',
  'new-join': 'New join',
  batches: 'Batches',
  batch: 'Batch',
  templates: 'Templates',
  template: 'Template',
  'not-found': 'Not found',
};

function App() {
  const [token, setToken] = useState(storedToken);
  const [notice, setNotice] = useState<string>();
  const route = useRoute();
  const api = useMemo(() => (token ? apiFor(token) : undefined), [token]);

  useEffect(
    () =>
      whenUnauthorized(() => {
        forgetToken();
        setToken(null);
        setNotice('The API no longer accepts your token. Sign in again.');
      }),
    [],
  );
  useEffect(() => {
    document.title = `${token ? TITLES[route.page] : 'Sign in'} · vrs`;
  }, [route.page, token]);

  if (!api)
    return (
      <SignIn
        notice={notice}
        onSignedIn={(value, remember) => {
          storeToken(value, remember);
          setNotice(undefined);
          setToken(value);
        }}
      />
    );
  const signOut = () => {
    forgetToken();
    setToken(null);
    setNotice('You are signed out.');
  };
  return (
    <Layout route={route} onSignOut={signOut}>
      {route.page === 'jobs' && <JobsPage api={api} state={route.state} />}
      {route.page === 'job' && <JobPage api={api} id={route.id} key={route.id} />}
      {route.page === 'new-join' && <NewJoinPage api={api} />}
      {route.page === 'batches' && <BatchesPage api={api} />}
      {route.page === 'batch' && <BatchPage api={api} id={route.id} key={route.id} />}
      {route.page === 'templates' && <TemplatesPage api={api} />}
      {route.page === 'template' && <TemplatePage api={api} id={route.id} key={route.id} />}
      {route.page === 'not-found' && (
        <Empty title="There is no page here.">
          <a href={hrefFor.jobs()}>Go to the jobs</a>
        </Empty>
      )}
    </Layout>
  );
}

render(<App />, document.getElementById('app')!);
