import { readFileSync } from 'node:fs';
import { stateToken, type ElectionPhase } from '@watchfloor/contracts';
import { DateTime, IANAZone } from 'luxon';

/** Dates (`YYYY-MM-DD`, local to `timezone`) of one election in one state. */
export interface ElectionDates {
  timezone: string;
  /** Qualification, ballot building, logic-and-accuracy testing begin. */
  preElectionStart: string;
  earlyVotingStart: string;
  electionDay: string;
  /** Last day of the canvass. */
  canvassEnd: string;
  /** Last day of certification. */
  certificationEnd: string;
}

/** An election: its default dates and, per state token (`ga`), the dates that differ. */
export interface Election {
  name: string;
  dates: ElectionDates;
  states?: Record<string, Partial<ElectionDates>>;
}

/** The file of `TRIAGE_ELECTION_CALENDAR_FILE`. */
export interface ElectionCalendarFile {
  elections: Election[];
}

/**
 * Built-in default: the 2028 US general election (Tuesday 7 November 2028). Early voting
 * from 18 October (about three weeks, a common span), pre-election from 9 August (90 days
 * out: ballot building and L&A testing), canvass to 21 November, certification to
 * 13 December (the federal safe-harbour deadline for presidential results).
 */
export const DEFAULT_ELECTION_CALENDAR: ElectionCalendarFile = {
  elections: [
    {
      name: '2028 general election',
      dates: {
        timezone: 'America/New_York',
        preElectionStart: '2028-08-09',
        earlyVotingStart: '2028-10-18',
        electionDay: '2028-11-07',
        canvassEnd: '2028-11-21',
        certificationEnd: '2028-12-13',
      },
    },
  ],
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ORDER = ['preElectionStart', 'earlyVotingStart', 'electionDay', 'canvassEnd', 'certificationEnd'] as const;

function checkDates(where: string, dates: ElectionDates): void {
  if (!IANAZone.isValidZone(dates.timezone)) throw new Error(`${where}.timezone: "${dates.timezone}" is not an IANA time zone`);
  for (const key of ORDER) {
    const value = dates[key];
    if (typeof value !== 'string' || !DATE.test(value) || !DateTime.fromISO(value).isValid) throw new Error(`${where}.${key}: "${String(value)}" is not a YYYY-MM-DD date`);
  }
  for (let i = 1; i < ORDER.length; i++) {
    const [before, after] = [ORDER[i - 1] as (typeof ORDER)[number], ORDER[i] as (typeof ORDER)[number]];
    if (dates[after] < dates[before]) throw new Error(`${where}: ${after} (${dates[after]}) is before ${before} (${dates[before]})`);
  }
}

/**
 * The election phase of a jurisdiction at a moment, from per-state election dates. Each
 * day is read in the state's own time zone, so 11 p.m. in Los Angeles on election day is
 * still election day there.
 */
export class ElectionCalendar {
  private readonly elections: Array<{ name: string; byState: (state: string) => ElectionDates }>;

  constructor(file: ElectionCalendarFile) {
    if (!Array.isArray(file?.elections) || file.elections.length === 0) throw new Error('election calendar: elections must be a non-empty list');
    this.elections = file.elections.map((election, i) => {
      const where = `elections[${i}]`;
      checkDates(`${where}.dates`, election.dates);
      const states = new Map<string, ElectionDates>();
      for (const [state, overrides] of Object.entries(election.states ?? {})) {
        const dates = { ...election.dates, ...overrides };
        checkDates(`${where}.states.${state}`, dates);
        states.set(state.toLowerCase(), dates);
      }
      return { name: election.name, byState: (state: string) => states.get(state) ?? election.dates };
    });
  }

  /** Reads `TRIAGE_ELECTION_CALENDAR_FILE`, or the built-in default without one. */
  static load(path: string | undefined): ElectionCalendar {
    if (!path) return new ElectionCalendar(DEFAULT_ELECTION_CALENDAR);
    try {
      return new ElectionCalendar(JSON.parse(readFileSync(path, 'utf8')) as ElectionCalendarFile);
    } catch (error) {
      throw new Error(`TRIAGE_ELECTION_CALENDAR_FILE (${path}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The phase in `jurisdiction` at `at`; `off_cycle` outside every election's window. */
  phaseAt(jurisdiction: string, at: Date): ElectionPhase {
    const state = stateToken(jurisdiction);
    for (const election of this.elections) {
      const dates = election.byState(state);
      const day = DateTime.fromJSDate(at, { zone: dates.timezone }).toISODate();
      if (!day) continue;
      if (day < dates.preElectionStart || day > dates.certificationEnd) continue;
      if (day < dates.earlyVotingStart) return 'pre_election';
      if (day < dates.electionDay) return 'early_voting';
      if (day === dates.electionDay) return 'election_day';
      if (day <= dates.canvassEnd) return 'canvass';
      return 'certification';
    }
    return 'off_cycle';
  }
}
