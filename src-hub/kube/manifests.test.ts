// A Kubernetes worker's Pod and Secret as plain objects, its settings from the environment, and how a pod's
// status reads (issue 15): no cluster involved.
import { describe, expect, it } from 'vitest';
import { LABEL, type WorkerRecord } from '../workers/labels.js';
import { podManifest, podName, secretManifest, secretName, splitSecrets } from './manifests.js';
import { endReason, startFailure } from './podStatus.js';
import { resolveKubeSettings } from './settings.js';

const record: WorkerRecord = {
  session: 'A1b2c3d4-0000-4000-8000-000000000001',
  name: 'worker-1',
  container: '',
  image: 'registry.example/worker:1',
  repo: '/home/dev/app',
  root: 'root-session',
  parent: 'parent-session',
  depth: 2,
  task: 'task-1',
  ordinal: 2,
  deadlineAt: Date.parse('2030-01-01T00:00:00Z'),
  tokenHash: 'f'.repeat(64),
  cols: 120,
  rows: 32,
};

describe('pod and secret manifests', () => {
  const settings = resolveKubeSettings(
    {
      namespace: 'work',
      nodeSelector: { pool: 'agents' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' }],
      serviceAccount: 'worker',
    },
    {},
  );
  const input = {
    hubId: 'hub-1',
    record,
    settings,
    args: ['claude', '--session-id', record.session],
    env: {
      TERM: 'xterm-256color',
      SWITCHBOARD_SESSION_TOKEN: 'secret-token',
      ANTHROPIC_API_KEY: 'sk-ant-unique',
    },
    deadlineSeconds: 42.2,
  };

  it('a bare Pod on a TTY: labels to select by, the record in annotations, secrets only by reference', () => {
    const pod = podManifest(input);
    expect(pod.metadata).toMatchObject({
      name: podName(record.session),
      namespace: 'work',
      labels: {
        [LABEL.hub]: 'hub-1',
        [LABEL.session]: record.session,
        [LABEL.root]: 'root-session',
        [LABEL.parent]: 'parent-session',
        [LABEL.task]: 'task-1',
      },
      annotations: { [LABEL.depth]: '2', [LABEL.repo]: '/home/dev/app', [LABEL.tokenHash]: 'f'.repeat(64) },
    });
    expect(pod.metadata.name).toMatch(/^[a-z0-9-]{1,63}$/); // a DNS label, lower case
    expect(Object.keys(pod.metadata.labels)).toHaveLength(5);
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Never',
      activeDeadlineSeconds: 43,
      automountServiceAccountToken: false,
      serviceAccountName: 'worker',
      nodeSelector: { pool: 'agents' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' }],
      containers: [
        {
          image: 'registry.example/worker:1',
          tty: true,
          stdin: true,
          args: input.args,
          resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } },
        },
      ],
    });
    const text = JSON.stringify(pod);
    expect(text).not.toContain('secret-token');
    expect(text).not.toContain('sk-ant-unique');
    expect(text).toContain(
      `"secretKeyRef":{"name":"${secretName(record.session)}","key":"SWITCHBOARD_SESSION_TOKEN"}`,
    );
  });

  it('the Secret holds the secret variables and is owned by its pod', () => {
    expect(splitSecrets(input.env).plain).toEqual({ TERM: 'xterm-256color' });
    const secret = secretManifest(input, 'pod-uid');
    expect(secret).toMatchObject({
      kind: 'Secret',
      metadata: { name: secretName(record.session), ownerReferences: [{ kind: 'Pod', uid: 'pod-uid' }] },
      stringData: { SWITCHBOARD_SESSION_TOKEN: 'secret-token', ANTHROPIC_API_KEY: 'sk-ant-unique' },
    });
    expect(secret.metadata.name.length).toBeLessThanOrEqual(63);
  });
});

describe('kubernetes settings', () => {
  it('reads SWITCHBOARD_KUBE_* and refuses malformed values with the variable named', () => {
    const settings = resolveKubeSettings(
      {},
      {
        SWITCHBOARD_KUBE_NAMESPACE: 'agents',
        SWITCHBOARD_KUBE_CPU_LIMIT: '4',
        SWITCHBOARD_KUBE_NODE_SELECTOR: '{"pool":"big"}',
        SWITCHBOARD_KUBE_TOLERATIONS: '[{"operator":"Exists"}]',
        SWITCHBOARD_KUBE_START_TIMEOUT_S: '30',
      },
    );
    expect(settings).toMatchObject({
      namespace: 'agents',
      cpuLimit: '4',
      nodeSelector: { pool: 'big' },
      tolerations: [{ operator: 'Exists' }],
      startTimeoutSeconds: 30,
    });
    expect(() => resolveKubeSettings({}, { SWITCHBOARD_KUBE_NODE_SELECTOR: '{pool' })).toThrow(
      /SWITCHBOARD_KUBE_NODE_SELECTOR is not valid JSON/,
    );
    expect(() => resolveKubeSettings({ memoryLimit: 'lots' }, {})).toThrow(/quantity/);
  });
});

describe('pod status', () => {
  const waiting = (reason: string) => ({
    status: {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'worker',
          image: 'i',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason, message: 'm' } },
        },
      ],
    },
  });

  it('an image that cannot be pulled fails at once; a pod still creating its container may yet start', () => {
    expect(startFailure(waiting('ImagePullBackOff'), 'p', 'i')).toMatchObject({ code: 'image_not_found' });
    expect(startFailure(waiting('ContainerCreating'), 'p', 'i')).toBeUndefined();
    expect(startFailure(waiting('CreateContainerConfigError'), 'p', 'i')).toBeUndefined();
  });

  it('says why a pod ended: deadline, eviction, out of memory, an exit status; nothing for exit 0', () => {
    expect(endReason({ status: { reason: 'DeadlineExceeded' } }, 'p')).toContain('activeDeadlineSeconds');
    expect(endReason({ status: { reason: 'Evicted', message: 'node low on memory' } }, 'p')).toContain(
      'evicted',
    );
    const terminated = (exitCode: number, reason: string) => ({
      status: {
        containerStatuses: [
          {
            name: 'worker',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode, reason } },
          },
        ],
      },
    });
    expect(endReason(terminated(137, 'OOMKilled'), 'p')).toContain('ran out of memory');
    expect(endReason(terminated(3, 'Error'), 'p')).toContain('exited with status 3');
    expect(endReason(terminated(0, 'Completed'), 'p')).toBeUndefined();
  });
});
