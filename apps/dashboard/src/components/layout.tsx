import type { ComponentChildren } from 'preact';
import { hrefFor, type Route } from '../router';

const NAV: { href: string; label: string; pages: Route['page'][] }[] = [
  { href: hrefFor.jobs(), label: 'Jobs', pages: ['jobs', 'job'] },
  { href: hrefFor.newJoin(), label: 'New join', pages: ['new-join'] },
  { href: hrefFor.batches(), label: 'Batches', pages: ['batches', 'batch'] },
  { href: hrefFor.templates(), label: 'Templates', pages: ['templates', 'template'] },
];

export function Layout({ route, onSignOut, children }: { route: Route; onSignOut: () => void; children: ComponentChildren }) {
  return (
    <>
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={hrefFor.jobs()}>
          <span class="brand__mark" aria-hidden="true">
            ▶
          </span>{' '}
          vrs <span class="brand__sub">render &amp; stitch</span>
        </a>
        <nav class="nav" aria-label="Main">
          {NAV.map((item) => (
            <a key={item.href} href={item.href} class="nav__link" aria-current={item.pages.includes(route.page) ? 'page' : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        <button type="button" class="button button--ghost topbar__signout" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1} class="main">
        {children}
      </main>
    </>
  );
}

export function PageHeader({ title, back, children }: { title: ComponentChildren; back?: { href: string; label: string }; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      {back && (
        <a class="back-link" href={back.href}>
          ← {back.label}
        </a>
      )}
      <div class="page-header__row">
        <h1>{title}</h1>
        {children && <div class="page-header__actions">{children}</div>}
      </div>
    </div>
  );
}
