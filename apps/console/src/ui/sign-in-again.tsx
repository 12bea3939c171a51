import { useSession } from '../session/session-context';

/**
 * A form's answer when its call got a 401 (the token ran out, or the service's clock thinks
 * so): nothing was sent, what was typed is kept in this tab, and signing in again brings the
 * person back to it.
 */
export function SignInAgain({ what }: { what: string }) {
  const { expire } = useSession();
  return (
    <div className="error-summary" role="alert">
      <h2>Your sign-in has expired: {what} was not sent</h2>
      <p>What you typed is kept in this tab. Sign in again, and it is back here to send.</p>
      <button type="button" className="primary" onClick={expire}>
        Sign in again
      </button>
    </div>
  );
}
