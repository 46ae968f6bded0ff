// Shared by the CLI's commands: whole-number options, and running an action against the running hub.
import { InvalidArgumentError } from 'commander';
import { sessionNameProblem } from '../src-protocol/messages/session.js';
import { connectHub, findHub } from './connect.js';
import { reportError } from './output.js';

export const integer = (name: string, min: number, max: number) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
  }
  return parsed;
};

/** A session name as the hub takes it; anything else is refused here with the rule, before any hub call. */
export const sessionName = (value: string): string => {
  const problem = sessionNameProblem(value);
  if (problem === null) return value;
  throw new InvalidArgumentError(problem);
};

/** Runs an action against the running hub, printing errors as text or JSON. */
export function withHub<A extends unknown[]>(
  action: (client: Awaited<ReturnType<typeof connectHub>>, ...args: A) => Promise<void>,
) {
  return async (...args: A) => {
    const options = args.find(
      (arg): arg is { json?: boolean } => typeof arg === 'object' && arg !== null && !Array.isArray(arg),
    );
    let client: Awaited<ReturnType<typeof connectHub>> | undefined;
    try {
      client = await connectHub(findHub());
      await action(client, ...args);
    } catch (error) {
      reportError(error, options?.json === true);
    } finally {
      client?.close();
    }
  };
}
