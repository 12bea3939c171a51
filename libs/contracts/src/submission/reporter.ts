import { IsEmail, IsString, MaxLength } from 'class-validator';
import { BOUNDS } from '../validation/bounds';
import { IsNotBlank, IsPhone, Optional } from '../validation/rules';

/** Who reported the incident. Contact details (e-mail, phone) are removed from every notification. */
export class Reporter {
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.name)
  name: string;

  @Optional()
  @IsString()
  @MaxLength(BOUNDS.email)
  @IsEmail()
  email?: string;

  /** Any common format; stored as E.164 (US when no country code). */
  @Optional()
  @IsString()
  @IsPhone()
  phone?: string;

  @Optional()
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.name)
  organization?: string;

  /** Job title, e.g. "County Clerk". */
  @Optional()
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.name)
  title?: string;
}

/**
 * The reporting system's own id for the incident. A second report with the same `system`
 * and `reference` is the same incident (an update, not a new one).
 */
export class SubmissionSource {
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.sourceSystem)
  system: string;

  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.sourceReference)
  reference: string;
}
