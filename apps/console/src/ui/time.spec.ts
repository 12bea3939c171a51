import { deadlineText, formatDuration, shortId } from './time';

describe('formatDuration', () => {
  it.each([
    [4_000, '4 s'],
    [245_000, '4 min 05 s'],
    [3_720_000, '1 h 02 min'],
    [-61_000, '1 min 01 s'],
  ])('%d ms is "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('deadlineText', () => {
  const now = Date.parse('2026-11-03T13:00:00.000Z');
  it('counts down to the acknowledgement deadline', () => {
    expect(deadlineText('2026-11-03T13:05:00.000Z', null, now)).toEqual({ text: '5 min 00 s left to acknowledge', overdue: false });
  });
  it('says how late an unacknowledged incident is', () => {
    expect(deadlineText('2026-11-03T12:58:30.000Z', null, now)).toEqual({ text: 'Overdue by 1 min 30 s', overdue: true });
  });
  it('stops counting once acknowledged, and has nothing to count without a deadline', () => {
    expect(deadlineText('2026-11-03T12:58:30.000Z', '2026-11-03T12:59:00.000Z', now).overdue).toBe(false);
    expect(deadlineText(null, null, now)).toEqual({ text: 'No deadline', overdue: false });
  });
});

describe('shortId', () => {
  it('keeps the end of an id, where UUIDv7 ids made in the same minute differ', () => {
    expect(shortId('01a24893-a843-789d-8d6c-1e9ece49bfa4')).toBe('…ce49bfa4');
  });
});
