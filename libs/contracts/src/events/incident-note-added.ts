// class-transformer's @Type reads design-time metadata while the class is being defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { TLP_LEVELS, type Tlp } from '../tlp';
import { BOUNDS } from '../validation/bounds';
import { IsNotBlank } from '../validation/rules';
import { IncidentEventData, PrincipalRef } from './common';

/** `watchfloor.incident.note_added.v1`: triage added a note; the note has its own TLP label. */
export class IncidentNoteAddedV1 extends IncidentEventData {
  @IsUUID()
  noteId: string;

  @IsObject()
  @ValidateNested()
  @Type(() => PrincipalRef)
  author: PrincipalRef;

  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.note)
  text: string;

  @IsIn(TLP_LEVELS)
  tlp: Tlp;
}
