// Placeholder shell of the supervisor UI.
export function App() {
  return (
    <main>
      <h1>Switchboard</h1>
      <p>
        Sessions appear here once the desktop app lands. Meanwhile: <code>switchboard ls</code>.
      </p>
    </main>
  );
}
