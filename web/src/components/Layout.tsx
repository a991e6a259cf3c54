import { NavLink, Outlet, useLocation } from 'react-router';
import { useEffect, useRef } from 'react';
import { ThemeToggle } from './ThemeToggle';
import { config } from '../config';

export function Layout() {
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  // Move focus to the page on navigation, for keyboard and screen reader users.
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [location.pathname]);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" end>
          <span className="brand-mark" aria-hidden="true" />
          Runbooks
        </NavLink>
        {config.host ? (
          <span className="mono" data-testid="host" title="The host (tenant) this page shows">
            {config.host}
          </span>
        ) : null}
        <nav aria-label="Main">
          <NavLink to="/" end>
            On call
          </NavLink>
          <NavLink to="/scopes">Scopes</NavLink>
          <NavLink to="/executions">Executions</NavLink>
          <a href="/graphiql">GraphiQL</a>
        </nav>
        <ThemeToggle />
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

export function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        Nothing here. Start from <NavLink to="/">On call</NavLink> or browse the <NavLink to="/scopes">scopes</NavLink>.
      </p>
    </div>
  );
}
