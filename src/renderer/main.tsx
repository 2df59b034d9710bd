// Renderer entry: one API client, one store, the bindings between them, then React.
// Global styles first, so component styles that follow can refine them.
import './styles/tokens.css';
import './styles/base.css';
import './styles/widgets.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client.ts';
import { App } from './App.tsx';
import { bindStore, routeFromHash } from './state/bindings.ts';
import { AppProvider } from './state/context.tsx';
import { browserPreferences, createAppStore } from './state/store.ts';

function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const client = createClient(window);
const route = routeFromHash(window.location.hash);
const store = createAppStore({
  client,
  prefs: browserPreferences(safeLocalStorage()),
  networkOnline: navigator.onLine,
  initialSection: route?.section,
  initialView: route?.view,
});
// Bound for the life of the page; the window going away ends every subscription with it.
bindStore(store, client, window);
void store.getState().loadInfo();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');
createRoot(container).render(
  <StrictMode>
    <AppProvider store={store} client={client}>
      <App />
    </AppProvider>
  </StrictMode>,
);
