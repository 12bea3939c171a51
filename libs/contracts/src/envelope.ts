import type { Tlp } from './tlp';

/** A CloudEvents 1.0 event in structured JSON mode, with Watchfloor's extension attributes. */
export interface CloudEvent<TType extends string = string, TData = unknown> {
  specversion: '1.0';
  /** UUIDv7; also the `Nats-Msg-Id` header. */
  id: string;
  /** `/watchfloor/<service>` */
  source: string;
  type: TType;
  /** The incident (or other aggregate) id this event is about. */
  subject: string;
  /** ISO 8601 UTC with milliseconds. */
  time: string;
  datacontenttype: 'application/json';
  dataschema: string;
  tlp: Tlp;
  /** OCD-ID of the jurisdiction the event concerns. */
  jurisdiction: string;
  correlationid: string;
  traceparent?: string;
  /**
   * The exercise the event belongs to (docs/exercises.md), repeated from its data so that
   * routing and automations can tell without parsing; absent for real traffic.
   */
  exercise?: string;
  data: TData;
}

/** NATS header names that repeat envelope attributes, so routing needs no parsing. */
export const EventHeaders = {
  msgId: 'Nats-Msg-Id',
  tlp: 'tlp',
  jurisdiction: 'jurisdiction',
  correlationId: 'correlation-id',
  traceparent: 'traceparent',
  type: 'ce-type',
  exercise: 'exercise',
} as const;
