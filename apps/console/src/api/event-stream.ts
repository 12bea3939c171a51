import { ApiProblem } from './problem';
import type { Service } from './http';

/** One server-sent event: its `event:` name and its `data:` lines joined. */
export interface ServerEvent {
  type: string;
  data: string;
}

/**
 * Splits a text/event-stream into events (WHATWG HTML, server-sent events): blocks end at a
 * blank line, `event:` names the event (default "message"), `data:` lines are joined with
 * newlines, comments (`:`) and blocks without data are skipped. Returns the unfinished rest.
 */
export function parseEventStream(buffer: string, onEvent: (event: ServerEvent) => void): string {
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) onEvent({ type, data: data.join('\n') });
  }
  return rest;
}

/**
 * Reads a service's event stream until it ends or `signal` aborts. EventSource cannot send
 * an Authorization header, so this is fetch and a stream reader; a refusal throws its
 * {@link ApiProblem}.
 */
export async function readEventStream(service: Service, path: string, token: string, onEvent: (event: ServerEvent) => void, signal: AbortSignal): Promise<void> {
  const response = await fetch(`/api/${service}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal });
  if (!response.ok) throw await ApiProblem.from(response);
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer = parseEventStream(buffer + value, onEvent);
  }
}
