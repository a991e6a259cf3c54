import { lazy, type ReactNode } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Provider as UrqlProvider } from 'urql';
import { makeClient } from './client';
import { config } from './config';
import { Layout, NotFound } from './components/Layout';
import { LazyPart } from './components/States';
import { ThemeProvider } from './components/ThemeToggle';
import { Home } from './views/Home';
import { ScopesView } from './views/ScopesView';
import { ExecutionsView } from './views/ExecutionsView';

// The graph, YAML and diff views load on demand: the first page stays small.
const RunbookView = lazy(() => import('./views/RunbookView'));
const ScopeView = lazy(() => import('./views/ScopeView'));

const page = (node: ReactNode) => <LazyPart what="This page">{node}</LazyPart>;

const router = createBrowserRouter(
  [
    {
      element: <Layout />,
      children: [
        { path: '/', element: <Home /> },
        { path: '/runbook/:serviceId', element: page(<RunbookView />) },
        { path: '/runbook/:serviceId/:errorCode', element: page(<RunbookView />) },
        { path: '/scopes', element: <ScopesView /> },
        { path: '/scopes/:id', element: page(<ScopeView />) },
        { path: '/scopes/:id/:tab', element: page(<ScopeView />) },
        { path: '/executions', element: <ExecutionsView /> },
        { path: '/executions/:id', element: <ExecutionsView /> },
        { path: '*', element: <NotFound /> },
      ],
    },
  ],
  { basename: config.basename },
);

const client = makeClient();

export function App() {
  return (
    <ThemeProvider>
      <UrqlProvider value={client}>
        <RouterProvider router={router} />
      </UrqlProvider>
    </ThemeProvider>
  );
}
