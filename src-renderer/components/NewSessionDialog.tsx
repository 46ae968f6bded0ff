// Start a session: directory, name, Claude (with a first prompt) or any command.
import { useState, type FormEvent } from 'react';
import { SESSION_NAME_RULE, sessionNameProblem } from '../../src-protocol/index.js';
import { appSession } from '../hub/appSession.js';
import { useApp } from '../state/store.js';

/** Splits a command line on spaces, honouring single and double quotes. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const match of line.matchAll(pattern))
    words.push(match[1]?.replace(/\\(.)/g, '$1') ?? match[2] ?? match[3]!);
  return words;
}

export function NewSessionDialog() {
  const sessions = useApp((state) => state.hub.sessions);
  const { setUi, showPane } = useApp.getState();
  const lastCwd = Object.values(sessions).at(-1)?.cwd ?? '';
  const [cwd, setCwd] = useState(lastCwd);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'claude' | 'command'>('claude');
  const [command, setCommand] = useState('');
  const [prompt, setPrompt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const close = () => setUi({ dialog: null });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const words = splitCommandLine(command);
    if (kind === 'command' && words.length === 0) return setError('Type the command to run.');
    const nameProblem = name.trim() ? sessionNameProblem(name.trim()) : null;
    if (nameProblem) return setError(nameProblem);
    setBusy(true);
    setError('');
    try {
      const session = await appSession.createSession({
        ...(cwd.trim() ? { cwd: cwd.trim() } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(kind === 'command' ? { command: words[0]!, args: words.slice(1) } : {}),
        ...(prompt.trim() ? { prompt: prompt.trim() } : {}),
      });
      close();
      showPane(session.id, 'drive');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="backdrop" onMouseDown={(event) => event.target === event.currentTarget && close()}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="new-session-title"
        onSubmit={(event) => void submit(event)}
        onKeyDown={(event) => event.key === 'Escape' && close()}
      >
        <h2 id="new-session-title">New session</h2>
        <label>
          Directory
          <input
            name="cwd"
            value={cwd}
            onChange={(event) => setCwd(event.target.value)}
            placeholder="/path/to/repository (default: the hub's)"
            autoFocus
          />
        </label>
        <label>
          Name
          <input
            name="name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="optional, e.g. api-tests"
            title={`Optional: ${SESSION_NAME_RULE}`}
          />
        </label>
        <fieldset className="kind">
          <legend>Runs</legend>
          <label>
            <input type="radio" name="kind" checked={kind === 'claude'} onChange={() => setKind('claude')} />{' '}
            Claude Code
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === 'command'}
              onChange={() => setKind('command')}
            />{' '}
            A command
          </label>
        </fieldset>
        {kind === 'command' ? (
          <label>
            Command
            <input
              name="command"
              value={command}
              onChange={(event) => setCommand(event.target.value)}
              placeholder="bash -l"
            />
          </label>
        ) : null}
        <label>
          {kind === 'claude' ? 'First prompt' : 'First input'}
          <textarea
            name="prompt"
            rows={3}
            value={prompt}
            onChange={(event) => setPrompt(event.target.value)}
            placeholder={
              kind === 'claude' ? 'optional: what Claude should start on' : 'optional: typed once it starts'
            }
          />
        </label>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Starting…' : 'Start session'}
          </button>
        </div>
      </form>
    </div>
  );
}
