// class-transformer's @Type reads design-time metadata while the class is being defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsObject, ValidateBy, ValidateNested, type ValidationArguments } from 'class-validator';
import { ELECTION_ASSETS, type ElectionAsset } from '../domain/incident';
import { Observable } from '../observables/observable';
import { BOUNDS } from '../validation/bounds';
import { HasAnyDefined, Optional } from '../validation/rules';
import { IncidentImpactsUpdate } from './impacts';

/** Fields besides `note` that make an update non-empty (`changes` exists on the event only). */
const UPDATE_CONTENT_FIELDS = ['observables', 'affectedAssets', 'impacts', 'changes'] as const;

function hasOtherContent(object: object): boolean {
  const record = object as Record<string, unknown>;
  return UPDATE_CONTENT_FIELDS.some((field) => record[field] !== undefined);
}

function isNote(value: unknown): value is string {
  return typeof value === 'string' && /\S/.test(value) && value.length <= BOUNDS.note;
}

/**
 * The narrative note, which is required when nothing else is updated. class-validator has
 * no class-level rules, and `@IsOptional` would skip this check, so one rule does both.
 */
function IsNoteOrOtherContent(): PropertyDecorator {
  return ValidateBy({
    name: 'isNoteOrOtherContent',
    validator: {
      validate: (value, args?: ValidationArguments) => (value === undefined ? !!args && hasOtherContent(args.object) : isNote(value)),
      defaultMessage: (args?: ValidationArguments) =>
        args?.value === undefined
          ? 'an update needs a note, observables, affectedAssets or impacts'
          : `note must be a non-blank string of at most ${BOUNDS.note} characters`,
    },
  });
}

/**
 * New information on an incident (`POST /v1/incidents/:id/updates`): a narrative note
 * and/or observables and affected assets to add, and impact fields to set. At least one.
 */
export class IncidentUpdateSubmission {
  @IsNoteOrOtherContent()
  note?: string;

  /** Added to the incident's observables (normalised, merged with those it has). */
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BOUNDS.observables)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => Observable)
  observables?: Observable[];

  /** Added to the incident's affected assets. */
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BOUNDS.affectedAssets)
  @ArrayUnique()
  @IsIn(ELECTION_ASSETS, { each: true })
  affectedAssets?: ElectionAsset[];

  /** Replace the recorded values of the fields given. */
  @Optional()
  @IsObject()
  @HasAnyDefined()
  @ValidateNested()
  @Type(() => IncidentImpactsUpdate)
  impacts?: IncidentImpactsUpdate;
}
