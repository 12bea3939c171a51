import { EVENT_CATALOGUE, EVENT_TYPES, type EventType } from '../catalogue/catalogue';
import { TLP_LEVELS } from '../tlp';
import { contractJsonSchemas, type JsonSchema } from './json-schemas';

const ENVELOPE = 'CloudEventEnvelope';

/** AsyncAPI's name of an event type: `watchfloor.incident.reported.v1` -> `incidentReportedV1`. */
function messageName(type: EventType): string {
  return type
    .replace(/^watchfloor\./, '')
    .split(/[._]/)
    .map((part, index) => (index === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');
}

/** The CloudEvents 1.0 structured envelope every message has, with Watchfloor's extensions. */
function envelopeSchema(): JsonSchema {
  return {
    type: 'object',
    required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'tlp', 'jurisdiction', 'correlationid', 'data'],
    properties: {
      specversion: { const: '1.0' },
      id: { type: 'string', format: 'uuid', description: 'UUIDv7; also the NATS header Nats-Msg-Id' },
      source: { type: 'string', examples: ['/watchfloor/intake'] },
      type: { type: 'string', enum: [...EVENT_TYPES] },
      subject: { type: 'string', description: 'The incident (or other aggregate) the event is about' },
      time: { type: 'string', format: 'date-time' },
      datacontenttype: { const: 'application/json' },
      dataschema: { type: 'string', format: 'uri' },
      tlp: { type: 'string', enum: [...TLP_LEVELS] },
      jurisdiction: { type: 'string', description: 'OCD-ID, e.g. ocd-division/country:us/state:ga/county:fulton' },
      correlationid: { type: 'string' },
      traceparent: { type: 'string', description: 'W3C trace context' },
      data: { type: 'object' },
    },
  };
}

/**
 * The published form of EVENTS.md: an AsyncAPI 3.0 document generated from the catalogue,
 * one channel per event type (`incident.reported.{state}`), each message a CloudEvent whose
 * `data` is the type's payload schema. Operations are what Watchfloor sends.
 */
export function asyncApiDocument(version = '1'): Record<string, unknown> {
  const schemas = contractJsonSchemas();
  for (const type of EVENT_TYPES) {
    const payload = EVENT_CATALOGUE[type].payload;
    // A payload class that adds no rule to its parent has no schema of its own: it is its parent.
    if (!schemas[payload.name]) schemas[payload.name] = { allOf: [{ $ref: `#/components/schemas/${Object.getPrototypeOf(payload).name}` }] };
  }
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const type of EVENT_TYPES) {
    const entry = EVENT_CATALOGUE[type];
    const name = messageName(type);
    messages[name] = {
      name: type,
      title: type,
      contentType: 'application/cloudevents+json',
      headers: {
        type: 'object',
        properties: {
          'Nats-Msg-Id': { type: 'string', description: 'the event id (the broker drops repeats inside its duplicate window)' },
          tlp: { type: 'string', enum: [...TLP_LEVELS] },
          jurisdiction: { type: 'string' },
          'correlation-id': { type: 'string' },
          traceparent: { type: 'string' },
        },
      },
      payload: { allOf: [{ $ref: `#/components/schemas/${ENVELOPE}` }, { type: 'object', properties: { type: { const: type }, data: { $ref: `#/components/schemas/${entry.payload.name}` } } }] },
    };
    channels[name] = {
      address: entry.nationalOnly ? `${entry.subjectBase}.us` : `${entry.subjectBase}.{state}`,
      description: `Stream ${entry.stream}.`,
      messages: { [name]: { $ref: `#/components/messages/${name}` } },
      ...(entry.nationalOnly ? {} : { parameters: { state: { description: 'State token of the jurisdiction (ga, wi, ...), or us for national scope' } } }),
    };
    operations[`send${name.charAt(0).toUpperCase()}${name.slice(1)}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${name}` },
      messages: [{ $ref: `#/channels/${name}/messages/${name}` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Watchfloor events',
      version,
      description: 'CloudEvents on NATS JetStream subjects: what Watchfloor services tell each other and downstream automations.',
    },
    servers: { local: { host: '127.0.0.1:4222', protocol: 'nats', description: 'the local stack (npm start)' } },
    defaultContentType: 'application/cloudevents+json',
    channels,
    operations,
    components: { messages, schemas: { [ENVELOPE]: envelopeSchema(), ...schemas } },
  };
}
