// The owner's prompt for joins that wait for approval (invites made with "ask me before anyone joins"):
// who, with which invite, from where; Approve or Refuse. Unanswered, the hub refuses after 2 minutes.
import { appSession } from '../hub/appSession.js';
import { useApp } from '../state/store.js';

export function JoinPrompts() {
  const requests = useApp((state) => state.hub.joinRequests);
  if (requests.length === 0) return null;
  const decide = (id: string, allow: boolean) => () =>
    void appSession.hub.decideJoin(id, allow).catch(() => undefined); // already settled: the event clears it
  return (
    <div className="join-prompts" role="alertdialog" aria-label="Join requests" data-testid="join-prompts">
      {requests.map((request) => (
        <div key={request.id} className="join-prompt">
          <span>
            <strong>{request.name}</strong> wants to join as {request.role} from {request.address}
          </span>
          <button type="button" className="primary small" onClick={decide(request.id, true)}>
            Approve
          </button>
          <button type="button" className="small" onClick={decide(request.id, false)}>
            Refuse
          </button>
        </div>
      ))}
    </div>
  );
}
