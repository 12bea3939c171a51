import type { ApiProblem } from '../api/problem';
import { ErrorSummary as FormErrorSummary } from '../ui/error-summary';
import { controlId, formFieldOf } from './report-draft';

/** At the top of the report form after a refused submission: what went wrong, each linked to its field. */
export function ErrorSummary({ problem }: { problem: ApiProblem }) {
  return <FormErrorSummary problem={problem} what="The report" controlIdOf={(field) => controlId(formFieldOf(field))} />;
}
