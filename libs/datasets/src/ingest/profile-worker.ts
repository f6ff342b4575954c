/**
 * The profile worker thread (see ProfileThreadService in ./profile-thread.service): applies the steps of
 * each upload's typed profiles as they arrive, acknowledges every window, and answers
 * `finish` with the profiles. Its own entry point (webpack.config.js), so the thread loads
 * the profiling code and nothing else of the app.
 */
import { parentPort } from 'node:worker_threads';
import { InlineTypedProfiles } from '../profiling/typed-profiles';
import type { ProfileReply, ProfileRequest } from './profile-thread.service';

const port = parentPort;
if (port === null)
  throw new Error('profile-worker runs as a worker thread (see ProfileThreadService)');

const sessions = new Map<number, InlineTypedProfiles>();
/** Sessions whose steps failed: their later steps are ignored until the upload closes them. */
const failed = new Set<number>();

port.on('message', (request: ProfileRequest) => {
  const session = request.session;
  if (failed.has(session)) {
    if (request.end !== undefined) failed.delete(session);
    return;
  }
  let profiles = sessions.get(session);
  if (profiles === undefined) {
    profiles = new InlineTypedProfiles();
    sessions.set(session, profiles);
  }
  let reply: ProfileReply | undefined;
  try {
    for (const step of request.steps) profiles.apply(step);
    if (request.end === undefined) reply = { session, kind: 'ack' };
    else if (request.end === 'finish')
      reply = { session, kind: 'profiles', profiles: [...profiles.profiles()] };
  } catch (error) {
    reply = {
      session,
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
    };
    if (request.end === undefined) failed.add(session);
  }
  if (reply?.kind !== 'ack') sessions.delete(session);
  if (reply !== undefined) port.postMessage(reply);
});

// Loaded: from here on, a silence while uploads wait is the thread's, not its start-up's.
port.postMessage({ session: 0, kind: 'ready' } satisfies ProfileReply);
