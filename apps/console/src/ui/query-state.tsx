import { ApiProblem } from '../api/problem';
import { useSession } from '../session/session-context';

/** Loading and failure of a page's main read, said in words (a 401 signs out: the token has expired). */
export function QueryState({ isPending, error, what }: { isPending: boolean; error: Error | null; what: string }) {
  const { expire } = useSession();
  if (error instanceof ApiProblem && error.status === 401) {
    return (
      <p role="alert">
        Your sign-in has expired.{' '}
        <button type="button" className="link-button" onClick={expire}>
          Sign in again
        </button>
      </p>
    );
  }
  if (error instanceof ApiProblem && error.status === 404) return <p role="alert">There is no {what} here, or it is outside what you may see.</p>;
  if (error) return <p role="alert">Could not load the {what}: {error.message}</p>;
  if (isPending) return <p role="status">Loading the {what}…</p>;
  return null;
}
