import { IsIn } from 'class-validator';
import {
  ACTORS,
  ATTACK_VECTORS,
  FUNCTIONAL_IMPACTS,
  INFORMATION_IMPACTS,
  LOCATION_OF_ACTIVITY,
  OBSERVED_ACTIVITY,
  POTENTIAL_IMPACTS,
  RECOVERABILITY,
  type AttackVector,
  type FunctionalImpact,
  type InformationImpact,
  type LocationOfActivity,
  type ObservedActivity,
  type PotentialImpact,
  type Recoverability,
  type ThreatActor,
} from '../domain/impacts';
import { Optional } from '../validation/rules';

/**
 * CISA impact assessment of a new incident. The first three are required, as in DOMAIN.md
 * (each has a "none" value); a left-out optional factor is left out of the score.
 */
export class IncidentImpacts {
  @IsIn(FUNCTIONAL_IMPACTS)
  functionalImpact: FunctionalImpact;

  @IsIn(INFORMATION_IMPACTS)
  informationImpact: InformationImpact;

  @IsIn(RECOVERABILITY)
  recoverability: Recoverability;

  @Optional()
  @IsIn(OBSERVED_ACTIVITY)
  observedActivity?: ObservedActivity;

  @Optional()
  @IsIn(LOCATION_OF_ACTIVITY)
  locationOfActivity?: LocationOfActivity;

  @Optional()
  @IsIn(ACTORS)
  actor?: ThreatActor;

  @Optional()
  @IsIn(ATTACK_VECTORS)
  attackVector?: AttackVector;

  @Optional()
  @IsIn(POTENTIAL_IMPACTS)
  potentialImpact?: PotentialImpact;
}

/** Impact fields an update sets (each replaces the recorded value); at least one is required by its parent. */
export class IncidentImpactsUpdate {
  @Optional()
  @IsIn(FUNCTIONAL_IMPACTS)
  functionalImpact?: FunctionalImpact;

  @Optional()
  @IsIn(INFORMATION_IMPACTS)
  informationImpact?: InformationImpact;

  @Optional()
  @IsIn(RECOVERABILITY)
  recoverability?: Recoverability;

  @Optional()
  @IsIn(OBSERVED_ACTIVITY)
  observedActivity?: ObservedActivity;

  @Optional()
  @IsIn(LOCATION_OF_ACTIVITY)
  locationOfActivity?: LocationOfActivity;

  @Optional()
  @IsIn(ACTORS)
  actor?: ThreatActor;

  @Optional()
  @IsIn(ATTACK_VECTORS)
  attackVector?: AttackVector;

  @Optional()
  @IsIn(POTENTIAL_IMPACTS)
  potentialImpact?: PotentialImpact;
}
