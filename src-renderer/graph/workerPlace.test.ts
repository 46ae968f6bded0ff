// The pod mark (issue 15): a Kubernetes worker shows as a pod with its node; Docker as a container.
import { describe, expect, it } from 'vitest';
import { sessionInfo } from '../state/testSessions.js';
import { delegationGraph } from './graphLayout.js';
import { workerPlace } from './workerPlace.js';

const base = { container: 'c1', image: 'img:1', repo: '/r', root: 'r', parent: null, depth: 1, task: null };

describe('workerPlace', () => {
  it('marks a pod with its node and phase, a container as such, and a local session as local', () => {
    expect(workerPlace({ ...base, runtime: 'kubernetes', node: 'node-7', phase: 'Running' })).toEqual({
      kind: 'pod',
      text: 'pod · node-7',
      title: 'Kubernetes pod c1 (img:1), on node node-7, Running',
    });
    expect(workerPlace({ ...base, runtime: 'kubernetes', node: null }).text).toBe('pod');
    expect(workerPlace({ ...base, runtime: 'kubernetes', node: null }).title).toContain('not scheduled yet');
    expect(workerPlace(base)).toMatchObject({ kind: 'container', text: 'container' });
    expect(workerPlace({ ...base, runtime: 'docker' }).kind).toBe('container');
    expect(workerPlace(null).kind).toBe('local');
  });

  it("gives the graph's node of a pod worker its place", () => {
    const pod = sessionInfo('p', { worker: { ...base, runtime: 'kubernetes', node: 'node-2' } });
    const { nodes } = delegationGraph({ p: pod, l: sessionInfo('l') }, {});
    expect(nodes.find((node) => node.id === 'p')?.place.text).toBe('pod · node-2');
    expect(nodes.find((node) => node.id === 'l')?.place.kind).toBe('local');
  });
});
