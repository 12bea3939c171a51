import { compareTlp, type Tlp } from '@watchfloor/contracts';
import { randomUUID } from 'node:crypto';
import { INCIDENT_EXTENSION_DEFINITION, WATCHFLOOR_IDENTITY } from './producer';
import { TLP_MARKING_IDS, tlpMarkingDefinition } from './tlp-markings';
import type { StixObservable } from './observables';

/** The media type of a STIX 2.1 bundle (STIX 2.1, section 18). */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** Any STIX object of a bundle. */
export interface StixObject {
  type: string;
  id: string;
  [property: string]: unknown;
}

/** A STIX 2.1 bundle (it has no `spec_version` of its own in 2.1). */
export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/** The most restrictive of labels (TLP 2.0 order). */
export function strictest(labels: readonly Tlp[]): Tlp {
  return labels.reduce((a, b) => (compareTlp(a, b) >= 0 ? a : b));
}

/**
 * Collects a bundle's objects: each once, with the producer, the extension definition and the
 * TLP marking definitions its objects refer to added in front.
 */
export class BundleBuilder {
  private readonly objects = new Map<string, StixObject>();
  /** Each cyber-observable's most shareable label among the incidents that reported it. */
  private readonly observables = new Map<string, { observable: StixObservable; tlp: Tlp }>();

  add(object: StixObject): void {
    if (!this.objects.has(object.id)) this.objects.set(object.id, object);
  }

  /**
   * A cyber-observable reported by an incident labelled `tlp`. Several incidents may report the
   * same one (same id): it carries the most shareable of their labels, since each of them was
   * allowed to disclose its value at its own label.
   */
  addObservable(observable: StixObservable, tlp: Tlp): void {
    const known = this.observables.get(observable.id);
    if (!known || compareTlp(tlp, known.tlp) < 0) this.observables.set(observable.id, { observable, tlp });
  }

  build(): StixBundle {
    const objects = [
      ...this.objects.values(),
      ...[...this.observables.values()].map(({ observable, tlp }) => ({ ...observable, object_marking_refs: [TLP_MARKING_IDS[tlp]] })),
    ];
    const used = new Set(objects.flatMap((object) => (Array.isArray(object.object_marking_refs) ? (object.object_marking_refs as string[]) : [])));
    const markings = (Object.keys(TLP_MARKING_IDS) as Tlp[]).filter((tlp) => used.has(TLP_MARKING_IDS[tlp])).map(tlpMarkingDefinition);
    return { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [WATCHFLOOR_IDENTITY, INCIDENT_EXTENSION_DEFINITION, ...markings, ...objects] };
  }
}
