import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProblem } from './api/problem';
import { App } from './app';
import { loadConsoleConfig } from './auth/console-config';
import { resumeSession } from './auth/resume';
import { SessionProvider } from './session/session-context';
import { RouterProvider } from './ui/router';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change on retry; a network blip or a 5xx may.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiProblem && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

/**
 * Reads how this deployment signs people in, completes or resumes an OpenID Connect sign-in
 * (before anything renders, so a code is exchanged exactly once), then renders the app.
 */
async function start(root: HTMLElement): Promise<void> {
  const config = await loadConsoleConfig();
  const resumed = await resumeSession(config);
  if (resumed === 'redirecting') return;
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <SessionProvider config={config} start={resumed}>
          <RouterProvider>
            <App />
          </RouterProvider>
        </SessionProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (root) {
  start(root).catch((error: Error) => {
    // Nothing to sign in with: say so in the page rather than leave it blank.
    const message = document.createElement('p');
    message.setAttribute('role', 'alert');
    message.textContent = `The console could not start: ${error.message}`;
    root.replaceChildren(message);
  });
}
