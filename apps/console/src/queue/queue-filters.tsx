import { useQuery } from '@tanstack/react-query';
import type { IncidentCategory, IncidentStatus, PriorityLevel } from '@watchfloor/contracts';
import { readOnCall, type QueueFilters, type Rotation } from '../api/triage';
import { useSignedIn } from '../session/session-context';
import { STATE_JURISDICTIONS } from '../ui/jurisdiction';
import { CATEGORY_LABELS, optionsOf, PRIORITY_LABELS, STATUS_LABELS } from '../ui/labels';

/** Everyone the rotation names (shifts and escalation), to filter by. */
function peopleOf(rotation: Rotation | undefined): string[] {
  if (!rotation) return [];
  return [...new Set([...rotation.shifts.map((shift) => shift.assignee), ...rotation.escalation])].sort();
}

/** The queue's filters: state (jurisdiction), category, status, priority, assignee. */
export function QueueFilterBar({ filters, onChange }: { filters: QueueFilters; onChange(filters: QueueFilters): void }) {
  const { token } = useSignedIn();
  // The on-call page's query: the people of the rotation, for the assignee filter.
  const rotation = useQuery({ queryKey: ['oncall'], queryFn: () => readOnCall(token) });
  const people = peopleOf(rotation.data).filter((sub) => sub !== 'me' && sub !== 'none');
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
          {people.length > 0 && (
            <optgroup label="On the rotation">
              {people.map((sub) => (
                <option key={sub} value={sub}>
                  {sub}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <label>
        State or jurisdiction
        <input
          type="text"
          list="queue-states"
          placeholder="ocd-division/country:us/state:ga"
          spellCheck={false}
          value={filters.jurisdiction ?? ''}
          onChange={(e) => set({ jurisdiction: e.target.value.trim() || undefined })}
        />
      </label>
      {/* A state picked by name; a county or city is still typed as its OCD-ID. */}
      <datalist id="queue-states">
        {STATE_JURISDICTIONS.map(({ id, name }) => (
          <option key={id} value={id} label={name}>
            {name}
          </option>
        ))}
      </datalist>
    </form>
  );
}
