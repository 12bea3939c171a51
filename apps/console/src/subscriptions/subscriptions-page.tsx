import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { createSubscription, deleteSubscription, listSubscriptions, rotateSecret, updateSubscription, type Subscription } from '../api/notification';
import { ApiProblem } from '../api/problem';
import { useSignedIn } from '../session/session-context';
import { ExerciseBadge } from '../ui/badges';
import { jurisdictionName } from '../ui/jurisdiction';
import { CATEGORY_LABELS, CHANNEL_LABELS, eventTypeWords, PRIORITY_LABELS } from '../ui/labels';
import { QueryState } from '../ui/query-state';
import { Link } from '../ui/router';
import { formatTime } from '../ui/time';
import { SecretPanel } from './secret-panel';
import { draftOf, emptySubscriptionDraft, toSubscriptionBody, type SubscriptionDraft } from './subscription-draft';
import { SubscriptionForm } from './subscription-form';

const problemOf = (error: Error | null) => (error instanceof ApiProblem ? error : undefined);

/** A partner's (or machine client's, or triage's) subscriptions: create, change, delete, rotate the secret. */
export function SubscriptionsPage() {
  const { token, claims } = useSignedIn();
  const queryClient = useQueryClient();
  const subscriptions = useQuery({ queryKey: ['subscriptions', claims.sub], queryFn: () => listSubscriptions(token) });
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string; rotated: boolean }>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['subscriptions'] });

  const create = useMutation({
    mutationFn: (draft: SubscriptionDraft) => createSubscription(token, toSubscriptionBody(draft)),
    onSuccess: async (created) => {
      setCreating(false);
      if (created.secret) setSecret({ name: created.name, secret: created.secret, rotated: false });
      await refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: (subscription: Subscription) => rotateSecret(token, subscription.id),
    onSuccess: async (rotated) => {
      if (rotated.secret) setSecret({ name: rotated.name, secret: rotated.secret, rotated: true });
      await refresh();
    },
  });

  const items = subscriptions.data?.items ?? [];
  return (
    <main id="main" tabIndex={-1} className="page">
      <h1>My subscriptions</h1>
      <p className="lead">
        Incident events sent to your systems as signed webhooks or e-mail, within your clearance (TLP:{claims.clearance.toUpperCase()}). See what
        was sent on <Link to="/deliveries">Deliveries</Link>.
      </p>
      {secret && <SecretPanel {...secret} onDone={() => setSecret(undefined)} />}
      {rotate.error && (
        <p role="alert" className="error-summary">
          The secret was not rotated: {rotate.error.message}
        </p>
      )}
      {creating ? (
        <section className="panel" aria-labelledby="new-subscription-title">
          <h2 id="new-subscription-title">New subscription</h2>
          <SubscriptionForm
            formId="new-subscription"
            initial={emptySubscriptionDraft()}
            editing={false}
            problem={problemOf(create.error)}
            pending={create.isPending}
            onSubmit={(draft) => create.mutate(draft)}
            onCancel={() => {
              setCreating(false);
              create.reset();
            }}
          />
          {create.error && !problemOf(create.error) && <p role="alert">Not sent ({create.error.message}); try again.</p>}
        </section>
      ) : (
        <p>
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New subscription
          </button>
        </p>
      )}
      <QueryState isPending={subscriptions.isPending} error={subscriptions.error} what="subscriptions" />
      {subscriptions.data && items.length === 0 && <p>No subscriptions yet.</p>}
      <ul className="cards" aria-label="Subscriptions">
        {items.map((subscription) => (
          <SubscriptionCard key={subscription.id} subscription={subscription} onRotate={() => rotate.mutate(subscription)} rotating={rotate.isPending && rotate.variables?.id === subscription.id} />
        ))}
      </ul>
    </main>
  );
}

/** One subscription: what it sends where, and its actions (change, rotate, delete with a confirmation). */
function SubscriptionCard({ subscription, onRotate, rotating }: { subscription: Subscription; onRotate(): void; rotating: boolean }) {
  const { token } = useSignedIn();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['subscriptions'] });
  const update = useMutation({
    mutationFn: (draft: SubscriptionDraft) => {
      const { channel: _channel, ...body } = toSubscriptionBody(draft);
      return updateSubscription(token, subscription.id, body);
    },
    onSuccess: async () => {
      setEditing(false);
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: () => deleteSubscription(token, subscription.id), onSuccess: refresh });
  const { filter } = subscription;
  const titleId = `subscription-${subscription.id}-title`;
  return (
    <li className="card" aria-labelledby={titleId}>
      <h2 className="card-title" id={titleId}>
        {subscription.name}
      </h2>
      <p className="card-meta">
        <span className="badge">{CHANNEL_LABELS[subscription.channel]}</span> <span className="badge">TLP:{subscription.clearance.toUpperCase()}</span>{' '}
        <ExerciseBadge exercise={subscription.exercise} />
      </p>
      <p className="card-facts">
        To <code>{subscription.target}</code>
      </p>
      <p className="card-facts">Events: {subscription.events.map(eventTypeWords).join(', ')}</p>
      <p className="card-facts">
        Only:{' '}
        {[
          filter.minPriority && `priority ${PRIORITY_LABELS[filter.minPriority]} or above`,
          filter.jurisdictions?.length && `in ${filter.jurisdictions.map(jurisdictionName).join('; ')}`,
          filter.categories?.length && filter.categories.map((category) => CATEGORY_LABELS[category]).join('; '),
        ]
          .filter(Boolean)
          .join(' · ') || 'every incident within the clearance'}
      </p>
      <p className="card-facts muted">
        Created {formatTime(subscription.createdAt)}
        {subscription.previousSecretExpiresAt ? ` · the previous secret signs too until ${formatTime(subscription.previousSecretExpiresAt)}` : ''}
      </p>
      {editing ? (
        <SubscriptionForm
          formId={`edit-${subscription.id}`}
          initial={draftOf(subscription)}
          editing
          problem={problemOf(update.error)}
          pending={update.isPending}
          onSubmit={(draft) => update.mutate(draft)}
          onCancel={() => {
            setEditing(false);
            update.reset();
          }}
        />
      ) : confirmingDelete ? (
        <div className="confirm" role="group" aria-label={`Delete ${subscription.name}?`}>
          <p>
            <strong>Delete {subscription.name}?</strong> Nothing more is sent to it; deliveries still waiting end as dead. The ledger keeps what was sent.
          </p>
          <div className="actions">
            <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
              Delete it
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmingDelete(false)}>
              Keep it
            </button>
          </div>
          {remove.error && <p role="alert">Not deleted: {remove.error.message}</p>}
        </div>
      ) : (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setEditing(true)} aria-label={`Change ${subscription.name}`}>
            Change
          </button>
          {subscription.channel === 'webhook' && (
            <button type="button" className="secondary" onClick={onRotate} disabled={rotating} aria-label={`Rotate the secret of ${subscription.name}`}>
              {rotating ? 'Rotating…' : 'Rotate the secret'}
            </button>
          )}
          <button type="button" className="secondary" onClick={() => setConfirmingDelete(true)} aria-label={`Delete ${subscription.name}`}>
            Delete
          </button>
        </div>
      )}
    </li>
  );
}
