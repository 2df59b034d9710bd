// Chooses the screen: waiting for the core, why it failed, first run, or the shell.
import { FirstRun } from './first-run/FirstRun.tsx';
import { Shell } from './shell/Shell.tsx';
import { LoadErrorScreen, LoadingScreen } from './shell/StartupScreens.tsx';
import { useApp } from './state/context.tsx';

export function App() {
  const hasInfo = useApp((s) => s.info !== null);
  const hasProfile = useApp((s) => s.profile !== null);
  // A wall display on a read-only link watches; there is nobody at it to set up.
  const readOnly = useApp((s) => s.info?.access === 'read');
  const infoError = useApp((s) => s.infoError);
  const infoLoading = useApp((s) => s.infoLoading);
  const loadInfo = useApp((s) => s.loadInfo);

  // Once the core has answered, a later failed refresh keeps the shell up; the status bar
  // shows the lost connection instead of throwing the person out of their work.
  if (!hasInfo) {
    if (infoError) return <LoadErrorScreen problem={infoError} retrying={infoLoading} onRetry={() => void loadInfo()} />;
    return <LoadingScreen />;
  }
  return hasProfile || readOnly ? <Shell /> : <FirstRun />;
}
