// Runs a bench's main() bounded in time: past the deadline, or on Ctrl-C / SIGTERM, it cleans up what
// the bench started and exits; it always cleans up once main() ends, and a failure sets the exit code.
export async function runBench(main, cleanUp, deadlineMs) {
  const watchdog = setTimeout(() => {
    console.error(`The bench ran past ${deadlineMs} ms; cleaning up and stopping.`);
    void cleanUp().finally(() => process.exit(1));
  }, deadlineMs);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }
  try {
    await main();
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  } finally {
    await cleanUp();
    clearTimeout(watchdog);
  }
}
