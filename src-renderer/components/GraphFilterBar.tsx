// The delegation graph's filters: hide finished tasks, hide sessions without tasks, group by repository;
// says how many sessions the filters and folds leave out, and unfolds them all in one click.
import { useGraphPrefs } from '../graph/graphPrefs.js';

export function GraphFilterBar({ hidden }: { hidden: number }) {
  const prefs = useGraphPrefs();
  const box = (key: 'hideFinished' | 'hideIdle' | 'groupByRepo', text: string, title: string) => (
    <label title={title}>
      <input
        type="checkbox"
        checked={prefs[key]}
        onChange={(event) => prefs.set({ [key]: event.target.checked })}
      />{' '}
      {text}
    </label>
  );
  return (
    <div className="graph-filters" data-testid="graph-filters">
      {box('hideFinished', 'Hide finished tasks', 'Done and cancelled tasks; blocked and failed ones stay')}
      {box('hideIdle', 'Hide sessions without tasks', 'Otherwise they sit on a shelf below the graph')}
      {box('groupByRepo', 'Group by repository', 'A frame around the sessions of each repository')}
      {hidden > 0 ? (
        <span className="muted" data-testid="graph-hidden">
          {hidden} {hidden === 1 ? 'session' : 'sessions'} hidden
        </span>
      ) : null}
      {prefs.collapsed.size > 0 ? (
        <button type="button" className="small" onClick={() => prefs.set({ collapsed: new Set() })}>
          Unfold all
        </button>
      ) : null}
    </div>
  );
}
