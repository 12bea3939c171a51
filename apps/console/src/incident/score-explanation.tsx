import type { IncidentDetail } from '../api/triage';
import { FACTOR_LABELS, PRIORITY_LABELS } from '../ui/labels';

const words = (value: string) => value.replace(/_/g, ' ');

/** Why the incident has its priority: each factor's part of the weighted mean, then the election adjustments. */
export function ScoreExplanation({ incident }: { incident: IncidentDetail }) {
  const { scoring, override } = incident;
  return (
    <section aria-labelledby="score-title" className="panel">
      <h2 id="score-title">
        Score {scoring.score.toFixed(2)} → {PRIORITY_LABELS[incident.priority]}
      </h2>
      {scoring.guidance && (
        <p className="guidance" role="note">
          {scoring.guidance}
        </p>
      )}
      <p className="hint">
        The weighted mean of the factors the reporter gave (model {scoring.model}); a factor left out does not count.
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Score breakdown">
        <table>
          <caption className="visually-hidden">Score breakdown</caption>
          <thead>
            <tr>
              <th scope="col">Factor: as reported</th>
              <th scope="col">Value</th>
              <th scope="col">Weight</th>
              <th scope="col">Adds</th>
            </tr>
          </thead>
          <tbody>
            {scoring.breakdown.map((row) => (
              <tr key={row.factor}>
                <th scope="row">
                  {FACTOR_LABELS[row.factor]}: <span className="reported">{words(row.input)}</span>
                </th>
                <td>{row.value}</td>
                <td>{row.weight}</td>
                <td>{row.contribution.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>Computed level: {PRIORITY_LABELS[scoring.computedPriority]}.</p>
      {scoring.adjustments.length > 0 && (
        <ul>
          {scoring.adjustments.map((adjustment) => (
            <li key={adjustment.kind}>
              {adjustment.kind} rule: {PRIORITY_LABELS[adjustment.from]} → {PRIORITY_LABELS[adjustment.to]} ({adjustment.reason})
            </li>
          ))}
        </ul>
      )}
      {override && (
        <p>
          Overridden to {PRIORITY_LABELS[override.level]} by {override.by.sub ?? override.by.kind}: {override.reason}
        </p>
      )}
    </section>
  );
}
