/**
 * The HTTP API's routes as data: which handler a method and path reach. Pure, so the table is
 * tested without a server.
 *
 * | method | path | route |
 * | --- | --- | --- |
 * | GET | /api | index |
 * | GET | /api/health | health |
 * | POST | /api/sessions | create |
 * | GET | /api/sessions/current | current (the session the cookie or bearer token names) |
 * | GET, DELETE | /api/sessions/:id | show, delete |
 * | GET | /api/sessions/:id/kubeconfig | kubeconfig |
 * | POST | /api/sessions/:id/reset | reset |
 * | GET | /api/sessions/:id/checks | checks (`?steps=a,b&locale=ko`) |
 * | GET | /api/sessions/:id/events | events (server-sent events: `?steps=a,b&locale=ko`) |
 * | GET, DELETE | /api/progress | progress (the learner cookie's passed steps; DELETE starts over) |
 * | GET | /api/sessions/:id/files | files (the workdir tree) |
 * | GET, PUT | /api/sessions/:id/files/<path> | file (read, save) |
 * | GET | /api/sessions/:id/schema | schema (JSON Schema for manifests, from the cluster's OpenAPI) |
 * | POST | /api/sessions/:id/edits/:editId | edit (save or cancel a `kubectl edit` open in the page) |
 * | (WebSocket) | /api/sessions/:id/terminal | terminal |
 */

import { EDIT_ID } from '../../src/protocol/edits.ts';

/** What a request asks for. */
export type ApiRoute =
  | { name: 'index' }
  | { name: 'health' }
  | { name: 'create' }
  | { name: 'current' }
  | { name: 'show'; id: string }
  | { name: 'delete'; id: string }
  | { name: 'kubeconfig'; id: string }
  | { name: 'reset'; id: string }
  | { name: 'checks'; id: string }
  | { name: 'events'; id: string }
  | { name: 'progress' }
  | { name: 'files'; id: string }
  | { name: 'file'; id: string }
  | { name: 'schema'; id: string }
  | { name: 'terminal'; id: string }
  | { name: 'edit'; id: string; editId: string }
  | { name: 'method-not-allowed'; allow: string[] }
  | { name: 'not-found' };

/** Session ids in URLs: what the session manager issues (URL-safe random text). */
export const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The route of an API request (`pathname` starts with `/api`), or where it went wrong. */
export function matchApiRoute(method: string, pathname: string): ApiRoute {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const segments = path.split('/').slice(1);
  const allow = (methods: string[], route: ApiRoute): ApiRoute =>
    methods.includes(method) || (method === 'HEAD' && methods.includes('GET'))
      ? route
      : { name: 'method-not-allowed', allow: methods };

  if (segments[0] !== 'api') return { name: 'not-found' };
  if (segments.length === 1) return allow(['GET'], { name: 'index' });
  if (segments.length === 2 && segments[1] === 'health') return allow(['GET'], { name: 'health' });
  if (segments.length === 2 && segments[1] === 'progress')
    return allow(['GET', 'DELETE'], { name: 'progress' });
  if (segments[1] !== 'sessions') return { name: 'not-found' };
  if (segments.length === 2) return allow(['POST'], { name: 'create' });
  const id = segments[2]!;
  if (segments.length === 3 && id === 'current') return allow(['GET'], { name: 'current' });
  if (!SESSION_ID.test(id)) return { name: 'not-found' };
  if (segments.length === 3) {
    if (method === 'DELETE') return { name: 'delete', id };
    return allow(['GET', 'DELETE'], { name: 'show', id });
  }
  // The file path is read from the raw URL by the handler (see files-routes.ts).
  if (segments.length > 4 && segments[3] === 'files') return allow(['GET', 'PUT'], { name: 'file', id });
  if (segments.length === 5 && segments[3] === 'edits') {
    const editId = segments[4]!;
    return EDIT_ID.test(editId) ? allow(['POST'], { name: 'edit', id, editId }) : { name: 'not-found' };
  }
  if (segments.length !== 4) return { name: 'not-found' };
  switch (segments[3]) {
    case 'kubeconfig':
      return allow(['GET'], { name: 'kubeconfig', id });
    case 'reset':
      return allow(['POST'], { name: 'reset', id });
    case 'terminal':
      return allow(['GET'], { name: 'terminal', id });
    case 'checks':
      return allow(['GET'], { name: 'checks', id });
    case 'events':
      return allow(['GET'], { name: 'events', id });
    case 'files':
      return allow(['GET'], { name: 'files', id });
    case 'schema':
      return allow(['GET'], { name: 'schema', id });
    default:
      return { name: 'not-found' };
  }
}
