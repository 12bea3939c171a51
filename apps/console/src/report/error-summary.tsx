import { useEffect, useRef } from 'react';
import type { ApiProblem } from '../api/problem';
import { controlId, formFieldOf } from './report-draft';

/** At the top of the form after a refused submission: what went wrong, each linked to its field. */
export function ErrorSummary({ problem }: { problem: ApiProblem }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [problem]);
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" tabIndex={-1} ref={heading}>
        {problem.errors.length > 0 ? 'The report was not sent: please correct these fields' : 'The report was not sent'}
      </h2>
      {problem.errors.length > 0 ? (
        <ul>
          {problem.errors.map((error) => (
            <li key={`${error.field}:${error.message}`}>
              <a href={`#${controlId(formFieldOf(error.field))}`}>{error.message}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{problem.detail ?? problem.title}</p>
      )}
    </div>
  );
}
