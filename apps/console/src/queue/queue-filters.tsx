import type { IncidentCategory, IncidentStatus, PriorityLevel } from '@watchfloor/contracts';
import type { QueueFilters } from '../api/triage';
import { CATEGORY_LABELS, optionsOf, PRIORITY_LABELS, STATUS_LABELS } from '../ui/labels';

/** The queue's filters: state (jurisdiction), category, status, priority, assignee. */
export function QueueFilterBar({ filters, onChange }: { filters: QueueFilters; onChange(filters: QueueFilters): void }) {
  const set = (change: Partial<QueueFilters>) => onChange({ ...filters, ...change });
  return (
    <form className="filters" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
      <label>
        Status
        <select value={filters.status ?? ''} onChange={(e) => set({ status: (e.target.value || undefined) as IncidentStatus | undefined })}>
          <option value="">Every open status</option>
          {optionsOf(STATUS_LABELS).map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Priority
        <select value={filters.priority ?? ''} onChange={(e) => set({ priority: (e.target.value || undefined) as PriorityLevel | undefined })}>
          <option value="">Any</option>
          {optionsOf(PRIORITY_LABELS)
            .reverse()
            .map((level) => (
              <option key={level} value={level}>
                {PRIORITY_LABELS[level]}
              </option>
            ))}
        </select>
      </label>
      <label>
        Category
        <select value={filters.category ?? ''} onChange={(e) => set({ category: (e.target.value || undefined) as IncidentCategory | undefined })}>
          <option value="">Any</option>
          {optionsOf(CATEGORY_LABELS).map((category) => (
            <option key={category} value={category}>
              {CATEGORY_LABELS[category]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Assignee
        <select value={filters.assignee ?? ''} onChange={(e) => set({ assignee: e.target.value || undefined })}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="none">Nobody yet</option>
        </select>
      </label>
      <label>
        State or jurisdiction
        <input
          type="text"
          placeholder="ocd-division/country:us/state:ga"
          spellCheck={false}
          value={filters.jurisdiction ?? ''}
          onChange={(e) => set({ jurisdiction: e.target.value.trim() || undefined })}
        />
      </label>
    </form>
  );
}
