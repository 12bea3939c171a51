import { useEffect, useRef } from 'react';
import type { ApiProblem } from '../api/problem';

interface ErrorSummaryProps {
  problem: ApiProblem;
  /** What was refused, as the heading says it: "The report", "The subscription". */
  what: string;
  /** The DOM id of the control an API field belongs to (the summary links to it). */
  controlIdOf(apiField: string): string;
  /** Prefix of its heading's id, when a page may show two forms. */
  idPrefix?: string;
}

/** At the top of a form after a refused submission: what went wrong, each linked to its field. Takes the focus. */
export function ErrorSummary({ problem, what, controlIdOf, idPrefix = 'error-summary' }: ErrorSummaryProps) {
  const titleId = `${idPrefix}-title`;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [problem]);
  return (
    <div className="error-summary" role="alert" aria-labelledby={titleId}>
      <h2 id={titleId} tabIndex={-1} ref={heading}>
        {problem.errors.length > 0 ? `${what} was not sent: please correct these fields` : `${what} was not sent`}
      </h2>
      {problem.errors.length > 0 ? (
        <ul>
          {problem.errors.map((error) => (
            <li key={`${error.field}:${error.message}`}>
              <a href={`#${controlIdOf(error.field)}`}>{error.message}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{problem.detail ?? problem.title}</p>
      )}
    </div>
  );
}
