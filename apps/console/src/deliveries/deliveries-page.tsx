import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeliveryStatus } from '@watchfloor/contracts';
import { useState } from 'react';
import { listDeliveries, listSubscriptions, retryDelivery, type Delivery } from '../api/notification';
import { useSignedIn } from '../session/session-context';
import { ExerciseBadge } from '../ui/badges';
import { DELIVERY_STATUS_LABELS, eventTypeWords, optionsOf } from '../ui/labels';
import { QueryState } from '../ui/query-state';
import { formatClock, shortId } from '../ui/time';

/**
 * How often the ledger is read again. Notification has no event stream; a delivery takes
 * well under a second, so a few seconds' poll shows it arriving, at one small query per tab.
 */
export const DELIVERIES_REFRESH_MS = 2_000;

/** The delivery ledger of the caller's subscriptions, newest first, kept current; a failed or dead one can be sent again. */
export function DeliveriesPage() {
  const { token, claims } = useSignedIn();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const [subscriptionId, setSubscriptionId] = useState('');
  const filters = { status: status || undefined, subscriptionId: subscriptionId || undefined };
  const deliveries = useQuery({
    queryKey: ['deliveries', claims.sub, filters],
    queryFn: () => listDeliveries(token, filters),
    refetchInterval: DELIVERIES_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const subscriptions = useQuery({ queryKey: ['subscriptions', claims.sub], queryFn: () => listSubscriptions(token) });
  const names = new Map((subscriptions.data?.items ?? []).map((subscription) => [subscription.id, subscription.name]));
  const retry = useMutation({
    mutationFn: (delivery: Delivery) => retryDelivery(token, delivery.id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['deliveries'] }),
  });
  const items = deliveries.data?.items ?? [];
  return (
    <main id="main" tabIndex={-1} className="page">
      <h1>Deliveries</h1>
      <p className="lead">
        What was sent to your subscriptions, newest first. The list reads itself again every {DELIVERIES_REFRESH_MS / 1000} s. A failed delivery
        is retried by itself with growing waits; a dead one (out of retries, or refused by your receiver) is not. Either can be sent again at once
        here, under the same webhook-id.
      </p>
      <div className="filters">
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as DeliveryStatus | '')}>
            <option value="">Any</option>
            {optionsOf(DELIVERY_STATUS_LABELS).map((value) => (
              <option key={value} value={value}>
                {DELIVERY_STATUS_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Subscription
          <select value={subscriptionId} onChange={(e) => setSubscriptionId(e.target.value)}>
            <option value="">All of mine</option>
            {subscriptions.data?.items.map((subscription) => (
              <option key={subscription.id} value={subscription.id}>
                {subscription.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted" aria-live="polite">
        {deliveries.data ? `${items.length} deliver${items.length === 1 ? 'y' : 'ies'}` : ''}
        {deliveries.isError && deliveries.data ? ' · not updating: the last read failed, retrying' : ''}
      </p>
      <p role="status" className="success">
        {retry.isSuccess && retry.data ? `Sent again: ${eventTypeWords(retry.data.eventType)} to ${names.get(retry.data.subscriptionId) ?? 'your subscription'}.` : ''}
      </p>
      {retry.error && <p role="alert">Not sent again: {retry.error.message}</p>}
      <QueryState isPending={deliveries.isPending} error={deliveries.data ? null : deliveries.error} what="deliveries" />
      {deliveries.data && items.length === 0 && <p>Nothing has been sent to your subscriptions yet.</p>}
      {items.length > 0 && (
        <div className="table-scroll" role="region" aria-label="Delivery ledger" tabIndex={0}>
          <table className="ledger">
            <caption className="visually-hidden">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Event</th>
                <th scope="col">Subscription</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Time</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((delivery) => (
                <tr key={delivery.id} data-delivery={delivery.id}>
                  <td>
                    <span className={`badge delivery-${delivery.status}`}>{DELIVERY_STATUS_LABELS[delivery.status]}</span> <ExerciseBadge exercise={delivery.exercise} />
                  </td>
                  <td>
                    {eventTypeWords(delivery.eventType)}
                    {delivery.incidentId && (
                      <>
                        <br />
                        <span className="muted">
                          incident <code title={delivery.incidentId}>{shortId(delivery.incidentId)}</code>
                        </span>
                      </>
                    )}
                  </td>
                  <td>{names.get(delivery.subscriptionId) ?? <code>{shortId(delivery.subscriptionId)}</code>}</td>
                  <td>{delivery.attempts}</td>
                  <td className="last-error">
                    {delivery.lastError ?? (delivery.status !== 'delivered' && delivery.lastHttpStatus ? `HTTP ${delivery.lastHttpStatus}` : '—')}
                    {delivery.lastError && delivery.lastHttpStatus ? ` (HTTP ${delivery.lastHttpStatus})` : ''}
                  </td>
                  <td>
                    <DeliveryTime delivery={delivery} />
                  </td>
                  <td>
                    {(delivery.status === 'failed' || delivery.status === 'dead') && (
                      <button
                        type="button"
                        className="secondary"
                        disabled={retry.isPending && retry.variables?.id === delivery.id}
                        onClick={() => retry.mutate(delivery)}
                        aria-label={`Retry ${eventTypeWords(delivery.eventType)} to ${names.get(delivery.subscriptionId) ?? 'your subscription'}, first sent ${formatClock(delivery.createdAt)}`}
                      >
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

/** When it matters for its status: delivered at (and how long it took), next attempt, or created. */
function DeliveryTime({ delivery }: { delivery: Delivery }) {
  if (delivery.deliveredAt) {
    return (
      <>
        {formatClock(delivery.deliveredAt)}
        {delivery.latencyMs !== null && <span className="muted"> ({(delivery.latencyMs / 1000).toFixed(1)} s after the event)</span>}
      </>
    );
  }
  if (delivery.nextAttemptAt) return <>next try {formatClock(delivery.nextAttemptAt)}</>;
  return <>{formatClock(delivery.lastAttemptAt ?? delivery.createdAt)}</>;
}
